package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/** Zero-setup starts: the embedded server keeps its data across restarts and lets in only those with its password. */
class EmbeddedDatabaseTest {

    @Test
    void recordsSurviveARestartOfTheEmbeddedServer(@TempDir Path dir) {
        Path data = dir.resolve("pgdata");
        Topic topic = new Topic(TopicIds.random(), "durable", 1, Map.of());
        TopicIdPartition tp = topic.partition(0);
        String clusterId;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
             PostgresStorage storage = PostgresStorage.open(db.jdbcUrl(), 2)) {
            assertTrue(storage.health().describe().contains("PostgreSQL 15."), storage.health().describe());
            assertEquals("on", setting(db, "synchronous_commit"), "acknowledged means flushed to disk");
            assertEquals("on", setting(db, "fsync"));
            storage.topics().create(topic).orElseThrow();
            storage.log().append(tx -> {
                tx.lockHeads(new TreeSet<>(List.of(tp)));
                tx.append(tp, 0, new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN,
                        List.of(new LogRecord(5, null, "kept".getBytes(), List.of())), 10));
                return null;
            });
            clusterId = storage.cluster().clusterId();
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
             PostgresStorage storage = PostgresStorage.open(db.jdbcUrl(), 2)) {
            assertEquals(data, db.dataDir());
            assertEquals(clusterId, storage.cluster().clusterId());
            List<StoredRecord> records = storage.log().read(tp, 0, 1, Integer.MAX_VALUE, true);
            assertEquals(1, records.size());
            assertEquals("kept", new String(records.getFirst().value()));
        }
    }

    @Test
    void refusesConnectionsWithoutItsPasswordAndKeepsThePasswordPrivate(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pgdata");
        String firstUrl;
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            firstUrl = db.jdbcUrl();
            String withoutPassword = firstUrl.replaceAll("&password=[^&]*", "");
            SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(withoutPassword).close());
            // the server asks for a password (SCRAM); the driver has none to give
            assertTrue(refused.getMessage().contains("SCRAM"), refused.getMessage());
            SQLException wrong = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(withoutPassword + "&password=guess").close());
            assertEquals("28P01", wrong.getSQLState());
            assertEquals("localhost", setting(db, "listen_addresses"), "loopback only");
            Path passwordFile = data.resolve(EmbeddedDatabase.PASSWORD_FILE);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(passwordFile));
            assertTrue(firstUrl.contains("password=" + Files.readString(passwordFile).trim()));
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data)) {
            assertEquals(firstUrl.replaceAll(":\\d+/", ":P/"), db.jdbcUrl().replaceAll(":\\d+/", ":P/"),
                    "a restart keeps the password");
            assertEquals("on", setting(db, "fsync"));
        }
    }

    private static String setting(EmbeddedDatabase db, String name) {
        try (Connection c = DriverManager.getConnection(db.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
    }
}
