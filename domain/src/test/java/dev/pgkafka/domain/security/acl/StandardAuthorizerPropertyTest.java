package dev.pgkafka.domain.security.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;

/**
 * The indexed authorizer over random ACL sets, against a plain linear reading of Kafka's rules (the
 * oracle below) and against the rules' consequences: a DENY that applies always wins, super users
 * are always allowed, more ALLOWs never take a permission away when nothing is allowed by default,
 * more DENYs never give one, and neither order nor duplicates matter. Names are drawn from a small
 * alphabet so prefixes, wildcards and exact names collide often. Seeded; the seed is in every failure.
 */
class StandardAuthorizerPropertyTest {
    private static final int SEEDS = 400;
    private static final int REQUESTS_PER_SEED = 60;

    private static final List<String> ACL_NAMES = List.of("a", "ab", "abc", "b", "ba", "*", "hard");
    private static final List<String> RESOURCE_NAMES = List.of("a", "ab", "abc", "abd", "b", "ba", "c", "*", "hardcode");
    private static final List<String> ACL_PRINCIPALS = List.of("User:alice", "User:bob", "User:*", "Group:alice", "User:");
    private static final List<KafkaPrincipal> REQUESTERS = List.of(KafkaPrincipal.user("alice"), KafkaPrincipal.user("bob"),
            KafkaPrincipal.user("*"), new KafkaPrincipal("Group", "alice"), KafkaPrincipal.user("carol"));
    private static final List<String> ACL_HOSTS = List.of("*", "h1", "h2");
    private static final List<String> CLIENT_HOSTS = List.of("h1", "h2", "h3");
    private static final List<ResourceType> TYPES = List.of(ResourceType.TOPIC, ResourceType.GROUP);
    private static final List<AclOperation> ACL_OPS = List.copyOf(EnumSet.complementOf(
            EnumSet.of(AclOperation.UNKNOWN, AclOperation.ANY)));
    private static final List<AclOperation> ASKED_OPS = List.copyOf(EnumSet.complementOf(
            EnumSet.of(AclOperation.UNKNOWN, AclOperation.ANY, AclOperation.ALL)));

