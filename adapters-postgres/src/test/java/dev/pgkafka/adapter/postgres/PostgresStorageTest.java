package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.port.out.StorageException;

/** Opening the storage: migrations, the schema, and what it says about itself. */
class PostgresStorageTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void openMigratesIntoTheKafkaSchemaOnceAndDescribesWithoutThePassword() throws SQLException {
        String url = DB.jdbcUrl() + (DB.jdbcUrl().contains("?") ? "&" : "?") + "password=s3cret-value";
        try (PostgresStorage first = PostgresStorage.open(url, 2); PostgresStorage second = PostgresStorage.open(url, 2)) {
            String description = first.health().describe();
            assertTrue(description.contains(DB.databaseName()), description);
            assertTrue(description.contains("schema kafka"), description);
            assertFalse(description.contains("s3cret"), description);
            assertEquals(first.cluster().clusterId(), second.cluster().clusterId());
        }
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl()); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'kafka' "
                    + "ORDER BY table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertEquals(List.of("aborted_transactions", "acl_version", "acls", "broker_configs", "cleaner_checkpoints", "client_quota_version",
                    "client_quotas", "cluster",
                    "consumer_group_assignments", "consumer_group_lag", "consumer_group_members", "consumer_groups",
                    "consumer_offsets", "consumer_protocol_groups", "consumer_protocol_members",
                    "consumer_protocol_partitions", "deleted_topics", "flyway_schema_history", "messages", "partitions",
                    "pending_transactional_offsets", "producer_state", "records", "scram_credentials", "time_index", "topics",
                    "transaction_partitions", "transactions"), tables);
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM kafka.flyway_schema_history WHERE version = '1' AND success")) {
                rs.next();
                assertEquals(1, rs.getInt(1), "migrated once, not once per open");
            }
        }
    }

    @Test
    void nothingIsCreatedOutsideTheKafkaSchema() throws SQLException {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 1);
             Connection c = DriverManager.getConnection(DB.jdbcUrl());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace "
                     + "WHERE n.nspname = 'public'")) {
            storage.health().ping();
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    @Test
    void anUnreachableDatabaseFailsFastWithAStorageException() {
        StorageException e = assertThrows(StorageException.class,
                () -> PostgresStorage.open("jdbc:postgresql://127.0.0.1:1/none?user=x&password=hidden&connectTimeout=2", 1));
        assertTrue(e.getMessage().contains("127.0.0.1:1/none"), e.getMessage());
        assertFalse(e.getMessage().contains("hidden"), e.getMessage());
    }
}
