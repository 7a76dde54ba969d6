package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.pgkafka.adapter.postgres.testing.BlackHoleProxy;
import dev.pgkafka.adapter.postgres.testing.OwnedPostgres;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/**
 * The adapter on a PostgreSQL this test owns and breaks: restarts (fast and immediate), killed backends,
 * a network that goes silent. Calls fail with {@link StorageUnavailableException} while it lasts, fail at
 * once once the outage is known, and work again without reopening the storage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresFaultsTest {
    /** Short timeouts, so that a silent server is given up in seconds here too. */
    private static final DatabaseSettings SETTINGS = DatabaseSettings.forPoolSize(8)
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(3), Duration.ofMinutes(1),
                    Duration.ofSeconds(30), Duration.ofSeconds(2));

    private OwnedPostgres pg;
    private String database;

    @BeforeAll
    void ownServer() {
        Assumptions.assumeTrue(OwnedPostgres.unavailableReason().isEmpty(),
                () -> "needs a PostgreSQL of its own: " + OwnedPostgres.unavailableReason().orElse(""));
        pg = OwnedPostgres.shared();
        pg.ensureRunning();
        database = pg.createDatabase();
    }

    @BeforeEach
    void running() {
        pg.ensureRunning();
    }

    @AfterAll
    void leaveItRunning() {
        if (pg != null) {
            pg.ensureRunning();
        }
    }

    @Test
    void aRestartedServerIsUsedAgainWithoutReopeningTheStorage() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), SETTINGS)) {
            TopicIdPartition tp = topic(storage);
            append(storage, tp);
            for (OwnedPostgres.Shutdown how : OwnedPostgres.Shutdown.values()) {
                pg.stop(how);
                StorageUnavailableException e = assertThrows(StorageUnavailableException.class, () -> append(storage, tp));
                assertEquals(Reason.UNREACHABLE, e.reason());
                await(() -> !storage.health().status().healthy(), "the outage is known (" + how + ")");
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    assertThrows(StorageUnavailableException.class, () -> append(storage, tp));
                }
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "calls fail at once during an outage");

                pg.start();
                long back = System.nanoTime();
                awaitSuccess(() -> append(storage, tp), "appends work again after a " + how + " restart");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
                assertTrue(ms < 5_000, "back within 5 s of the server's start, took " + ms + " ms");
                assertTrue(storage.health().status().healthy());
            }
        }
    }

    @Test
    void killedBackendsCostAtMostOneCall() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), SETTINGS)) {
            TopicIdPartition tp = topic(storage);
            // several connections idle in the data pool
            List<CompletableFuture<Void>> warm = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                warm.add(CompletableFuture.runAsync(() -> storage.dataPool().autoCommit("sleep",
                        (c, sql) -> sql.select(DSL.field("pg_sleep(0.2)")).fetch())));
            }
            warm.forEach(CompletableFuture::join);
            pg.execute(database, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'pgkafka' AND pid <> pg_backend_pid()");
            int failed = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    append(storage, tp);
                } catch (StorageUnavailableException e) {
                    failed++;
                }
            }
            assertTrue(failed <= 1, "the other idle connections were validated before use, failed: " + failed);
            assertFalse(storage.health().status().problem().isPresent());
        }
    }

    @Test
    void aSilentNetworkIsNoticedWithinSecondsAndForgottenWhenItAnswersAgain() throws Exception {
        try (BlackHoleProxy proxy = BlackHoleProxy.start("127.0.0.1", pg.port());
             PostgresStorage storage = PostgresStorage.open(
                     pg.jdbcUrl(database).replace(":" + pg.port() + "/", ":" + proxy.port() + "/"), SETTINGS)) {
            TopicIdPartition tp = topic(storage);
            append(storage, tp);
            proxy.blackHole();
            long start = System.nanoTime();
            StorageException e = assertThrows(StorageException.class, () -> append(storage, tp));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(StorageUnavailableException.class, e, e.getMessage());
            assertTrue(waited < 6_000, "the socket timeout (4 s) ends the wait, took " + waited + " ms");
            await(() -> storage.health().status().problem().isPresent(), "the outage is known");
            long failFast = System.nanoTime();
            assertThrows(StorageUnavailableException.class, () -> append(storage, tp));
            assertTrue(System.nanoTime() - failFast < TimeUnit.MILLISECONDS.toNanos(500), "calls fail at once meanwhile");

            proxy.restore();
            awaitSuccess(() -> append(storage, tp), "appends work again");
            assertTrue(storage.health().status().healthy());
        }
    }

    @Test
    void theServerSideTimeoutsAreSetOnEveryPooledConnection() {
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), DatabaseSettings.DEFAULTS)) {
            assertEquals("10s", show(storage.dataPool(), "statement_timeout"));
            assertEquals("30s", show(storage.dataPool(), "idle_in_transaction_session_timeout"));
            assertEquals("10min", show(storage.backgroundPool(), "statement_timeout"));
        }
        // the URL's own setting wins
        String url = pg.jdbcUrl(database) + "&options=-c%20statement_timeout%3D7s";
        try (PostgresStorage storage = PostgresStorage.open(url, DatabaseSettings.DEFAULTS)) {
            assertEquals("7s", show(storage.dataPool(), "statement_timeout"));
        }
    }

    @Test
    void aSlowStatementIsCancelledByTheServerAndTheConnectionKept() {
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), SETTINGS)) {
            StorageUnavailableException e = assertThrows(StorageUnavailableException.class,
                    () -> storage.dataPool().autoCommit("sleep", (c, sql) -> sql.select(DSL.field("pg_sleep(10)")).fetch()));
            assertEquals(Reason.TIMED_OUT, e.reason());
            assertTrue(e.getMessage().contains("57014"), e.getMessage());
            assertTrue(storage.health().status().healthy(), "a slow statement is no outage");
        }
    }

    @Test
    void backgroundWorkCannotTakeTheDataPathsConnections() throws Exception {
        DatabaseSettings tiny = SETTINGS.withPools(1, 1, 1).withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(8),
                Duration.ofSeconds(6), Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMillis(500));
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), tiny)) {
            TopicIdPartition tp = topic(storage);
            CompletableFuture<Object> vacuumLike = CompletableFuture.supplyAsync(() -> storage.backgroundPool()
                    .autoCommit("long background work", (c, sql) -> sql.select(DSL.field("pg_sleep(2)")).fetch()));
            Thread.sleep(300);
            long start = System.nanoTime();
            append(storage, tp);
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(400), "the data path has its own pool");
            // the HTTP admin API's reads run on the background pool, whatever store they use: they wait for it
            assertThrows(StorageException.class, () -> storage.asBackgroundWork(() -> storage.log().heads(List.of(tp))));
            vacuumLike.get(10, TimeUnit.SECONDS);
            assertEquals(1, storage.asBackgroundWork(() -> storage.log().heads(List.of(tp))).size());
        }
    }

    @Test
    void nonDurableServerSettingsAreNamedAtStart() {
        pg.execute(database, "ALTER DATABASE " + database + " SET synchronous_commit = off");
        pg.execute("postgres", "ALTER SYSTEM SET fsync = off");
        pg.execute("postgres", "SELECT pg_reload_conf()");
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), SETTINGS)) {
            List<String> warnings = storage.durabilityWarnings();
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("synchronous_commit=off")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("fsync=off")), warnings.toString());
            assertFalse(String.join(" ", warnings).contains("password"));
        } finally {
            pg.execute(database, "ALTER DATABASE " + database + " RESET synchronous_commit");
            pg.execute("postgres", "ALTER SYSTEM RESET fsync");
            pg.execute("postgres", "SELECT pg_reload_conf()");
        }
        try (PostgresStorage storage = PostgresStorage.open(pg.jdbcUrl(database), SETTINGS)) {
            assertEquals(List.of(), storage.durabilityWarnings());
        }
    }

    // ------------------------------------------------------------------ helpers

    private static String show(dev.pgkafka.adapter.postgres.jdbc.Database db, String setting) {
        return db.autoCommit("show", (c, sql) -> sql.fetchValue("SELECT current_setting(?)", setting).toString());
    }

    private static TopicIdPartition topic(PostgresStorage storage) {
        Topic topic = new Topic(TopicIds.random(), "faults-" + TopicIds.random(), 1, Map.of());
        storage.topics().create(topic).orElseThrow();
        return topic.partition(0);
    }

    private static void append(PostgresStorage storage, TopicIdPartition tp) {
        AppendBatch batch = new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN,
                List.of(new LogRecord(1, null, new byte[8], List.of())), 10);
        storage.log().append(tx -> {
            long at = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp).highWatermark();
            tx.append(tp, at, batch);
            return null;
        });
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void awaitSuccess(Runnable call, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                call.run();
                return;
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting: " + what + "; last: " + e.getMessage(), e);
                }
                Thread.sleep(20);
            }
        }
    }
}
