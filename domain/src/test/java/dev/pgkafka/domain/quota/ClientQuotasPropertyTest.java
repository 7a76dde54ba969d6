package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The resolution over random quota sets against the plain reading of KIP-55 (walk the eight paths in
 * order, take the first that has a value for the key), and its consequences: adding a less precise
 * quota never changes what applies, the order quotas were given in never matters, and the bucket
 * names the user exactly for user-level quotas and the client id exactly for client-level ones.
 * Names come from a small alphabet so levels collide often. Seeded; the seed is in every failure.
 */
class ClientQuotasPropertyTest {
    private static final int SEEDS = 500;
    private static final List<String> USERS = Arrays.asList("alice", "bob", null);
    private static final List<String> CLIENTS = Arrays.asList("app-1", "app-2", null);
    private static final List<QuotaKey> KEYS = List.of(QuotaKey.PRODUCER_BYTE_RATE, QuotaKey.CONSUMER_BYTE_RATE,
            QuotaKey.REQUEST_PERCENTAGE, QuotaKey.CONTROLLER_MUTATION_RATE);

    @Test
    void resolutionIsTheFirstOfTheEightPathsThatHasTheKey() {
        forEachSeed((seed, random) -> {
            Map<QuotaEntity, Map<QuotaKey, Double>> set = randomQuotas(random);
            ClientQuotas quotas = ClientQuotas.of(set);
            for (String user : List.of("alice", "bob", "carol")) {
                for (String client : List.of("app-1", "app-2", "app-3")) {
                    for (QuotaKey key : KEYS) {
                        int level = oracleLevel(set, key, user, client);
                        Optional<AppliedQuota> applied = quotas.resolve(key, user, client);
                        if (level < 0) {
                            if (applied.isPresent()) {
                                fail("seed " + seed + ": " + user + "/" + client + " " + key + " got " + applied
                                        + " from " + set);
                            }
                            continue;
                        }
                        QuotaEntity expected = paths(user, client).get(level);
                        if (applied.isEmpty() || !applied.get().entity().equals(expected)
                                || applied.get().limit() != set.get(expected).get(key)) {
                            fail("seed " + seed + ": " + user + "/" + client + " " + key + " expected " + expected
                                    + " got " + applied + " from " + set);
                        }
                        QuotaBucket bucket = applied.get().bucket();
                        boolean userLevel = level < 6;
                        boolean clientLevel = level != 2 && level != 5;
                        assertEquals(userLevel ? user : "", bucket.user(), "seed " + seed);
                        assertEquals(clientLevel ? client : "", bucket.clientId(), "seed " + seed);
                    }
                }
            }
        });
    }

    @Test
    void aLessPreciseQuotaNeverChangesWhatApplies() {
        forEachSeed((seed, random) -> {
            Map<QuotaEntity, Map<QuotaKey, Double>> set = randomQuotas(random);
            QuotaKey key = KEYS.get(random.nextInt(KEYS.size()));
            List<QuotaEntity> paths = paths("alice", "app-1");
            Optional<AppliedQuota> before = ClientQuotas.of(set).resolve(key, "alice", "app-1");
            if (before.isEmpty()) {
                return;
            }
            int level = paths.indexOf(before.get().entity());
            for (int less = level + 1; less < paths.size(); less++) {
                Map<QuotaEntity, Map<QuotaKey, Double>> more = copy(set);
                more.computeIfAbsent(paths.get(less), e -> new EnumMap<>(QuotaKey.class)).put(key, 1e9);
                assertEquals(before, ClientQuotas.of(more).resolve(key, "alice", "app-1"), "seed " + seed);
            }
        });
    }

    @Test
    void theOrderQuotasAreGivenInDoesNotMatter() {
        forEachSeed((seed, random) -> {
            Map<QuotaEntity, Map<QuotaKey, Double>> set = randomQuotas(random);
            List<Map.Entry<QuotaEntity, Map<QuotaKey, Double>>> entries = new ArrayList<>(set.entrySet());
            Collections.shuffle(entries, random);
            Map<QuotaEntity, Map<QuotaKey, Double>> shuffled = new LinkedHashMap<>();
            entries.forEach(e -> shuffled.put(e.getKey(), e.getValue()));
            ClientQuotas a = ClientQuotas.of(set);
            ClientQuotas b = ClientQuotas.of(shuffled);
            for (QuotaKey key : KEYS) {
                assertEquals(a.resolve(key, "bob", "app-2"), b.resolve(key, "bob", "app-2"), "seed " + seed);
            }
        });
    }

    /** KIP-55's eight paths for a user and client id, most precise first. */
    private static List<QuotaEntity> paths(String user, String client) {
        return List.of(QuotaEntity.userAndClientId(user, client), QuotaEntity.userAndClientId(user, null),
                QuotaEntity.user(user), QuotaEntity.userAndClientId(null, client), QuotaEntity.userAndClientId(null, null),
                QuotaEntity.user(null), QuotaEntity.clientId(client), QuotaEntity.clientId(null));
    }

    private static int oracleLevel(Map<QuotaEntity, Map<QuotaKey, Double>> set, QuotaKey key, String user,
                                   String client) {
        List<QuotaEntity> paths = paths(user, client);
        for (int i = 0; i < paths.size(); i++) {
            Map<QuotaKey, Double> values = set.get(paths.get(i));
            if (values != null && values.containsKey(key)) {
                return i;
            }
        }
        return -1;
    }

    private static Map<QuotaEntity, Map<QuotaKey, Double>> randomQuotas(Random random) {
        Map<QuotaEntity, Map<QuotaKey, Double>> set = new LinkedHashMap<>();
        int n = random.nextInt(8);
        for (int i = 0; i < n; i++) {
            QuotaEntity entity = switch (random.nextInt(3)) {
                case 0 -> QuotaEntity.user(pick(random, USERS));
                case 1 -> QuotaEntity.clientId(pick(random, CLIENTS));
                default -> QuotaEntity.userAndClientId(pick(random, USERS), pick(random, CLIENTS));
            };
            Map<QuotaKey, Double> values = set.computeIfAbsent(entity, e -> new EnumMap<>(QuotaKey.class));
            for (QuotaKey key : KEYS) {
                if (random.nextInt(3) == 0) {
                    values.put(key, (double) (1 + random.nextInt(1000)));
                }
            }
        }
        set.values().removeIf(Map::isEmpty);
        return set;
    }

    private static Map<QuotaEntity, Map<QuotaKey, Double>> copy(Map<QuotaEntity, Map<QuotaKey, Double>> set) {
        Map<QuotaEntity, Map<QuotaKey, Double>> copy = new LinkedHashMap<>();
        set.forEach((e, v) -> copy.put(e, new EnumMap<>(v)));
        return copy;
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }

    private interface SeededCase {
        void run(long seed, Random random);
    }

    private static void forEachSeed(SeededCase c) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            c.run(seed, new Random(seed));
        }
    }
}
