package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

/**
 * KIP-55's order, level by level: with every level set, the most precise wins; taking levels away
 * one at a time hands the quota to the next. The bucket (whose use counts together) follows the
 * level, as Kafka's quota metric tags do.
 */
class ClientQuotasPrecedenceTest {
    private static final QuotaKey P = QuotaKey.PRODUCER_BYTE_RATE;

    /** The eight levels for alice / app-1, most precise first, with a distinct limit each. */
    private static final List<QuotaEntity> LEVELS = List.of(
            QuotaEntity.userAndClientId("alice", "app-1"),
            QuotaEntity.userAndClientId("alice", null),
            QuotaEntity.user("alice"),
            QuotaEntity.userAndClientId(null, "app-1"),
            QuotaEntity.userAndClientId(null, null),
            QuotaEntity.user(null),
            QuotaEntity.clientId("app-1"),
            QuotaEntity.clientId(null));
    private static final List<QuotaBucket> BUCKETS = List.of(
            new QuotaBucket("alice", "app-1"),
            new QuotaBucket("alice", "app-1"),
            new QuotaBucket("alice", ""),
            new QuotaBucket("alice", "app-1"),
            new QuotaBucket("alice", "app-1"),
            new QuotaBucket("alice", ""),
            new QuotaBucket("", "app-1"),
            new QuotaBucket("", "app-1"));

    @Test
    void eachLevelWinsOverTheLessPreciseOnes() {
        for (int from = 0; from < LEVELS.size(); from++) {
            Map<QuotaEntity, Map<QuotaKey, Double>> set = new LinkedHashMap<>();
            for (int i = from; i < LEVELS.size(); i++) {
                set.put(LEVELS.get(i), Map.of(P, 1000.0 * (i + 1)));
            }
            AppliedQuota applied = ClientQuotas.of(set).resolve(P, "alice", "app-1").orElseThrow();
            assertEquals(LEVELS.get(from), applied.entity(), "with levels " + (from + 1) + ".." + LEVELS.size());
            assertEquals(1000.0 * (from + 1), applied.limit());
            assertEquals(BUCKETS.get(from), applied.bucket());
        }
    }

    @Test
    void eachLevelAloneApplies() {
        for (int i = 0; i < LEVELS.size(); i++) {
            ClientQuotas quotas = ClientQuotas.of(Map.of(LEVELS.get(i), Map.of(P, 5.0)));
            AppliedQuota applied = quotas.resolve(P, "alice", "app-1").orElseThrow();
            assertEquals(LEVELS.get(i), applied.entity());
            assertEquals(BUCKETS.get(i), applied.bucket());
        }
    }

    @Test
    void otherUsersAndClientsAreNotLimitedByNamedQuotas() {
        ClientQuotas quotas = ClientQuotas.of(Map.of(
                QuotaEntity.user("alice"), Map.of(P, 1.0),
                QuotaEntity.clientId("app-1"), Map.of(P, 2.0),
                QuotaEntity.userAndClientId("bob", "app-2"), Map.of(P, 3.0)));
        assertEquals(Optional.empty(), quotas.resolve(P, "carol", "app-3"));
        assertEquals(2.0, quotas.resolve(P, "bob", "app-1").orElseThrow().limit());
        assertEquals(3.0, quotas.resolve(P, "bob", "app-2").orElseThrow().limit());
        assertEquals(1.0, quotas.resolve(P, "alice", "app-2").orElseThrow().limit());
    }

