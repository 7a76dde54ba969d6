package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.service.quota.ClientQuotaCache;
import dev.pgkafka.application.service.quota.ClientQuotaService;
import dev.pgkafka.domain.quota.QuotaAlterations.Alteration;
import dev.pgkafka.domain.quota.QuotaAlterations.Op;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * Two brokers on one database: a quota change through one is in force on the other within a second,
 * and so is a change made by hand in psql. The table reads as Kafka's tools print quotas, and refuses
 * rows Kafka would never store.
 */
class PostgresClientQuotaRefreshTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void aChangeThroughAnotherBrokerIsInForceWithinASecond() throws Exception {
        try (PostgresStorage here = PostgresStorage.open(DB.jdbcUrl(), 2);
             PostgresStorage there = PostgresStorage.open(DB.jdbcUrl(), 2);
             ClientQuotaCache cache = ClientQuotaCache.load(here.clientQuotas());
             ClientQuotaCache otherCache = ClientQuotaCache.load(there.clientQuotas())) {
            cache.startPolling(ClientQuotaCache.DEFAULT_POLL_INTERVAL);
            ClientQuotaService otherBroker = new ClientQuotaService(there.clientQuotas(), otherCache);

            otherBroker.alter(List.of(new Alteration(Map.of("user", "alice"),
                    List.of(Op.set("producer_byte_rate", 1048576)))), false);
            long set = awaitMs(() -> cache.quotas().resolve(QuotaKey.PRODUCER_BYTE_RATE, "alice", "x").isPresent());
            assertTrue(set < 1_000, "in force after " + set + " ms");

            otherBroker.alter(List.of(new Alteration(Map.of("user", "alice"),
                    List.of(Op.remove("producer_byte_rate")))), false);
            long removed = awaitMs(() -> cache.quotas().isEmpty());
            assertTrue(removed < 1_000, "gone after " + removed + " ms");
        }
    }

    @Test
    void anEditInPsqlCountsAsAChangeAndTheTableReadsAsKafkasToolsPrintQuotas() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2);
             ClientQuotaCache cache = ClientQuotaCache.load(storage.clientQuotas());
             Connection psql = DriverManager.getConnection(DB.jdbcUrl());
             Statement st = psql.createStatement()) {
            cache.startPolling(ClientQuotaCache.DEFAULT_POLL_INTERVAL);
            new ClientQuotaService(storage.clientQuotas(), cache).alter(List.of(
                    new Alteration(entity("user", "alice", "client-id", null), List.of(Op.set("consumer_byte_rate", 2048))),
                    new Alteration(entity("ip", null), List.of(Op.set("connection_creation_rate", 10)))), false);
            // a session whose search path does not include the schema, as a person's psql would be
            st.execute("SET search_path = public");
            st.executeUpdate("INSERT INTO kafka.client_quotas (user_default, quota_key, value) "
                    + "VALUES (true, 'request_percentage', 25)");
            long seen = awaitMs(() -> cache.quotas().resolve(QuotaKey.REQUEST_PERCENTAGE, "bob", "x").isPresent());
            assertTrue(seen < 1_000, "in force after " + seen + " ms");

            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT entity, quota_key, value FROM kafka.client_quotas "
                    + "ORDER BY entity, quota_key")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + "=" + rs.getDouble(3));
                }
            }
            assertEquals(List.of("ip=<default> connection_creation_rate=10.0",
                    "user=<default> request_percentage=25.0",
                    "user=alice, client-id=<default> consumer_byte_rate=2048.0"), rows);

            st.executeUpdate("DELETE FROM kafka.client_quotas");
            long gone = awaitMs(() -> cache.quotas().isEmpty());
            assertTrue(gone < 1_000, "removal in force after " + gone + " ms");
        }
    }

    @Test
    void theTableRefusesWhatKafkaWouldNotStore() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2);
             Connection psql = DriverManager.getConnection(DB.jdbcUrl());
             Statement st = psql.createStatement()) {
            storage.clientQuotas().version(); // migrated
            for (String values : List.of(
                    "(NULL, false, NULL, false, NULL, false, 'producer_byte_rate', 1)",   // no entity
                    "('', false, NULL, false, NULL, false, 'producer_byte_rate', 1)",     // empty name
                    "('a', true, NULL, false, NULL, false, 'producer_byte_rate', 1)",     // a named default
                    "('a', false, NULL, false, '10.0.0.1', false, 'producer_byte_rate', 1)", // ip with a user
                    "(NULL, false, NULL, false, '10.0.0.1', false, 'producer_byte_rate', 1)", // wrong key for ip
                    "('a', false, NULL, false, NULL, false, 'connection_creation_rate', 1)", // ip key for a user
                    "('a', false, NULL, false, NULL, false, 'producer_rate', 1)",         // unknown key
                    "('a', false, NULL, false, NULL, false, 'producer_byte_rate', 0)")) { // not above 0
                try {
                    st.executeUpdate("INSERT INTO kafka.client_quotas (user_name, user_default, client_id, "
                            + "client_id_default, ip, ip_default, quota_key, value) VALUES " + values);
                    throw new AssertionError("stored " + values);
                } catch (java.sql.SQLException e) {
                    assertEquals("23514", e.getSQLState(), values + ": " + e.getMessage()); // check_violation
                }
            }
            st.executeUpdate("INSERT INTO kafka.client_quotas (user_name, quota_key, value) VALUES ('z', 'producer_byte_rate', 1)");
            try {
                st.executeUpdate("INSERT INTO kafka.client_quotas (user_name, quota_key, value) VALUES ('z', 'producer_byte_rate', 2)");
                throw new AssertionError("stored an entity's key twice");
            } catch (java.sql.SQLException e) {
                assertEquals("23505", e.getSQLState(), e.getMessage()); // unique_violation
            }
        }
    }

    private static Map<String, String> entity(String... typeAndName) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            m.put(typeAndName[i], typeAndName[i + 1]);
        }
        return m;
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
