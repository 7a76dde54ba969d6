package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeleteAclsResult;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.pgkafka.adapter.postgres.PostgresStorage;
import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.service.security.AclCache;
import dev.pgkafka.application.service.security.AclService;
import dev.pgkafka.application.service.security.AuthorizerSettings;
import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * A broker with the authorizer on, no super users and no ACLs, and a stock Admin client, which on
 * PLAINTEXT is User:ANONYMOUS: refused until an ACL grants it ALTER on the cluster; that ACL,
 * written by another broker on the same database, is in force here within a second; then ACLs
 * round-trip through CreateAcls, DescribeAcls and DeleteAcls, and revoking its own grant locks the
 * client out at once. The steps build on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AclsWithAuthorizerTest extends BrokerTestSupport {
    private static final AclBinding ANONYMOUS_ALTERS_CLUSTER = new AclBinding(
            new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL),
            new AccessControlEntry("User:ANONYMOUS", "*", AclOperation.ALTER, AclPermissionType.ALLOW));
    private static final AclBinding ALICE_READS_ORDERS = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
    private static final AclBinding NOBODY_WRITES_ORD = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "ord", PatternType.PREFIXED),
            new AccessControlEntry("User:*", "10.0.0.1", AclOperation.WRITE, AclPermissionType.DENY));
    private static final AclBinding BOB_IN_GROUP = new AclBinding(
            new ResourcePattern(ResourceType.GROUP, "billing", PatternType.LITERAL),
            new AccessControlEntry("User:bob", "*", AclOperation.READ, AclPermissionType.ALLOW));

    /** The broker of {@link BrokerTestSupport}, with ACLs on as Kafka's server.properties turns them on. */
    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withProperties(java.util.Map.of(
                "authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
    }

    @Test
    @Order(1)
    void withoutAnAclTheClientMayNeitherDescribeNorChangeAcls() {
        Admin admin = admin();
        ClusterAuthorizationException described = refused(ClusterAuthorizationException.class,
                () -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
        assertTrue(described.getMessage().endsWith("needs DESCRIBE permission."), described.getMessage());
        refused(ClusterAuthorizationException.class,
                () -> admin.createAcls(List.of(ALICE_READS_ORDERS)).all().get(30, TimeUnit.SECONDS));
        refused(ClusterAuthorizationException.class,
                () -> admin.deleteAcls(List.of(AclBindingFilter.ANY)).all().get(30, TimeUnit.SECONDS));
    }

    @Test
    @Order(2)
    void aGrantWrittenByAnotherBrokerIsInForceHereWithinASecond() throws Exception {
        Admin admin = admin();
        try (PostgresStorage otherBroker = PostgresStorage.open(jdbcUrl, 1);
             AclCache otherCache = AclCache.load(otherBroker.acls())) {
            new AclService(otherBroker.acls(), otherCache).createAcls(List.of(toDomain(ANONYMOUS_ALTERS_CLUSTER)));
        }
        long granted = System.nanoTime();
        long deadline = granted + Duration.ofSeconds(10).toNanos();
        Collection<AclBinding> seen = null;
        while (seen == null && System.nanoTime() < deadline) {
            try {
                seen = admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(ClusterAuthorizationException.class, e.getCause());
                Thread.sleep(20);
            }
        }
        long ms = Duration.ofNanos(System.nanoTime() - granted).toMillis();
        assertEquals(Set.of(ANONYMOUS_ALTERS_CLUSTER), seen == null ? null : Set.copyOf(seen));
        // the promise is one second; the margin covers the Admin client's round trips on a busy machine
        assertTrue(ms < 1_500, "in force after " + ms + " ms");
    }

    @Test
    @Order(3)
    void aclsRoundTripThroughTheAdminApi() throws Exception {
        Admin admin = admin();
        admin.createAcls(List.of(ALICE_READS_ORDERS, NOBODY_WRITES_ORD, BOB_IN_GROUP)).all().get(30, TimeUnit.SECONDS);

        assertEquals(Set.of(ANONYMOUS_ALTERS_CLUSTER, ALICE_READS_ORDERS, NOBODY_WRITES_ORD, BOB_IN_GROUP),
                Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)));
        AclBindingFilter appliesToOrders = new AclBindingFilter(
                new ResourcePatternFilter(ResourceType.TOPIC, "orders", PatternType.MATCH), AccessControlEntryFilter.ANY);
        assertEquals(Set.of(ALICE_READS_ORDERS, NOBODY_WRITES_ORD),
                Set.copyOf(admin.describeAcls(appliesToOrders).values().get(30, TimeUnit.SECONDS)));

        InvalidRequestException invalid = refused(InvalidRequestException.class, () -> admin.createAcls(List.of(
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                        new AccessControlEntry("alice", "*", AclOperation.READ, AclPermissionType.ALLOW))))
                .all().get(30, TimeUnit.SECONDS));
        assertEquals("Could not parse principal from `alice` (no colon is present separating the principal type "
                + "from the principal name)", invalid.getMessage());

        DeleteAclsResult deleted = admin.deleteAcls(List.of(appliesToOrders));
        assertEquals(Set.of(ALICE_READS_ORDERS, NOBODY_WRITES_ORD),
                new HashSet<>(deleted.all().get(30, TimeUnit.SECONDS)));
        assertEquals(Set.of(ANONYMOUS_ALTERS_CLUSTER, BOB_IN_GROUP),
                Set.copyOf(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)));
    }

    @Test
    @Order(4)
    void revokingItsOwnGrantLocksTheClientOutAtOnce() throws Exception {
        Admin admin = admin();
        admin.deleteAcls(List.of(ANONYMOUS_ALTERS_CLUSTER.toFilter())).all().get(30, TimeUnit.SECONDS);
        refused(ClusterAuthorizationException.class,
                () -> admin.createAcls(List.of(ALICE_READS_ORDERS)).all().get(30, TimeUnit.SECONDS));
        refused(ClusterAuthorizationException.class,
                () -> admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS));
    }

    private static dev.pgkafka.domain.security.acl.AclBinding toDomain(AclBinding b) {
        return new dev.pgkafka.domain.security.acl.AclBinding(
                new dev.pgkafka.domain.security.acl.ResourcePattern(
                        dev.pgkafka.domain.security.acl.ResourceType.fromCode(b.pattern().resourceType().code()),
                        b.pattern().name(),
                        dev.pgkafka.domain.security.acl.PatternType.fromCode(b.pattern().patternType().code())),
                new dev.pgkafka.domain.security.acl.AccessControlEntry(b.entry().principal(), b.entry().host(),
                        dev.pgkafka.domain.security.acl.AclOperation.fromCode(b.entry().operation().code()),
                        dev.pgkafka.domain.security.acl.AclPermissionType.fromCode(b.entry().permissionType().code())));
    }

    private static <T extends Throwable> T refused(Class<T> type, Call call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        return assertInstanceOf(type, e.getCause());
    }

    private interface Call {
        void run() throws Exception;
    }
}
