package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/** The view kafka.messages is what a person reads in psql: the documented query must work and never fail. */
class MessagesViewTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static PostgresStorage storage;
    private static Topic topic;
    private static final byte[] NOT_UTF8 = {(byte) 0xff, (byte) 0xfe, 0, 65};

    @BeforeAll
    static void appendRecords() {
        storage = PostgresStorage.open(DB.jdbcUrl(), 2);
        topic = new Topic(TopicIds.random(), "orders", 2, Map.of());
        storage.topics().create(topic).orElseThrow();
        TopicIdPartition tp = topic.partition(1);
        AppendBatch batch = new AppendBatch(new ProducerStamp(7, (short) 1, 0), BatchAttributes.PLAIN, List.of(
                new LogRecord(1_700_000_000_123L, "k1".getBytes(StandardCharsets.UTF_8),
                        "{\"total\": 42}".getBytes(StandardCharsets.UTF_8),
                        List.of(new Header("trace-id", "abc".getBytes(StandardCharsets.UTF_8)), new Header("empty", null),
                                new Header("binary", NOT_UTF8))),
                new LogRecord(1_700_000_000_124L, NOT_UTF8, null, List.of())), 100);
        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            tx.append(tp, 0, batch);
            return null;
        });
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    private static Connection psql() throws SQLException {
        // like a psql user: no currentSchema, the view is named with its schema
        return DriverManager.getConnection(DB.jdbcUrl());
    }

    @Test
    void theDocumentedQueryShowsTheRecords() throws SQLException {
        try (Connection c = psql();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT topic, partition, "offset", timestamp, key, value, headers::text, key_text, value_text,
                            timestamp_type, producer_id, sequence, transactional
                       FROM kafka.messages WHERE topic = ? ORDER BY partition, "offset"
                     """)) {
            ps.setString(1, "orders");
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("orders", rs.getString("topic"));
                assertEquals(1, rs.getInt("partition"));
                assertEquals(0L, rs.getLong("offset"));
                assertEquals(Instant.ofEpochMilli(1_700_000_000_123L), rs.getObject("timestamp", OffsetDateTime.class).toInstant());
                assertArrayEquals("k1".getBytes(StandardCharsets.UTF_8), rs.getBytes("key"));
                assertEquals("{\"total\": 42}", new String(rs.getBytes("value"), StandardCharsets.UTF_8));
                assertEquals("[{\"key\": \"trace-id\", \"value\": \"abc\"}, {\"key\": \"empty\", \"value\": null}, "
                        + "{\"key\": \"binary\", \"value\": \"\\\\xfffe0041\"}]", rs.getString("headers"));
                assertEquals("k1", rs.getString("key_text"));
                assertEquals("{\"total\": 42}", rs.getString("value_text"));
                assertEquals("CreateTime", rs.getString("timestamp_type"));
                assertEquals(7L, rs.getLong("producer_id"));
                assertEquals(0, rs.getInt("sequence"));
                assertFalse(rs.getBoolean("transactional"));

                assertTrue(rs.next());
                assertEquals(1L, rs.getLong("offset"));
                assertEquals("\\xfffe0041", rs.getString("key_text"), "bytes that are not UTF-8 show as hex, no error");
                assertEquals(null, rs.getBytes("value"));
                assertEquals(null, rs.getString("value_text"));
                assertEquals("[]", rs.getString("headers"));
                assertFalse(rs.next());
            }
        }
    }

    @Test
    void filteringByTopicPartitionAndOffsetUsesTheRecordsPrimaryKey() throws SQLException {
        try (Connection c = psql(); var s = c.createStatement()) {
            s.execute("SET enable_seqscan = off"); // the tables are tiny; ask whether the index can serve the filter
            try (ResultSet rs = s.executeQuery("""
                    EXPLAIN SELECT * FROM kafka.messages WHERE topic = 'orders' AND partition = 1 AND "offset" >= 1
                    """)) {
                StringBuilder plan = new StringBuilder();
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
                assertTrue(plan.toString().contains("records_pkey"), plan.toString());
            }
        }
    }

    @Test
    void bytesToTextNeverFails() throws SQLException {
        try (Connection c = psql();
             PreparedStatement ps = c.prepareStatement("SELECT kafka.bytes_to_text(?), kafka.bytes_to_text(?), kafka.bytes_to_text(NULL)")) {
            ps.setBytes(1, "gr\u00fc\u00df \ud83d\ude00".getBytes(StandardCharsets.UTF_8));
            ps.setBytes(2, new byte[]{0});
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertEquals("gr\u00fc\u00df \ud83d\ude00", rs.getString(1));
                assertEquals("\\x00", rs.getString(2), "NUL is not allowed in text: hex instead");
                assertEquals(null, rs.getString(3));
            }
        }
    }
}
