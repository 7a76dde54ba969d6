package dev.pgkafka.domain.security.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;

/**
 * The standard authorizer's rules, one ACL at a time, across every dimension: resource pattern ×
 * ACL operation × requested operation (implied ones included) × ALLOW/DENY × principal (own,
 * wildcard, other) × host (own, wildcard, other) × super user × allow.everyone.if.no.acl.found.
 * Each dimension's effect is stated as a table below; the named tests after the matrix pin the
 * combinations Kafka users trip over.
 */
class StandardAuthorizerMatrixTest {
    private static final Requester ALICE = new Requester(KafkaPrincipal.user("alice"), "10.0.0.1");
    private static final String TOPIC = "orders";

    /** Resource patterns and whether they apply to topic "orders". */
    private record PatternCase(ResourcePattern pattern, boolean applies) {
    }

    private static final List<PatternCase> PATTERNS = List.of(
            new PatternCase(literal(TOPIC), true),
            new PatternCase(literal("*"), true),
            new PatternCase(prefixed("ord"), true),
            new PatternCase(prefixed("o"), true),
            new PatternCase(prefixed(TOPIC), true), // a prefix as long as the name still applies
            new PatternCase(literal("ord"), false), // a literal name is never a prefix
            new PatternCase(literal("orders2"), false),
            new PatternCase(prefixed("orders2"), false),
            new PatternCase(prefixed("x"), false),
            new PatternCase(prefixed("*"), false), // "*" is a wildcard only as a LITERAL name
            new PatternCase(new ResourcePattern(ResourceType.GROUP, TOPIC, PatternType.LITERAL), false),
            new PatternCase(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL), false));

    /** Entry principals and whether they apply to User:alice. */
    private record PrincipalCase(String principal, boolean applies) {
    }

    private static final List<PrincipalCase> PRINCIPALS = List.of(
            new PrincipalCase("User:alice", true),
            new PrincipalCase("User:*", true),
            new PrincipalCase("User:bob", false),
            new PrincipalCase("Group:alice", false),
            new PrincipalCase("User:Alice", false)); // case matters

    /** Entry hosts and whether they apply to a client at 10.0.0.1. */
    private record HostCase(String host, boolean applies) {
    }

    private static final List<HostCase> HOSTS = List.of(
            new HostCase("*", true),
            new HostCase("10.0.0.1", true),
            new HostCase("10.0.0.2", false),
            new HostCase("10.0.0.10", false));

    /** Operations an ACL may name. */
    private static final Set<AclOperation> ACL_OPERATIONS = EnumSet.complementOf(
            EnumSet.of(AclOperation.UNKNOWN, AclOperation.ANY));
    /** Operations a request may ask for. */
    private static final Set<AclOperation> ACTION_OPERATIONS = EnumSet.complementOf(
            EnumSet.of(AclOperation.UNKNOWN, AclOperation.ANY, AclOperation.ALL));

    /** Kafka's implications, which hold for ALLOW entries only. */
    private static boolean allowCovers(AclOperation aclOp, AclOperation asked) {
        if (aclOp == AclOperation.ALL || aclOp == asked) {
            return true;
        }
        return switch (asked) {
            case DESCRIBE -> Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER)
                    .contains(aclOp);
            case DESCRIBE_CONFIGS -> aclOp == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }

    private static boolean denyCovers(AclOperation aclOp, AclOperation asked) {
        return aclOp == AclOperation.ALL || aclOp == asked;
    }

    @Test
    void oneAclAtATimeAcrossEveryDimension() {
        int checked = 0;
        List<String> failures = new ArrayList<>();
        for (PatternCase pattern : PATTERNS) {
            for (PrincipalCase principal : PRINCIPALS) {
                for (HostCase host : HOSTS) {
                    for (AclOperation aclOp : ACL_OPERATIONS) {
                        for (AclPermissionType permission : List.of(AclPermissionType.ALLOW, AclPermissionType.DENY)) {
                            AclBinding acl = new AclBinding(pattern.pattern(),
                                    new AccessControlEntry(principal.principal(), host.host(), aclOp, permission));
                            AclIndex index = AclIndex.of(List.of(acl));
                            for (boolean superUser : new boolean[] {false, true}) {
                                for (boolean allowEveryone : new boolean[] {false, true}) {
                                    StandardAuthorizer authorizer = new StandardAuthorizer(index,
                                            superUser ? Set.of("User:alice") : Set.of(), allowEveryone);
                                    for (AclOperation asked : ACTION_OPERATIONS) {
                                        boolean covers = permission == AclPermissionType.ALLOW
                                                ? allowCovers(aclOp, asked) : denyCovers(aclOp, asked);
                                        boolean expected;
                                        if (superUser) {
                                            expected = true;
                                        } else if (!pattern.applies()) {
                                            expected = allowEveryone; // no ACL on the resource at all
                                        } else if (principal.applies() && host.applies() && covers) {
                                            expected = permission == AclPermissionType.ALLOW;
                                        } else {
                                            expected = false; // the resource has ACLs, none for this request
                                        }
                                        boolean actual = authorizer.authorize(ALICE,
                                                new Action(asked, ResourceType.TOPIC, TOPIC)).allowed();
                                        checked++;
                                        if (actual != expected) {
                                            failures.add(acl + " asked " + asked + " superUser=" + superUser
                                                    + " allowEveryone=" + allowEveryone + ": expected " + expected);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())), failures.size() + " failures");
        assertTrue(checked > 100_000, "checked " + checked);
    }

    @Test
    void denyWinsOverAllowWhereverEachComesFrom() {
        List<ResourcePattern> applying = List.of(literal(TOPIC), literal("*"), prefixed("ord"), prefixed(TOPIC));
        for (ResourcePattern allowOn : applying) {
            for (ResourcePattern denyOn : applying) {
                StandardAuthorizer a = authorizer(false,
                        acl(allowOn, "User:alice", "*", AclOperation.ALL, AclPermissionType.ALLOW),
                        acl(denyOn, "User:*", "*", AclOperation.READ, AclPermissionType.DENY));
                AuthorizationDecision d = a.authorize(ALICE, read(TOPIC));
                assertFalse(d.allowed(), "allow on " + allowOn + ", deny on " + denyOn);
                assertEquals(denyOn, assertInstanceOf(AuthorizationDecision.MatchingAcl.class, d).acl().pattern());
            }
        }
    }

    @Test
    void aDenyOfReadLeavesDescribeAloneButADenyOfAllDeniesIt() {
        StandardAuthorizer denyRead = authorizer(false,
                acl(literal(TOPIC), "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW),
                acl(literal(TOPIC), "User:alice", "*", AclOperation.READ, AclPermissionType.DENY));
        assertFalse(denyRead.authorize(ALICE, read(TOPIC)).allowed());
        assertTrue(denyRead.authorize(ALICE, describe(TOPIC)).allowed(), "the ALLOW of READ implies DESCRIBE");

        StandardAuthorizer denyAll = authorizer(false,
                acl(literal(TOPIC), "User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.ALLOW),
                acl(prefixed("o"), "User:*", "*", AclOperation.ALL, AclPermissionType.DENY));
        assertFalse(denyAll.authorize(ALICE, describe(TOPIC)).allowed());
    }

    @Test
    void aDenyOfDescribeDoesNotDenyRead() {
        StandardAuthorizer a = authorizer(false,
                acl(literal(TOPIC), "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW),
                acl(literal(TOPIC), "User:alice", "*", AclOperation.DESCRIBE, AclPermissionType.DENY));
        assertTrue(a.authorize(ALICE, read(TOPIC)).allowed());
        assertFalse(a.authorize(ALICE, describe(TOPIC)).allowed());
    }

    @Test
    void impliedOperationsComeOnlyFromAllows() {
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER)) {
            assertTrue(authorizer(false, acl(literal(TOPIC), "User:alice", "*", op, AclPermissionType.ALLOW))
                    .authorize(ALICE, describe(TOPIC)).allowed(), op + " implies DESCRIBE");
        }
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
                AclOperation.CLUSTER_ACTION, AclOperation.IDEMPOTENT_WRITE)) {
            assertFalse(authorizer(false, acl(literal(TOPIC), "User:alice", "*", op, AclPermissionType.ALLOW))
                    .authorize(ALICE, describe(TOPIC)).allowed(), op + " does not imply DESCRIBE");
        }
        assertTrue(authorizer(false, acl(literal(TOPIC), "User:alice", "*", AclOperation.ALTER_CONFIGS,
                AclPermissionType.ALLOW)).authorize(ALICE, action(AclOperation.DESCRIBE_CONFIGS, TOPIC)).allowed());
        assertFalse(authorizer(false, acl(literal(TOPIC), "User:alice", "*", AclOperation.DESCRIBE_CONFIGS,
                AclPermissionType.ALLOW)).authorize(ALICE, action(AclOperation.ALTER_CONFIGS, TOPIC)).allowed());
        assertFalse(authorizer(false, acl(literal(TOPIC), "User:alice", "*", AclOperation.DESCRIBE,
                AclPermissionType.ALLOW)).authorize(ALICE, read(TOPIC)).allowed(), "nothing implies upwards");
    }

    @Test
    void superUsersPassEvenADenyOfEverythingAndMatchByExactPrincipalText() {
        StandardAuthorizer a = new StandardAuthorizer(AclIndex.of(List.of(
                acl(literal("*"), "User:*", "*", AclOperation.ALL, AclPermissionType.DENY))),
                Set.of("User:alice"), false);
        AuthorizationDecision d = a.authorize(ALICE, read(TOPIC));
        assertTrue(d.allowed());
        assertEquals("SuperUser", d.rule());
        assertFalse(a.authorize(new Requester(KafkaPrincipal.user("Alice"), "10.0.0.1"), read(TOPIC)).allowed());
        assertFalse(a.authorize(new Requester(new KafkaPrincipal("Group", "alice"), "10.0.0.1"), read(TOPIC)).allowed());
    }

    @Test
    void noAclFoundMeansNoAclOfAnyPrincipalOnTheResource() {
        StandardAuthorizer open = authorizer(true,
                acl(literal("payments"), "User:bob", "*", AclOperation.READ, AclPermissionType.ALLOW),
                acl(literal(TOPIC), "User:bob", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        assertTrue(open.authorize(ALICE, read("payments-archive")).allowed(), "no ACL on this topic: allowed");
        AuthorizationDecision d = open.authorize(ALICE, read(TOPIC));
        assertFalse(d.allowed(), "bob's ACL on the topic closes it to everyone else");
        assertInstanceOf(AuthorizationDecision.NoMatchingAcl.class, d);
        assertEquals("DefaultDeny", d.rule());
        assertEquals("DefaultAllow", open.authorize(ALICE, read("other")).rule());

        StandardAuthorizer closed = authorizer(false);
        assertEquals(new AuthorizationDecision.NoAclFound(false), closed.authorize(ALICE, read(TOPIC)));
    }

    @Test
    void clusterAndOtherResourceTypesUseTheirOwnAcls() {
        StandardAuthorizer a = authorizer(false,
                acl(new ResourcePattern(ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, PatternType.LITERAL),
                        "User:alice", "*", AclOperation.ALTER, AclPermissionType.ALLOW),
                acl(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED),
                        "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW));
        assertTrue(a.authorize(ALICE, Action.onCluster(AclOperation.ALTER)).allowed());
        assertTrue(a.authorize(ALICE, Action.onCluster(AclOperation.DESCRIBE)).allowed(), "ALTER implies DESCRIBE");
        assertFalse(a.authorize(ALICE, Action.onCluster(AclOperation.CLUSTER_ACTION)).allowed());
        assertTrue(a.authorize(ALICE, new Action(AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tx-1")).allowed());
        assertFalse(a.authorize(ALICE, new Action(AclOperation.WRITE, ResourceType.TOPIC, "tx-1")).allowed());
    }

    @Test
    void aRequesterNamedWildcardIsOnePrincipalLikeAnyOther() {
        Requester star = new Requester(KafkaPrincipal.user("*"), "10.0.0.1");
        StandardAuthorizer a = authorizer(false,
                acl(literal(TOPIC), "User:*", "*", AclOperation.READ, AclPermissionType.ALLOW));
        assertTrue(a.authorize(star, read(TOPIC)).allowed());
        assertFalse(a.authorize(star, action(AclOperation.WRITE, TOPIC)).allowed());
    }

    @Test
    void ipv6HostsMatchAsText() {
        Requester v6 = new Requester(KafkaPrincipal.user("alice"), "0:0:0:0:0:0:0:1");
        StandardAuthorizer a = authorizer(false,
                acl(literal(TOPIC), "User:alice", "0:0:0:0:0:0:0:1", AclOperation.READ, AclPermissionType.ALLOW),
                acl(literal(TOPIC), "User:alice", "::1", AclOperation.WRITE, AclPermissionType.ALLOW));
        assertTrue(a.authorize(v6, read(TOPIC)).allowed());
        assertFalse(a.authorize(v6, action(AclOperation.WRITE, TOPIC)).allowed(), "hosts are compared as text");
    }

    @Test
    void theDecidingAclIsNamedInTheRule() {
        AclBinding allow = acl(prefixed("ord"), "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW);
        AuthorizationDecision d = authorizer(false, allow).authorize(ALICE, read(TOPIC));
        assertEquals(new AuthorizationDecision.MatchingAcl(allow), d);
        assertEquals("MatchingAcl(acl=StandardAcl(resourceType=TOPIC, resourceName=ord, patternType=PREFIXED, "
                + "principal=User:alice, host=*, operation=READ, permissionType=ALLOW))", d.rule());
    }

    @Test
    void authorizeByResourceTypeFollowsKafka() {
        ResourceType topic = ResourceType.TOPIC;
        AclOperation write = AclOperation.WRITE;
        assertFalse(authorizer(false).authorizeByResourceType(ALICE, write, topic), "no ACLs, default deny");
        assertTrue(authorizer(true).authorizeByResourceType(ALICE, write, topic), "no ACLs, default allow");
        assertTrue(new StandardAuthorizer(AclIndex.of(List.of(acl(literal("*"), "User:*", "*", AclOperation.ALL,
                AclPermissionType.DENY))), Set.of("User:alice"), false).authorizeByResourceType(ALICE, write, topic),
                "super users pass");

        assertTrue(authorizer(false, acl(literal("t1"), "User:alice", "*", write, AclPermissionType.ALLOW))
                .authorizeByResourceType(ALICE, write, topic));
        assertFalse(authorizer(false, acl(literal("t1"), "User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW))
                .authorizeByResourceType(ALICE, AclOperation.DESCRIBE, topic), "no implied operations here");
        assertFalse(authorizer(false,
                acl(literal("t1"), "User:alice", "*", write, AclPermissionType.ALLOW),
                acl(literal("t1"), "User:alice", "*", write, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "a literal DENY cancels the same literal ALLOW");
        assertFalse(authorizer(false,
                acl(prefixed("t1-abc"), "User:*", "*", write, AclPermissionType.ALLOW),
                acl(prefixed("t1"), "User:alice", "*", AclOperation.ALL, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "a shorter PREFIXED DENY dominates");
        assertTrue(authorizer(false,
                acl(prefixed("t1"), "User:*", "*", write, AclPermissionType.ALLOW),
                acl(literal("t1"), "User:alice", "*", write, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "a LITERAL DENY does not dominate a PREFIXED ALLOW");
        assertFalse(authorizer(false,
                acl(literal("t1"), "User:alice", "*", write, AclPermissionType.ALLOW),
                acl(literal("*"), "User:*", "10.0.0.1", write, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "a wildcard DENY denies everything");
        assertTrue(authorizer(false,
                acl(literal("t1"), "User:alice", "*", write, AclPermissionType.ALLOW),
                acl(literal("*"), "User:*", "10.9.9.9", write, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "a DENY for another host does not count");
        assertFalse(authorizer(false, acl(literal("t1"), "User:bob", "*", write, AclPermissionType.ALLOW))
                .authorizeByResourceType(ALICE, write, topic), "another principal's ALLOW does not count");
        assertTrue(authorizer(false, acl(prefixed("hard"), "User:alice", "*", write, AclPermissionType.ALLOW),
                acl(literal("x"), "User:alice", "*", write, AclPermissionType.DENY))
                .authorizeByResourceType(ALICE, write, topic), "the probe name 'hardcode' counts as a resource");
    }

    // ---- helpers ----

    private static ResourcePattern literal(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.PREFIXED);
    }

    private static AclBinding acl(ResourcePattern pattern, String principal, String host, AclOperation op,
                                  AclPermissionType permission) {
        return new AclBinding(pattern, new AccessControlEntry(principal, host, op, permission));
    }

    private static StandardAuthorizer authorizer(boolean allowEveryone, AclBinding... acls) {
        return new StandardAuthorizer(AclIndex.of(List.of(acls)), Set.of(), allowEveryone);
    }

    private static Action action(AclOperation op, String topic) {
        return new Action(op, ResourceType.TOPIC, topic);
    }

    private static Action read(String topic) {
        return action(AclOperation.READ, topic);
    }

    private static Action describe(String topic) {
        return action(AclOperation.DESCRIBE, topic);
    }
}
