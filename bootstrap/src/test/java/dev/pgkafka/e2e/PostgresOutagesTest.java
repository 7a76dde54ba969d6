package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.pgkafka.adapter.postgres.testing.BlackHoleProxy;
import dev.pgkafka.adapter.postgres.testing.OwnedPostgres;

/**
 * The broker (its own process, default settings) under an idempotent acks=all producer and a consumer
 * group while its PostgreSQL, one this test owns, is restarted (fast, immediate, fast), has the
 * broker's backends killed, and becomes unreachable for 30 s (a proxy black-holes the traffic). Nothing
 * acknowledged is lost or stored twice; the broker serves again within seconds of PostgreSQL's return
 * without a restart; readiness flips DOWN (saying why) and back UP; consumers do not spin; the log
 * says each outage in a few lines. The measured times are written to
 * {@code target/postgres-outages.txt}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresOutagesTest {
    private static final String TOPIC = "outages";
    private static final int PARTITIONS = 3;
    /** How long a broker may take to serve again after PostgreSQL is back (measured: about a second). */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(15);

    private OwnedPostgres pg;
    private String database;
    private BlackHoleProxy proxy;
    private BrokerProcess broker;
    private FaultWorkload load;
    private final List<String> measurements = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(OwnedPostgres.unavailableReason().isEmpty(),
                () -> "needs a PostgreSQL of its own: " + OwnedPostgres.unavailableReason().orElse(""));
        pg = OwnedPostgres.shared();
        pg.ensureRunning();
        database = pg.createDatabase();
        proxy = BlackHoleProxy.start("127.0.0.1", pg.port());
        String viaProxy = pg.jdbcUrl(database).replace(":" + pg.port() + "/", ":" + proxy.port() + "/");
        broker = BrokerProcess.start(viaProxy, "--group-initial-rebalance-delay-ms", "0");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        load = new FaultWorkload(broker.bootstrap(), TOPIC, broker.httpPort);
        load.start(300);
        await(() -> load.acknowledged.size() > 300 && load.consumed.size() > 100, Duration.ofSeconds(60),
                "the workload runs");
    }

    /** A test that failed halfway leaves PostgreSQL stopped or the network silent: the next starts clean. */
    @BeforeEach
    void healthy() {
        if (pg != null) {
            pg.ensureRunning();
            proxy.restore();
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (load != null) {
            load.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (pg != null) {
            pg.ensureRunning();
        }
        if (!measurements.isEmpty()) {
            String text = String.join("\n", measurements) + "\n";
            System.out.println(text);
            Files.writeString(Path.of("target", "postgres-outages.txt"), text);
        }
    }

    @Test
    @Order(1)
    void restartsFastAndImmediateAreRiddenOut() throws Exception {
        for (OwnedPostgres.Shutdown how : List.of(OwnedPostgres.Shutdown.FAST, OwnedPostgres.Shutdown.IMMEDIATE,
                OwnedPostgres.Shutdown.FAST)) {
            int logFrom = broker.lines().size();
            long acked = load.acknowledged.size();
            long fetchesBefore = load.readerFetches();
            long stopped = System.nanoTime();
            pg.stop(how);
            Thread.sleep(3_000);
            pg.start();
            long started = System.nanoTime();
            long fetchesDuring = load.readerFetches() - fetchesBefore;
            await(() -> load.firstAckAtOrAfter(started) > 0, RECOVERY_BOUND, "an acknowledgement after the " + how + " restart");
            long recoveryMs = TimeUnit.NANOSECONDS.toMillis(load.firstAckAtOrAfter(started) - started);
            long consumedAt = load.lastConsumedNanos.get();
            await(() -> load.lastConsumedNanos.get() - started > 0, RECOVERY_BOUND, "a record consumed after the restart");
            long consumeMs = TimeUnit.NANOSECONDS.toMillis(Math.max(0, load.lastConsumedNanos.get() - started));
            await(() -> readyAfter(started), RECOVERY_BOUND, "readiness UP again");
            Thread.sleep(1_000);
            List<String> lines = linesFrom(logFrom);

            assertTrue(load.readinessBetween(stopped, started).stream().anyMatch(r -> r.status() == 503
                    && r.body().contains("DOWN") && r.body().contains("does not answer")), "readiness said DOWN and why: "
                    + load.readinessBetween(stopped, started));
            long downAfterMs = load.readinessBetween(stopped, started).stream().filter(r -> r.status() == 503)
                    .mapToLong(r -> TimeUnit.NANOSECONDS.toMillis(r.nanos() - stopped)).min().orElse(-1);
            assertQuiet(lines, how + " restart");
            assertEquals(1, count(lines, "does not answer:"), String.join("\n", lines));
            assertEquals(1, count(lines, "answers again"), String.join("\n", lines));
            assertTrue(load.acknowledged.size() > acked, "the producer carries on");
            measurements.add(String.format("restart %-9s: PostgreSQL down %.1f s, readiness DOWN %d ms after the stop "
                            + "began; first produce acknowledged %d ms and first record consumed %d ms after PostgreSQL "
                            + "accepted connections; %d broker log line(s); %d fetch request(s) of the reader while down",
                    how, (started - stopped) / 1e9, downAfterMs, recoveryMs, consumeMs, lines.size(), fetchesDuring));
            assertTrue(consumedAt >= 0);
        }
    }

    @Test
    @Order(2)
    void killedBackendsAreReplacedQuietly() throws Exception {
        int logFrom = broker.lines().size();
        long acked = load.acknowledged.size();
        long killedAt = System.nanoTime();
        pg.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                + "' AND application_name LIKE 'pgkafka%'");
        await(() -> load.firstAckAtOrAfter(killedAt) > 0 && load.acknowledged.size() > acked + 300,
                RECOVERY_BOUND, "the producer carries on");
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(load.firstAckAtOrAfter(killedAt) - killedAt);
        Thread.sleep(1_000);
        List<String> lines = linesFrom(logFrom);
        assertQuiet(lines, "pg_terminate_backend");
        assertEquals(0, count(lines, "WARNING"), "a connection that died alone is no outage:\n" + String.join("\n", lines));
        measurements.add(String.format("pg_terminate_backend of the broker's connections: first produce acknowledged %d ms "
                + "after; %d broker log line(s)", recoveryMs, lines.size()));
    }

    @Test
    @Order(3)
    void unreachableFor30SecondsIsRiddenOutWithoutSpinning() throws Exception {
        int logFrom = broker.lines().size();
        long fetchesBefore = load.readerFetches();
        long groupFetchesBefore = load.groupFetches();
        long retriesBefore = load.producerRetries.get();
        long ackedBefore = load.acknowledged.size();
        long silent = System.nanoTime();
        proxy.blackHole();
        Thread.sleep(30_000);
        proxy.restore();
        long restored = System.nanoTime();
        long fetches = load.readerFetches() - fetchesBefore;
        long groupFetches = load.groupFetches() - groupFetchesBefore;
        await(() -> load.firstAckAtOrAfter(restored) > 0, RECOVERY_BOUND, "an acknowledgement after the network is back");
        long recoveryMs = TimeUnit.NANOSECONDS.toMillis(load.firstAckAtOrAfter(restored) - restored);
        await(() -> load.lastConsumedNanos.get() - restored > 0, RECOVERY_BOUND, "a record consumed after");
        long consumeMs = TimeUnit.NANOSECONDS.toMillis(load.lastConsumedNanos.get() - restored);
        await(() -> readyAfter(restored), RECOVERY_BOUND, "readiness UP again");
        Thread.sleep(1_000);
        List<String> lines = linesFrom(logFrom);

        // one fetch per max_wait (500 ms) at most while PostgreSQL does not answer: about 60 in 30 s
        assertTrue(fetches < 150, "consumers do not spin: " + fetches + " fetch requests in 30 s");
        long downAfterMs = load.readinessBetween(silent, restored).stream().filter(r -> r.status() == 503)
                .mapToLong(r -> TimeUnit.NANOSECONDS.toMillis(r.nanos() - silent)).min().orElse(-1);
        assertTrue(downAfterMs >= 0, "readiness said DOWN: " + load.readinessBetween(silent, restored));
        assertQuiet(lines, "30 s black hole");
        assertEquals(1, count(lines, "does not answer:"), String.join("\n", lines));
        assertEquals(1, count(lines, "answers again"), String.join("\n", lines));
        long retries = load.producerRetries.get() - retriesBefore;
        measurements.add(String.format("unreachable 30 s: readiness DOWN %d ms after the network went silent; first produce "
                        + "acknowledged %d ms and first record consumed %d ms after it was back; during the 30 s %d fetch "
                        + "request(s) of the reader, %d of the group, %d record retries of the producer; %d record(s) "
                        + "acknowledged before; %d broker log line(s)", downAfterMs, recoveryMs, consumeMs, fetches,
                groupFetches, retries, ackedBefore, lines.size()));
    }

    @Test
    @Order(4)
    void eachApiAnswersARetriableErrorWhilePostgresIsDown() throws Exception {
        int logFrom = broker.lines().size();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000));
             RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort)) {
            long stopped = System.nanoTime();
            pg.stop(OwnedPostgres.Shutdown.FAST);
            await(() -> load.readinessBetween(stopped, System.nanoTime()).stream().anyMatch(r -> r.status() == 503),
                    Duration.ofSeconds(15), "readiness DOWN");

            CreateTopicsRequestData create = new CreateTopicsRequestData().setTimeoutMs(5_000);
            create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("raw-during-outage")
                    .setNumPartitions(1).setReplicationFactor((short) 1));
            assertEquals(Errors.NOT_CONTROLLER.code(), raw.request(create, (short) 7, CreateTopicsResponse.class).data()
                    .topics().find("raw-during-outage").errorCode(), "the admin client retries NOT_CONTROLLER");

            FetchRequestData fetch = new FetchRequestData().setMaxWaitMs(500).setMinBytes(1).setMaxBytes(1 << 20);
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(TOPIC);
            t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            fetch.topics().add(t);
            long fetchStart = System.nanoTime();
            FetchResponse fetched = raw.request(fetch, (short) 12, FetchResponse.class);
            long fetchMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fetchStart);
            assertEquals(Errors.NONE.code(), fetched.data().errorCode(), "no top-level error: the fetch session lives on");
            assertEquals(Errors.KAFKA_STORAGE_ERROR.code(), fetched.data().responses().getFirst().partitions().getFirst()
                    .errorCode());
            assertTrue(fetchMs >= 450, "a failing fetch waits out its max_wait (500 ms), took " + fetchMs + " ms");

            ListOffsetsRequestData list = new ListOffsetsRequestData().setReplicaId(-1);
            list.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(TOPIC).setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))));
            assertEquals(Errors.KAFKA_STORAGE_ERROR.code(), raw.request(list, (short) 7, ListOffsetsResponse.class).data()
                    .topics().getFirst().partitions().getFirst().errorCode());

            OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("raw-outage-group")
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("");
            commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC).setPartitions(List.of(
                    new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))));
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), raw.request(commit, (short) 8, OffsetCommitResponse.class)
                    .data().topics().getFirst().partitions().getFirst().errorCode());

            InitProducerIdRequestData init = new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1);
            assertEquals(Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), raw.request(init, (short) 4,
                    InitProducerIdResponse.class).data().errorCode(), "an idempotent producer retries it");

            // the stock admin client retries until PostgreSQL is back
            var created = admin.createTopics(List.of(new NewTopic("created-across-an-outage", 1, (short) 1))).all();
            Thread.sleep(1_000);
            assertTrue(!created.isDone(), "still retrying");
            pg.start();
            created.get(30, TimeUnit.SECONDS);
        } finally {
            pg.ensureRunning();
        }
        long back = System.nanoTime();
        await(() -> readyAfter(back), RECOVERY_BOUND, "readiness UP again");
        Thread.sleep(500);
        List<String> lines = linesFrom(logFrom);
        assertQuiet(lines, "raw requests during an outage");
        measurements.add("during an outage: CreateTopics NOT_CONTROLLER (Admin.createTopics retried until PostgreSQL was "
                + "back and succeeded), Fetch KAFKA_STORAGE_ERROR after max_wait, ListOffsets KAFKA_STORAGE_ERROR, "
                + "OffsetCommit COORDINATOR_NOT_AVAILABLE, InitProducerId COORDINATOR_LOAD_IN_PROGRESS");
    }

    @Test
    @Order(5)
    void nothingAcknowledgedIsLostOrStoredTwice() throws Exception {
        load.close(); // the producer flushes: every record is acknowledged or failed now
        long acked = load.acknowledged.size();
        Map<Long, Integer> stored = FaultWorkload.readTopic(broker.bootstrap(), TOPIC, PARTITIONS, acked);
        List<Long> lost = load.acknowledged.keySet().stream().filter(n -> !stored.containsKey(n)).toList();
        Map<Long, Integer> twice = new TreeMap<>();
        stored.forEach((n, c) -> {
            if (c > 1) {
                twice.put(n, c);
            }
        });
        assertEquals(List.of(), lost, "acknowledged but lost");
        assertEquals(Map.of(), twice, "stored more than once");
        long redelivered = load.consumed.values().stream().filter(c -> c > 1).count();
        measurements.add(String.format("%d record(s) acknowledged (%d sent, %d failed), %d stored, 0 lost, 0 stored twice; "
                        + "the group consumed %d distinct record(s), %d of them more than once; %d commit(s) failed and "
                        + "were retried", acked, load.sent.get(), load.sendFailures.get(), stored.size(),
                load.consumed.size(), redelivered, load.commitFailures.get()));
    }

    // ------------------------------------------------------------------ helpers

    private boolean readyAfter(long nanos) {
        return load.readiness.stream().anyMatch(r -> r.nanos() - nanos > 0 && r.status() == 200);
    }

    private List<String> linesFrom(int from) {
        List<String> all = broker.lines();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    /** No error line, no stack trace, at most two warnings (the outage's start and a summary). */
    private static void assertQuiet(List<String> lines, String what) {
        String text = String.join("\n", lines);
        assertEquals(0, count(lines, "SEVERE"), what + ":\n" + text);
        assertEquals(0, lines.stream().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")).count(),
                what + ", no stack trace:\n" + text);
        assertTrue(count(lines, "WARNING") <= 2, what + ", at most two warnings:\n" + text);
        assertTrue(lines.size() <= 6, what + ", a few lines:\n" + text);
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
