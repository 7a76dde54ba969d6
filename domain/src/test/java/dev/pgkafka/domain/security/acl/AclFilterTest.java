package dev.pgkafka.domain.security.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** What DescribeAcls and DeleteAcls filters select, as Kafka's filter classes decide it. */
class AclFilterTest {
    private static final AclBinding LITERAL_ORDERS = acl(ResourceType.TOPIC, "orders", PatternType.LITERAL, "User:alice",
            "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding WILDCARD = acl(ResourceType.TOPIC, "*", PatternType.LITERAL, "User:bob",
            "10.0.0.1", AclOperation.WRITE, AclPermissionType.DENY);
    private static final AclBinding PREFIXED_ORD = acl(ResourceType.TOPIC, "ord", PatternType.PREFIXED, "User:*",
            "*", AclOperation.ALL, AclPermissionType.ALLOW);
    private static final AclBinding PREFIXED_ORDERS = acl(ResourceType.TOPIC, "orders", PatternType.PREFIXED, "User:alice",
            "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW);
    private static final AclBinding GROUP_ORDERS = acl(ResourceType.GROUP, "orders", PatternType.LITERAL, "User:alice",
            "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclBinding LITERAL_ORDERS_EU = acl(ResourceType.TOPIC, "orders-eu", PatternType.LITERAL,
            "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
    private static final AclIndex ALL = AclIndex.of(List.of(LITERAL_ORDERS, WILDCARD, PREFIXED_ORD, PREFIXED_ORDERS,
            GROUP_ORDERS, LITERAL_ORDERS_EU));

    @Test
    void anyFilterSelectsEverything() {
        assertEquals(ALL.bindings(), ALL.select(AclBindingFilter.ANY));
        assertEquals(6, ALL.select(AclBindingFilter.ANY).size());
    }

    @Test
    void anyPatternTypeWithANameSelectsThatExactNameOfEveryPatternType() {
        assertSelects(List.of(LITERAL_ORDERS, PREFIXED_ORDERS),
                ALL.select(patterns(ResourceType.TOPIC, "orders", PatternType.ANY)));
        assertSelects(List.of(WILDCARD), ALL.select(patterns(ResourceType.TOPIC, "*", PatternType.ANY)),
                "\"*\" is a name like any other here");
    }

    @Test
    void matchSelectsEveryPatternThatAppliesToTheNamedResource() {
        assertSelects(List.of(LITERAL_ORDERS, WILDCARD, PREFIXED_ORD, PREFIXED_ORDERS),
                ALL.select(patterns(ResourceType.TOPIC, "orders", PatternType.MATCH)));
        assertSelects(List.of(WILDCARD, PREFIXED_ORD, PREFIXED_ORDERS, LITERAL_ORDERS_EU),
                ALL.select(patterns(ResourceType.TOPIC, "orders-eu", PatternType.MATCH)));
        assertSelects(List.of(WILDCARD), ALL.select(patterns(ResourceType.TOPIC, "payments", PatternType.MATCH)));
        assertSelects(List.of(LITERAL_ORDERS, WILDCARD, PREFIXED_ORD, PREFIXED_ORDERS, GROUP_ORDERS),
                ALL.select(patterns(ResourceType.ANY, "orders", PatternType.MATCH)));
        assertSelects(List.of(LITERAL_ORDERS, WILDCARD, PREFIXED_ORD, PREFIXED_ORDERS, LITERAL_ORDERS_EU),
                ALL.select(patterns(ResourceType.TOPIC, null, PatternType.MATCH)), "MATCH without a name: any name");
    }

    @Test
    void aConcretePatternTypeSelectsOnlyItsOwn() {
        assertSelects(List.of(LITERAL_ORDERS), ALL.select(patterns(ResourceType.TOPIC, "orders", PatternType.LITERAL)));
        assertSelects(List.of(PREFIXED_ORDERS), ALL.select(patterns(ResourceType.TOPIC, "orders", PatternType.PREFIXED)));
        assertSelects(List.of(), ALL.select(patterns(ResourceType.TOPIC, "orders-e", PatternType.PREFIXED)),
                "PREFIXED compares the stored prefix exactly, it does not match names");
        assertSelects(List.of(PREFIXED_ORD, PREFIXED_ORDERS), ALL.select(patterns(ResourceType.TOPIC, null,
                PatternType.PREFIXED)));
    }

    @Test
    void entryFiltersCompareTextExactlyAndTreatNullAndAnyAsAnything() {
        assertSelects(List.of(LITERAL_ORDERS, PREFIXED_ORDERS, GROUP_ORDERS, LITERAL_ORDERS_EU),
                ALL.select(entries("User:alice", null, AclOperation.ANY, AclPermissionType.ANY)));
        assertSelects(List.of(PREFIXED_ORD), ALL.select(entries("User:*", null, AclOperation.ANY, AclPermissionType.ANY)),
                "User:* is not a wildcard in a filter");
        assertSelects(List.of(WILDCARD), ALL.select(entries(null, "10.0.0.1", AclOperation.ANY, AclPermissionType.ANY)));
        assertSelects(List.of(WILDCARD), ALL.select(entries(null, null, AclOperation.ANY, AclPermissionType.DENY)));
        assertSelects(List.of(PREFIXED_ORDERS), ALL.select(entries(null, null, AclOperation.DESCRIBE,
                AclPermissionType.ANY)), "no implied operations in filters");
        assertSelects(List.of(PREFIXED_ORD), ALL.select(entries(null, null, AclOperation.ALL, AclPermissionType.ANY)),
                "ALL is an operation like the others in filters");
    }

    @Test
    void unknownFiltersSelectNothing() {
        assertTrue(ALL.select(patterns(ResourceType.UNKNOWN, null, PatternType.ANY)).isEmpty());
        assertTrue(ALL.select(patterns(ResourceType.ANY, null, PatternType.UNKNOWN)).isEmpty());
        assertTrue(ALL.select(entries(null, null, AclOperation.UNKNOWN, AclPermissionType.ANY)).isEmpty());
        assertTrue(new ResourcePatternFilter(ResourceType.UNKNOWN, null, PatternType.ANY).isUnknown());
        assertTrue(new AccessControlEntryFilter(null, null, AclOperation.ANY, AclPermissionType.UNKNOWN).isUnknown());
        assertFalse(AclBindingFilter.ANY.patternFilter().isUnknown());
    }

    // ---- helpers, also for the property test ----

    /** Compares as sets: the order of {@link AclIndex#select} is the index's, not the test's. */
    private static void assertSelects(List<AclBinding> expected, List<AclBinding> actual) {
        assertSelects(expected, actual, "");
    }

    private static void assertSelects(List<AclBinding> expected, List<AclBinding> actual, String message) {
        assertEquals(new HashSet<>(expected), new HashSet<>(actual), message);
        assertEquals(expected.size(), actual.size(), "each binding once: " + message);
    }

    static AclBindingFilter randomFilter(Random random) {
        List<ResourceType> types = List.of(ResourceType.ANY, ResourceType.TOPIC, ResourceType.GROUP, ResourceType.UNKNOWN);
        List<PatternType> patternTypes = List.of(PatternType.ANY, PatternType.MATCH, PatternType.LITERAL,
                PatternType.PREFIXED);
        List<String> names = Arrays.asList(null, "a", "ab", "abc", "*", "b");
        List<String> principals = Arrays.asList(null, "User:alice", "User:*", "User:bob");
        List<String> hosts = Arrays.asList(null, "*", "h1");
        List<AclOperation> ops = List.of(AclOperation.ANY, AclOperation.READ, AclOperation.ALL, AclOperation.DESCRIBE);
        List<AclPermissionType> perms = List.of(AclPermissionType.ANY, AclPermissionType.ALLOW, AclPermissionType.DENY);
        return new AclBindingFilter(
                new ResourcePatternFilter(types.get(random.nextInt(types.size())), names.get(random.nextInt(names.size())),
                        patternTypes.get(random.nextInt(patternTypes.size()))),
                new AccessControlEntryFilter(principals.get(random.nextInt(principals.size())),
                        hosts.get(random.nextInt(hosts.size())), ops.get(random.nextInt(ops.size())),
                        perms.get(random.nextInt(perms.size()))));
    }

    private static AclBindingFilter patterns(ResourceType type, String name, PatternType patternType) {
        return new AclBindingFilter(new ResourcePatternFilter(type, name, patternType), AccessControlEntryFilter.ANY);
    }

    private static AclBindingFilter entries(String principal, String host, AclOperation op, AclPermissionType perm) {
        return new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(principal, host, op, perm));
    }

    private static AclBinding acl(ResourceType type, String name, PatternType patternType, String principal, String host,
                                  AclOperation op, AclPermissionType perm) {
        return new AclBinding(new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, op, perm));
    }
}