    @Test
    void theIndexDecidesAsTheLinearReadingOfKafkasRules() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = randomAcls(random);
            Set<String> supers = random.nextInt(4) == 0 ? Set.of("User:bob") : Set.of();
            boolean allowEveryone = random.nextBoolean();
            StandardAuthorizer authorizer = new StandardAuthorizer(AclIndex.of(acls), supers, allowEveryone);
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                Requester r = randomRequester(random);
                Action a = randomAction(random);
                boolean expected = Oracle.authorize(acls, supers, allowEveryone, r, a);
                if (authorizer.authorize(r, a).allowed() != expected) {
                    fail("seed " + seed + ": " + r + " " + a + " expected " + expected + " with " + acls);
                }
                ResourceType type = TYPES.get(random.nextInt(TYPES.size()));
                AclOperation op = ASKED_OPS.get(random.nextInt(ASKED_OPS.size()));
                boolean byTypeExpected = Oracle.authorizeByResourceType(acls, supers, allowEveryone, r, op, type);
                if (authorizer.authorizeByResourceType(r, op, type) != byTypeExpected) {
                    fail("seed " + seed + ": by type " + r + " " + op + " " + type + " expected " + byTypeExpected
                            + " with " + acls);
                }
            }
        });
    }

    /** Many entries on few names: the buckets that look entries up by principal instead of scanning them. */
    @Test
    void crowdedResourcesDecideAsTheLinearReadingToo() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = new ArrayList<>();
            int count = 40 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                AclBinding any = randomAcl(random, random.nextInt(4) == 0 ? AclPermissionType.DENY : AclPermissionType.ALLOW);
                // three names of one type: about a dozen entries each
                ResourcePattern crowded = new ResourcePattern(ResourceType.TOPIC, List.of("a", "ab", "*").get(random.nextInt(3)),
                        any.pattern().patternType());
                acls.add(new AclBinding(crowded, any.entry()));
            }
            boolean allowEveryone = random.nextBoolean();
            StandardAuthorizer authorizer = new StandardAuthorizer(AclIndex.of(acls), Set.of(), allowEveryone);
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                Requester r = randomRequester(random);
                Action a = randomAction(random);
                if (authorizer.authorize(r, a).allowed() != Oracle.authorize(acls, Set.of(), allowEveryone, r, a)) {
                    fail("seed " + seed + ": " + r + " " + a + " with " + acls);
                }
            }
        });
    }

    @Test
    void aDenyThatAppliesAlwaysWins() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = new ArrayList<>(randomAcls(random));
            Requester r = randomRequester(random);
            Action a = randomAction(random);
            // a DENY that applies to this request by every route: own or wildcard principal, own or wildcard host,
            // literal, wildcard or prefix name, exact operation or ALL
            String principal = random.nextBoolean() ? r.principal().toString() : "User:*";
            String host = random.nextBoolean() ? r.host() : "*";
            AclOperation op = random.nextBoolean() ? a.operation() : AclOperation.ALL;
            ResourcePattern pattern = switch (random.nextInt(3)) {
                case 0 -> new ResourcePattern(a.resourceType(), a.resourceName(), PatternType.LITERAL);
                case 1 -> new ResourcePattern(a.resourceType(), "*", PatternType.LITERAL);
                default -> new ResourcePattern(a.resourceType(),
                        a.resourceName().substring(0, 1 + random.nextInt(a.resourceName().length())), PatternType.PREFIXED);
            };
            acls.add(new AclBinding(pattern, new AccessControlEntry(principal, host, op, AclPermissionType.DENY)));
            StandardAuthorizer authorizer = new StandardAuthorizer(AclIndex.of(acls), Set.of(), random.nextBoolean());
            AuthorizationDecision d = authorizer.authorize(r, a);
            assertFalse(d.allowed(), "seed " + seed + ": " + r + " " + a + " with " + acls);
            assertEquals(AclPermissionType.DENY,
                    ((AuthorizationDecision.MatchingAcl) d).acl().entry().permission(), "seed " + seed);
        });
    }

    @Test
    void superUsersAreAlwaysAllowed() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = randomAcls(random);
            Requester r = randomRequester(random);
            StandardAuthorizer authorizer = new StandardAuthorizer(AclIndex.of(acls), Set.of(r.principal().toString()),
                    random.nextBoolean());
            for (int i = 0; i < 10; i++) {
                Action a = randomAction(random);
                assertTrue(authorizer.authorize(r, a).allowed(), "seed " + seed + ": " + a);
                assertTrue(authorizer.authorizeByResourceType(r, a.operation(), a.resourceType()), "seed " + seed);
            }
        });
    }

    @Test
    void anotherAllowNeverTakesAPermissionAwayWhenTheDefaultIsDeny() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = new ArrayList<>(randomAcls(random));
            StandardAuthorizer before = new StandardAuthorizer(AclIndex.of(acls), Set.of(), false);
            acls.add(randomAcl(random, AclPermissionType.ALLOW));
            StandardAuthorizer after = new StandardAuthorizer(AclIndex.of(acls), Set.of(), false);
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                Requester r = randomRequester(random);
                Action a = randomAction(random);
                if (before.authorize(r, a).allowed()) {
                    assertTrue(after.authorize(r, a).allowed(), "seed " + seed + ": " + r + " " + a + " after " + acls);
                }
            }
        });
    }

    @Test
    void anotherDenyNeverGivesAPermission() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = new ArrayList<>(randomAcls(random));
            boolean allowEveryone = random.nextBoolean();
            StandardAuthorizer before = new StandardAuthorizer(AclIndex.of(acls), Set.of(), allowEveryone);
            acls.add(randomAcl(random, AclPermissionType.DENY));
            StandardAuthorizer after = new StandardAuthorizer(AclIndex.of(acls), Set.of(), allowEveryone);
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                Requester r = randomRequester(random);
                Action a = randomAction(random);
                if (!before.authorize(r, a).allowed()) {
                    assertFalse(after.authorize(r, a).allowed(), "seed " + seed + ": " + r + " " + a + " after " + acls);
                }
            }
        });
    }

    @Test
    void neitherOrderNorDuplicatesMatter() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = randomAcls(random);
            List<AclBinding> shuffled = new ArrayList<>(acls);
            shuffled.addAll(acls.subList(0, acls.size() / 2));
            Collections.shuffle(shuffled, random);
            AclIndex index = AclIndex.of(acls);
            AclIndex other = AclIndex.of(shuffled);
            assertEquals(index.bindings(), other.bindings(), "seed " + seed);
            assertEquals(new HashSet<>(acls).size(), index.size(), "seed " + seed);
            StandardAuthorizer a1 = new StandardAuthorizer(index, Set.of(), false);
            StandardAuthorizer a2 = new StandardAuthorizer(other, Set.of(), false);
            for (int i = 0; i < REQUESTS_PER_SEED; i++) {
                Requester r = randomRequester(random);
                Action a = randomAction(random);
                assertEquals(a1.authorize(r, a).allowed(), a2.authorize(r, a).allowed(), "seed " + seed);
            }
        });
    }

    @Test
    void selectIsTheFilterAppliedToEveryBinding() {
        forEachSeed((seed, random) -> {
            List<AclBinding> acls = randomAcls(random);
            AclIndex index = AclIndex.of(acls);
            for (int i = 0; i < 20; i++) {
                AclBindingFilter filter = AclFilterTest.randomFilter(random);
                List<AclBinding> expected = index.bindings().stream().filter(filter::matches).toList();
                assertEquals(expected, index.select(filter), "seed " + seed + ": " + filter);
            }
        });
    }

    // ---- the oracle: Kafka's rules read literally, one ACL after the other ----

    static final class Oracle {
        private Oracle() {
        }

        static boolean authorize(List<AclBinding> acls, Set<String> supers, boolean allowEveryone, Requester r, Action a) {
            if (supers.contains(r.principal().toString())) {
                return true;
            }
            boolean resourceHasAcls = false;
            boolean allowed = false;
            for (AclBinding b : acls) {
                if (!appliesToResource(b.pattern(), a.resourceType(), a.resourceName())) {
                    continue;
                }
                resourceHasAcls = true;
                if (!principalApplies(b, r) || !hostApplies(b, r)) {
                    continue;
                }
                AclOperation op = b.entry().operation();
                if (b.entry().permission() == AclPermissionType.DENY) {
                    if (op == AclOperation.ALL || op == a.operation()) {
                        return false;
                    }
                } else if (op == AclOperation.ALL || op == a.operation()
                        || a.operation() == AclOperation.DESCRIBE && EnumSet.of(AclOperation.READ, AclOperation.WRITE,
                        AclOperation.DELETE, AclOperation.ALTER).contains(op)
                        || a.operation() == AclOperation.DESCRIBE_CONFIGS && op == AclOperation.ALTER_CONFIGS) {
                    allowed = true;
                }
            }
            return allowed || !resourceHasAcls && allowEveryone;
        }

        static boolean authorizeByResourceType(List<AclBinding> acls, Set<String> supers, boolean allowEveryone,
                                               Requester r, AclOperation op, ResourceType type) {
            if (authorize(acls, supers, allowEveryone, r, new Action(op, type, "hardcode"))) {
                return true;
            }
            Map<PatternType, Set<String>> deny = new EnumMap<>(Map.of(PatternType.LITERAL, new HashSet<>(),
                    PatternType.PREFIXED, new HashSet<>()));
            Map<PatternType, Set<String>> allow = new EnumMap<>(Map.of(PatternType.LITERAL, new HashSet<>(),
                    PatternType.PREFIXED, new HashSet<>()));
            boolean wildcardAllow = false;
            for (AclBinding b : acls) {
                if (b.pattern().resourceType() != type || !hostApplies(b, r) || !principalApplies(b, r)) {
                    continue;
                }
                if (b.entry().operation() != op && b.entry().operation() != AclOperation.ALL) {
                    continue;
                }
                boolean wildcard = b.pattern().patternType() == PatternType.LITERAL && b.pattern().name().equals("*");
                if (b.entry().permission() == AclPermissionType.DENY) {
                    if (wildcard) {
                        return false;
                    }
                    deny.get(b.pattern().patternType()).add(b.pattern().name());
                } else if (wildcard) {
                    wildcardAllow = true;
                } else {
                    allow.get(b.pattern().patternType()).add(b.pattern().name());
                }
            }
            if (wildcardAllow) {
                return true;
            }
            for (Map.Entry<PatternType, Set<String>> e : allow.entrySet()) {
                for (String name : e.getValue()) {
                    if (e.getKey() == PatternType.LITERAL && deny.get(PatternType.LITERAL).contains(name)) {
                        continue;
                    }
                    boolean dominated = false;
                    for (int i = 1; i <= name.length(); i++) {
                        dominated |= deny.get(PatternType.PREFIXED).contains(name.substring(0, i));
                    }
                    if (!dominated) {
                        return true;
                    }
                }
            }
            return false;
        }

        static boolean appliesToResource(ResourcePattern p, ResourceType type, String name) {
            if (p.resourceType() != type) {
                return false;
            }
            return p.patternType() == PatternType.LITERAL ? p.name().equals(name) || p.name().equals("*")
                    : name.startsWith(p.name());
        }

        static boolean principalApplies(AclBinding b, Requester r) {
            return b.entry().principal().equals(r.principal().toString()) || b.entry().principal().equals("User:*");
        }

        static boolean hostApplies(AclBinding b, Requester r) {
            return b.entry().host().equals("*") || b.entry().host().equals(r.host());
        }
    }

    // ---- random inputs ----

    interface SeededCheck {
        void check(long seed, Random random);
    }

    static void forEachSeed(SeededCheck check) {
        for (long seed = 0; seed < SEEDS; seed++) {
            check.check(seed, new Random(seed));
        }
    }

    static List<AclBinding> randomAcls(Random random) {
        int count = random.nextInt(14);
        List<AclBinding> acls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            acls.add(randomAcl(random, random.nextInt(3) == 0 ? AclPermissionType.DENY : AclPermissionType.ALLOW));
        }
        return acls;
    }

    static AclBinding randomAcl(Random random, AclPermissionType permission) {
        ResourcePattern pattern = new ResourcePattern(TYPES.get(random.nextInt(TYPES.size())),
                ACL_NAMES.get(random.nextInt(ACL_NAMES.size())),
                random.nextBoolean() ? PatternType.LITERAL : PatternType.PREFIXED);
        return new AclBinding(pattern, new AccessControlEntry(ACL_PRINCIPALS.get(random.nextInt(ACL_PRINCIPALS.size())),
                ACL_HOSTS.get(random.nextInt(ACL_HOSTS.size())), ACL_OPS.get(random.nextInt(ACL_OPS.size())), permission));
    }

    static Requester randomRequester(Random random) {
        return new Requester(REQUESTERS.get(random.nextInt(REQUESTERS.size())),
                CLIENT_HOSTS.get(random.nextInt(CLIENT_HOSTS.size())));
    }

    static Action randomAction(Random random) {
        return new Action(ASKED_OPS.get(random.nextInt(ASKED_OPS.size())), TYPES.get(random.nextInt(TYPES.size())),
                RESOURCE_NAMES.get(random.nextInt(RESOURCE_NAMES.size())));
    }
}