    @Test
    void eachKeyIsResolvedOnItsOwn() {
        ClientQuotas quotas = ClientQuotas.of(Map.of(
                QuotaEntity.user("alice"), Map.of(QuotaKey.CONSUMER_BYTE_RATE, 10.0),
                QuotaEntity.clientId(null), Map.of(P, 20.0, QuotaKey.REQUEST_PERCENTAGE, 50.0)));
        AppliedQuota produce = quotas.resolve(P, "alice", "x").orElseThrow();
        assertEquals(QuotaEntity.clientId(null), produce.entity(), "alice's consumer quota does not hide the produce one");
        assertEquals(new QuotaBucket("", "x"), produce.bucket());
        assertEquals(10.0, quotas.resolve(QuotaKey.CONSUMER_BYTE_RATE, "alice", "x").orElseThrow().limit());
        assertEquals(Optional.empty(), quotas.resolve(QuotaKey.CONSUMER_BYTE_RATE, "bob", "x"));
        assertEquals(Optional.empty(), quotas.resolve(QuotaKey.CONTROLLER_MUTATION_RATE, "alice", "x"));
        assertTrue(quotas.hasAny(QuotaKey.REQUEST_PERCENTAGE));
        assertTrue(!quotas.hasAny(QuotaKey.CONTROLLER_MUTATION_RATE));
    }

    @Test
    void defaultsGiveEachUserOrClientABucketOfItsOwn() {
        ClientQuotas users = ClientQuotas.of(Map.of(QuotaEntity.user(null), Map.of(P, 1.0)));
        assertEquals(new QuotaBucket("alice", ""), users.resolve(P, "alice", "a").orElseThrow().bucket());
        assertEquals(new QuotaBucket("bob", ""), users.resolve(P, "bob", "a").orElseThrow().bucket());
        ClientQuotas clients = ClientQuotas.of(Map.of(QuotaEntity.clientId(null), Map.of(P, 1.0)));
        assertEquals(new QuotaBucket("", "a"), clients.resolve(P, "alice", "a").orElseThrow().bucket());
        assertEquals(new QuotaBucket("", "a"), clients.resolve(P, "bob", "a").orElseThrow().bucket(),
                "one client id of two users counts together, as in Kafka");
    }

    @Test
    void aClientWithoutClientIdIsNotLimitedByItsUsersPerClientQuota() {
        // Kafka looks a (user, "") bucket up as a user bucket: /users/alice/clients/<default> does not apply
        ClientQuotas quotas = ClientQuotas.of(Map.of(QuotaEntity.userAndClientId("alice", null), Map.of(P, 1.0)));
        assertEquals(Optional.empty(), quotas.resolve(P, "alice", ""));
        assertEquals(Optional.empty(), quotas.resolve(P, "alice", null));
        assertEquals(1.0, quotas.resolve(P, "alice", "x").orElseThrow().limit());
    }

    @Test
    void anIpAddressHasItsOwnRateElseTheDefault() {
        ClientQuotas quotas = ClientQuotas.of(Map.of(
                QuotaEntity.ip("10.0.0.1"), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 5.0),
                QuotaEntity.ip(null), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 50.0)));
        assertEquals(OptionalDouble.of(5.0), quotas.connectionCreationRate("10.0.0.1"));
        assertEquals(OptionalDouble.of(50.0), quotas.connectionCreationRate("10.0.0.2"));
        assertEquals(OptionalDouble.empty(), ClientQuotas.EMPTY.connectionCreationRate("10.0.0.1"));
        assertEquals(Optional.empty(), quotas.resolve(P, "alice", "x"), "ip quotas never limit users or clients");
    }

    @Test
    void valuesBuildTheSameQuotasAsTheMap() {
        List<ClientQuotas.Value> values = new ArrayList<>();
        values.add(new ClientQuotas.Value(QuotaEntity.user("a"), P, 1.0));
        values.add(new ClientQuotas.Value(QuotaEntity.user("a"), QuotaKey.REQUEST_PERCENTAGE, 2.0));
        values.add(new ClientQuotas.Value(QuotaEntity.ip(null), QuotaKey.CONNECTION_CREATION_RATE, 3.0));
        assertEquals(ClientQuotas.of(Map.of(QuotaEntity.user("a"), Map.of(P, 1.0, QuotaKey.REQUEST_PERCENTAGE, 2.0),
                QuotaEntity.ip(null), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 3.0))), ClientQuotas.ofValues(values));
    }
}
