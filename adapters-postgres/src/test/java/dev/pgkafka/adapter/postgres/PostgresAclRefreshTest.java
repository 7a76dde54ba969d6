package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.service.security.AclCache;
import dev.pgkafka.application.service.security.AclService;
import dev.pgkafka.application.service.security.AuthorizationService;
import dev.pgkafka.application.service.security.AuthorizerSettings;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.AclPermissionType;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.PatternType;
import dev.pgkafka.domain.security.acl.ResourcePattern;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * Two brokers on one database: an ACL change through one is in force on the other within a second,
 * and so is a change made by hand in psql. The table reads as Kafka's names.
 */
class PostgresAclRefreshTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final Requester ALICE = new Requester(KafkaPrincipal.user("alice"), "10.0.0.1");
    private static final Action READ_ORDERS = new Action(AclOperation.READ, ResourceType.TOPIC, "orders");
    private static final AclBinding ALLOW = new AclBinding(
            new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));

    @Test
    void aChangeThroughAnotherBrokerIsInForceWithinASecond() throws Exception {
        try (PostgresStorage here = PostgresStorage.open(DB.jdbcUrl(), 2);
             PostgresStorage there = PostgresStorage.open(DB.jdbcUrl(), 2);
             AclCache cache = AclCache.load(here.acls());
             AclCache otherCache = AclCache.load(there.acls())) {
            cache.startPolling(AclCache.DEFAULT_POLL_INTERVAL);
            AuthorizationService authorizer = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of()));
            AclService otherBroker = new AclService(there.acls(), otherCache);
            assertFalse(authorizer.authorize(ALICE, READ_ORDERS));

            otherBroker.createAcls(List.of(ALLOW));
            long created = awaitMs(() -> authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(created < 1_000, "in force after " + created + " ms");

            otherBroker.deleteAcls(List.of(AclBindingFilter.ANY));
            long deleted = awaitMs(() -> !authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(deleted < 1_000, "gone after " + deleted + " ms");
        }
    }

    @Test
    void anEditInPsqlCountsAsAChangeAndTheTableReadsAsKafkasNames() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2);
             AclCache cache = AclCache.load(storage.acls());
             Connection psql = DriverManager.getConnection(DB.jdbcUrl());
             Statement st = psql.createStatement()) {
            cache.startPolling(AclCache.DEFAULT_POLL_INTERVAL);
            AuthorizationService authorizer = new AuthorizationService(cache, AuthorizerSettings.enabled(Set.of()));
            // a session whose search path does not include the schema, as a person's psql would be
            st.execute("SET search_path = public");
            st.executeUpdate("INSERT INTO kafka.acls (resource_type, resource_name, pattern_type, principal, host, "
                    + "operation, permission_type) VALUES ('TOPIC', 'ord', 'PREFIXED', 'User:alice', '*', 'READ', 'ALLOW')");
            long seen = awaitMs(() -> authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(seen < 1_000, "in force after " + seen + " ms");

            try (ResultSet rs = st.executeQuery("SELECT resource_type, resource_name, pattern_type, principal, host, "
                    + "operation, permission_type FROM kafka.acls")) {
                assertTrue(rs.next());
                assertEquals(List.of("TOPIC", "ord", "PREFIXED", "User:alice", "*", "READ", "ALLOW"),
                        List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                rs.getString(6), rs.getString(7)));
            }
            st.executeUpdate("DELETE FROM kafka.acls");
            long gone = awaitMs(() -> !authorizer.authorize(ALICE, READ_ORDERS));
            assertTrue(gone < 1_000, "removal in force after " + gone + " ms");
        }
    }

    @Test
    void theTableRefusesWhatKafkaWouldNotStore() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2);
             Connection psql = DriverManager.getConnection(DB.jdbcUrl());
             Statement st = psql.createStatement()) {
            storage.acls().version(); // migrated
            for (String values : List.of(
                    "('ANY', 'x', 'LITERAL', 'User:a', '*', 'READ', 'ALLOW')",
                    "('TOPIC', 'x', 'MATCH', 'User:a', '*', 'READ', 'ALLOW')",
                    "('TOPIC', 'x', 'LITERAL', 'alice', '*', 'READ', 'ALLOW')",
                    "('TOPIC', '', 'LITERAL', 'User:a', '*', 'READ', 'ALLOW')",
                    "('TOPIC', 'x', 'LITERAL', 'User:a', '*', 'ANY', 'ALLOW')",
                    "('TOPIC', 'x', 'LITERAL', 'User:a', '*', 'READ', 'ANY')")) {
                try {
                    st.executeUpdate("INSERT INTO kafka.acls (resource_type, resource_name, pattern_type, principal, "
                            + "host, operation, permission_type) VALUES " + values);
                    throw new AssertionError("stored " + values);
                } catch (java.sql.SQLException e) {
                    assertEquals("23514", e.getSQLState(), values + ": " + e.getMessage()); // check_violation
                }
            }
        }
    }

    private static long awaitMs(BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }
}
