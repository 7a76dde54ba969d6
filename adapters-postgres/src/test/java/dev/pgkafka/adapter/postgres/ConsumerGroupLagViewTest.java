package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/** The view kafka.consumer_group_lag shows committed offsets with lag in psql; deleted topics take their offsets along. */
class ConsumerGroupLagViewTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Test
    void theViewShowsCommittedOffsetsAndLagPerPartition() throws SQLException {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2)) {
            Topic topic = new Topic(TopicIds.random(), "payments", 2, Map.of());
            storage.topics().create(topic).orElseThrow();
            TopicIdPartition p0 = topic.partition(0);
            List<LogRecord> records = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                records.add(new LogRecord(1_700_000_000_000L + i, null, new byte[] {(byte) i}, List.of()));
            }
            storage.log().append(tx -> {
                tx.lockHeads(new TreeSet<>(List.of(p0)));
                tx.append(p0, 0, new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN, records, 100));
                return null;
            });
            storage.offsets().commit("billing", Map.of(
                    p0, new CommittedOffset(4, -1, "checkpoint ✓", 1_700_000_000_000L, OptionalLong.empty()),
                    topic.partition(1), new CommittedOffset(0, -1, "", 1_700_000_000_000L, OptionalLong.empty())));

            try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
                 PreparedStatement ps = c.prepareStatement("""
                         SELECT topic, partition, committed_offset, log_end_offset, lag, metadata, committed_at
                           FROM kafka.consumer_group_lag WHERE group_id = ? ORDER BY topic, partition
                         """)) {
                ps.setString(1, "billing");
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals("payments", rs.getString(1));
                    assertEquals(0, rs.getInt(2));
                    assertEquals(4, rs.getLong(3));
                    assertEquals(10, rs.getLong(4));
                    assertEquals(6, rs.getLong(5));
                    assertEquals("checkpoint ✓", rs.getString(6));
                    assertEquals(1_700_000_000_000L, rs.getTimestamp(7).getTime());
                    assertTrue(rs.next());
                    assertEquals(0, rs.getLong(5), "an empty partition has no lag");
                    assertFalse(rs.next());
                }
                try (var s = c.createStatement()) {
                    s.executeUpdate("DELETE FROM kafka.topics WHERE name = 'payments'");
                }
            }
            assertEquals(Map.of(), storage.offsets().fetchAll("billing"), "a deleted topic takes its offsets along");
        }
    }
}
