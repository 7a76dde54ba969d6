package dev.pgkafka.e2e;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** What the broker's tables hold, read with SQL as a person would: the end-to-end tests' view of storage. */
final class RecordsTable {
    private final String jdbcUrl;

    RecordsTable(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** Offsets of the rows in kafka.records for a topic's partition, in order (deleted topics included). */
    List<Long> offsets(String topic, int partition) throws SQLException {
        return longs("SELECT r.\"offset\" FROM kafka.records r JOIN kafka.topics t ON t.topic_key = r.topic_key "
                + "WHERE t.name = ? AND r.partition = ? ORDER BY r.\"offset\"", topic, partition);
    }

    /** Rows of a topic key in kafka.records, whether or not the topic still exists. */
    long rowsOfTopicKey(long topicKey) throws SQLException {
        return longs("SELECT count(*) FROM kafka.records WHERE topic_key = ?", topicKey).getFirst();
    }

    long topicKey(String topic) throws SQLException {
        return longs("SELECT topic_key FROM kafka.topics WHERE name = ?", topic).getFirst();
    }

    /** Heap, TOAST and indexes of kafka.records, in bytes. */
    long totalSize() throws SQLException {
        return longs("SELECT pg_total_relation_size('kafka.records')").getFirst();
    }

    List<Long> longs(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }
}
