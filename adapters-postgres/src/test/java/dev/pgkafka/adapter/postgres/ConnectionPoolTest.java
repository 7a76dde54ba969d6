package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.adapter.postgres.jdbc.ConnectionPool;
import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/** The pool hands out a bounded number of connections and never hands out a broken or busy one. */
class ConnectionPoolTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static ConnectionPool pool(int size, Duration timeout) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(DB.jdbcUrl());
        return new ConnectionPool(ds, size, timeout);
    }

    @Test
    void returnedConnectionsAreReusedAndTheBoundHolds() throws SQLException {
        try (ConnectionPool pool = pool(2, Duration.ofMillis(200))) {
            ConnectionPool.Lease a = pool.borrow();
            ConnectionPool.Lease b = pool.borrow();
            assertNotSame(a.connection(), b.connection());
            SQLException timeout = assertThrows(SQLException.class, pool::borrow);
            assertTrue(timeout.getMessage().contains("no database connection free"), timeout.getMessage());

            Connection first = a.connection();
            a.close();
            a.close(); // twice is harmless
            try (ConnectionPool.Lease c = pool.borrow()) {
                assertSame(first, c.connection());
            }
            b.close();
            assertEquals(2, pool.idleCount());
        }
    }

    @Test
    void aConnectionTheServerKilledIsDiscardedAndTheNextCallWorks() throws SQLException {
        try (ConnectionPool pool = pool(1, Duration.ofSeconds(5)); Database db = new Database(pool)) {
            int pid = db.autoCommit("pid", (c, sql) -> sql.select(DSL.field("pg_backend_pid()", Integer.class)).fetchSingle().value1());
            terminate(pid);

            StorageException e = assertThrows(StorageException.class,
                    () -> db.autoCommit("after kill", (c, sql) -> sql.selectOne().fetchSingle().value1()));
            assertTrue(e.getMessage().contains("SQLState 57P01") || e.getMessage().contains("SQLState 08"), e.getMessage());

            int newPid = db.autoCommit("pid", (c, sql) -> sql.select(DSL.field("pg_backend_pid()", Integer.class)).fetchSingle().value1());
            assertTrue(newPid != pid, "a fresh connection");
        }
    }

    @Test
    void failedAppendsLeaveNoConnectionInATransaction() throws SQLException {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 3)) {
            Topic topic = new Topic(TopicIds.random(), "pool-" + TopicIds.random(), 1, Map.of());
            storage.topics().create(topic).orElseThrow();
            TopicIdPartition tp = topic.partition(0);
            AppendBatch batch = new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN,
                    List.of(new LogRecord(1, null, new byte[1], List.of())), 10);
            // a stray row where the next append writes: PostgreSQL refuses the COPY (duplicate key)
            try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
                 var ps = c.prepareStatement("INSERT INTO kafka.records (\"offset\", timestamp, producer_id, topic_key, "
                         + "partition, sequence, size, producer_epoch, attributes) SELECT 0, 0, -1, topic_key, 0, -1, 16, -1, 0 "
                         + "FROM kafka.topics WHERE topic_id = ?")) {
                ps.setObject(1, topic.id());
                assertEquals(1, ps.executeUpdate());
            }
            for (int i = 0; i < 5; i++) {
                assertThrows(IllegalStateException.class, () -> storage.log().append(tx -> {
                    tx.lockHeads(new TreeSet<>(List.of(tp)));
                    tx.append(tp, 0, batch);
                    throw new IllegalStateException("the work fails after writing");
                }));
                StorageException e = assertThrows(StorageException.class, () -> storage.log().append(tx -> {
                    tx.lockHeads(new TreeSet<>(List.of(tp)));
                    tx.append(tp, 0, batch);
                    return null;
                }));
                assertTrue(e.getMessage().contains("23505"), e.getMessage());
            }
            try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                         + "AND state LIKE 'idle in transaction%'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "no session is left inside a transaction");
            }
            // nothing moved, and the partition is not left locked
            assertEquals(0L, (long) storage.log().append(tx -> tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp).highWatermark()));
        }
    }

    private static void terminate(int pid) throws SQLException {
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
             var ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            ps.execute();
        }
    }
}
