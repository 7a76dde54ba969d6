package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.jdbc.Availability;
import dev.pgkafka.adapter.postgres.jdbc.ConnectionPool;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;

/**
 * The outage tracker decides with its probe, fails calls at once during an outage, and reports it as one
 * WARN line, a summary per interval and one INFO line; a connection that died alone is no outage.
 */
class AvailabilityTest {
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger("dev.pgkafka.adapter.postgres.PostgresStorage");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r.getParameters() == null ? r.getMessage()
                    : java.text.MessageFormat.format(r.getMessage(), r.getParameters());
            lines.add(r.getLevel() + " " + message);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private volatile boolean answers;
    private Availability availability;

    @BeforeEach
    void capture() {
        capture.setLevel(Level.ALL);
        logger.addHandler(capture);
        availability = new Availability("db:5432/test", () -> {
            if (!answers) {
                throw new SQLException("Connection refused", "08001");
            }
        }, Clock.systemUTC(), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofMillis(300),
                Duration.ofMillis(400));
        availability.start();
    }

    @AfterEach
    void release() {
        availability.close();
        logger.removeHandler(capture);
    }

    @Test
    void anOutageIsOneWarningASummaryPerIntervalAndOneInfoLine() throws Exception {
        answers = false;
        availability.connectionFailed("append", "Connection refused [SQLState 08001]", null);
        await(availability::isDown, "the probe declares the outage");
        for (int i = 0; i < 1000; i++) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> availability.checkReachable("fetch"));
            assertEquals(Reason.UNREACHABLE, e.reason());
        }
        assertEquals(Reason.UNREACHABLE, availability.status().problem().orElseThrow().reason());
        await(() -> count("still does not answer") >= 1, "a summary");
        answers = true;
        await(() -> !availability.isDown(), "the probe ends the outage");

        assertEquals(1, count("does not answer:"), lines.toString());
        assertEquals(1, count("answers again"), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("INFO") && l.contains("1001 call(s) failed")), lines.toString());
        assertTrue(availability.status().healthy());
        availability.checkReachable("after"); // calls go through again
    }

    @Test
    void aConnectionThatDiedAloneIsNoOutage() throws Exception {
        answers = true;
        availability.connectionFailed("append", "terminating connection due to administrator command [SQLState 57P01]",
                null);
        Thread.sleep(200);
        assertFalse(availability.isDown());
        assertEquals(0, lines.stream().filter(l -> l.startsWith("WARNING") || l.startsWith("INFO")).count(),
                lines.toString());
    }

    @Test
    void aCallThatHangsMakesTheProbeDecide() throws Exception {
        ConnectionPool pool = new ConnectionPool("data", fakeDataSource(), 2, Duration.ofSeconds(1),
                ConnectionPool.ConnectionSetup.NONE);
        availability.watch(pool);
        answers = false;
        ConnectionPool.Lease hanging = pool.borrow();
        try {
            await(availability::isDown, "a call waiting longer than hangAfter has the probe run");
            assertTrue(lines.stream().anyMatch(l -> l.contains("has waited")), lines.toString());
        } finally {
            hanging.close();
        }
        answers = true;
        await(() -> !availability.isDown(), "back");
    }

    @Test
    void failingWritesEndWithACommitOfTheSamePool() throws Exception {
        availability.writeFailed("data", Reason.DISK_FULL, "append", "could not extend file [SQLState 53100]", null);
        availability.writeFailed("data", Reason.DISK_FULL, "append", "could not extend file [SQLState 53100]", null);
        assertEquals(Reason.DISK_FULL, availability.status().problem().orElseThrow().reason());
        assertFalse(availability.isDown(), "reads go on");
        availability.checkReachable("fetch");

        availability.writeSucceeded("coordinators");
        assertEquals(Reason.DISK_FULL, availability.status().problem().orElseThrow().reason(),
                "a write into another pool's tables says nothing about the records table");
        await(() -> count("still refuses writes") >= 1, "a summary");
        availability.writeFailed("data", Reason.DISK_FULL, "append", "could not extend file [SQLState 53100]", null);
        availability.writeSucceeded("data");
        Thread.sleep(100);
        assertEquals(Reason.DISK_FULL, availability.status().problem().orElseThrow().reason(),
                "one write that fit in a page's last free bytes is no sign that space returned");
        await(() -> availability.status().healthy(), "no failure for writeSettle after a success ends it");
        assertEquals(1, count("test refuses writes (out of disk space)"), lines.toString());
        assertEquals(1, count("takes writes again after"), lines.toString());
    }

    private long count(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Connections that do nothing: the pool's bookkeeping is what is under test. */
    private static DataSource fakeDataSource() {
        Connection connection = (Connection) Proxy.newProxyInstance(AvailabilityTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (p, m, a) -> switch (m.getName()) {
                    case "isClosed" -> false;
                    case "isValid" -> true;
                    default -> null;
                });
        return (DataSource) Proxy.newProxyInstance(AvailabilityTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (p, m, a) -> switch (m.getName()) {
                    case "getConnection" -> connection;
                    case "getLogWriter" -> new PrintWriter(System.out);
                    default -> null;
                });
    }
}
