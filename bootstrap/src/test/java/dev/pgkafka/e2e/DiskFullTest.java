package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.pgkafka.adapter.postgres.testing.OwnedPostgres;

/**
 * PostgreSQL runs out of disk space under a producer: the producer gets a retriable error and keeps
 * its records, consumers keep reading, readiness says DOWN and why, the log says it in a few lines, and
 * writes resume by themselves when space returns, with nothing lost or stored twice.
 *
 * <p>Where the machine allows (root with CAP_SYS_ADMIN, as {@code .ci/run} runs), the records table is
 * moved to a tablespace on a 16 MiB tmpfs the test mounts, which fills up for real (PostgreSQL answers
 * {@code 53100 could not extend file ... No space left on device}); space returns by growing the tmpfs.
 * Elsewhere a trigger on the records table raises the same SQLState, and space returns when it is dropped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DiskFullTest {
    private static final String TOPIC = "disk";
    private static final int FILESYSTEM_MB = 16;

    private OwnedPostgres pg;
    private String database;
    private BrokerProcess broker;
    private Path tmpfs;
    private String tablespace;

    @BeforeAll
    void start() throws Exception {
        Assumptions.assumeTrue(OwnedPostgres.unavailableReason().isEmpty(),
                () -> "needs a PostgreSQL of its own: " + OwnedPostgres.unavailableReason().orElse(""));
        pg = OwnedPostgres.shared();
        pg.ensureRunning();
        database = pg.createDatabase();
        broker = BrokerProcess.start(pg.jdbcUrl(database));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // -Dpgkafka.test.simulate-disk-full=true takes the trigger path where a tmpfs could be mounted too
        if (!Boolean.getBoolean("pgkafka.test.simulate-disk-full") && pg.canMountTmpfs()) {
            tmpfs = pg.mountTmpfs("small-" + System.nanoTime(), FILESYSTEM_MB);
            tablespace = "small_" + System.nanoTime();
            pg.execute(database, "CREATE TABLESPACE " + tablespace + " LOCATION '" + tmpfs + "'");
            pg.execute(database, "ALTER TABLE kafka.records SET TABLESPACE " + tablespace);
        } else {
            // no file system of our own: the SQLState PostgreSQL answers on a full disk, from a trigger
            pg.execute(database, """
                    CREATE FUNCTION kafka.simulated_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      RAISE EXCEPTION 'could not extend file: No space left on device (simulated)'
                        USING ERRCODE = 'disk_full';
                    END $$""");
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (database != null) {
            pg.execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
        if (tablespace != null) {
            pg.execute("postgres", "DROP TABLESPACE IF EXISTS " + tablespace);
        }
        if (tmpfs != null) {
            pg.unmount(tmpfs);
        }
    }

    /** Records sent and not answered yet: a producer that waits for space must not fill its own buffer too. */
    private final Semaphore unanswered = new Semaphore(3_000);

    @Test
    void producersWaitConsumersReadAndWritesResumeWhenSpaceReturns() throws Exception {
        ConcurrentSkipListSet<Long> acknowledged = new ConcurrentSkipListSet<>();
        AtomicLong failed = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        byte[] value = new byte[1024];
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        long sent = 0;
        int logFrom;
        long fullAt;
        String downBody;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            logFrom = broker.lines().size();
            if (tablespace == null) {
                // without a file system of our own: some records first, then the limit
                for (int i = 0; i < 3_000; i++) {
                    send(producer, sent++, value, acknowledged, failed);
                }
                producer.flush();
                pg.execute(database, "CREATE TRIGGER simulated_disk_full BEFORE INSERT ON kafka.records "
                        + "FOR EACH STATEMENT EXECUTE FUNCTION kafka.simulated_disk_full()");
            }
            // fill the disk: about 2,000 records of 1 KiB a second until readiness says the writes fail
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (readinessBody().contains("\"UP\"") && System.nanoTime() < deadline) {
                for (int i = 0; i < 100 && unanswered.tryAcquire(10, TimeUnit.MILLISECONDS); i++) {
                    unanswered.release();
                    send(producer, sent++, value, acknowledged, failed);
                }
                Thread.sleep(50);
            }
            fullAt = System.nanoTime();
            downBody = readinessBody();
            assertTrue(downBody.contains("DOWN") && downBody.contains("out of disk space")
                    && downBody.contains("53100"), "readiness says DOWN and why: " + downBody);
            for (int i = 0; i < 200 && unanswered.availablePermits() > 0; i++) {
                send(producer, sent++, value, acknowledged, failed); // wait for space, retried by the producer
            }
            long ackedWhenFull = acknowledged.size();

            // consumers keep reading everything stored
            Map<Long, Integer> stored = FaultWorkload.readTopic(broker.bootstrap(), TOPIC, 1, ackedWhenFull);
            assertTrue(stored.keySet().containsAll(acknowledged),
                    "every acknowledged record can be read while the disk is full");
            Thread.sleep(3_000);
            retries.set(metric(producer, "record-retry-total"));
            assertTrue(retries.get() > 0, "the producer retried the records the broker could not store");
            assertEquals(ackedWhenFull, acknowledged.size(), "nothing acknowledged while writes fail");
            assertTrue(broker.lines().subList(logFrom, broker.lines().size()).stream()
                    .filter(l -> l.contains("refuses writes")).count() == 1, "one warning");

            // space returns
            long freed = System.nanoTime();
            if (tmpfs != null) {
                pg.resizeTmpfs(tmpfs, 512);
            } else {
                pg.execute(database, "DROP TRIGGER simulated_disk_full ON kafka.records");
            }
            long total = sent;
            await(() -> acknowledged.size() + failed.get() == total, Duration.ofSeconds(60),
                    "the producer's waiting records are acknowledged");
            long resumedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - freed);
            await(() -> readinessBody().contains("\"UP\""), Duration.ofSeconds(30), "readiness UP again");
            assertEquals(0, failed.get(), "no record failed for good");

            Map<Long, Integer> after = FaultWorkload.readTopic(broker.bootstrap(), TOPIC, 1, acknowledged.size());
            assertEquals(List.of(), acknowledged.stream().filter(n -> !after.containsKey(n)).toList(), "lost");
            assertEquals(List.of(), after.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList(),
                    "stored twice");
            List<String> lines = broker.lines().subList(logFrom, broker.lines().size());
            assertEquals(0, lines.stream().filter(l -> l.contains("SEVERE") || l.startsWith("\tat ")).count(),
                    String.join("\n", lines));
            assertEquals(1, lines.stream().filter(l -> l.contains("takes writes again after")).count(), String.join("\n", lines));
            assertTrue(lines.size() <= 6, "a few lines:\n" + String.join("\n", lines));
            String report = String.format("disk full (%s): writes refused after %d record(s) of 1 KiB, readiness DOWN "
                            + "with \"%s\"; %d acknowledged record(s) read back while full; the producer retried %d "
                            + "record(s); all %d record(s) acknowledged %d ms after space returned; %d broker log "
                            + "line(s)%n", tmpfs != null ? "a " + FILESYSTEM_MB + " MiB tmpfs tablespace" : "simulated by a trigger",
                    ackedWhenFull, shortened(downBody), stored.size(), retries.get(), acknowledged.size(), resumedMs,
                    lines.size());
            System.out.print(report);
            Files.writeString(Path.of("target", "disk-full.txt"), report);
            assertTrue(fullAt > 0);
        }
    }

    private static String shortened(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "..." : body;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, long n, byte[] value,
                      ConcurrentSkipListSet<Long> acknowledged, AtomicLong failed) {
        unanswered.acquireUninterruptibly();
        producer.send(new ProducerRecord<>(TOPIC, Long.toString(n).getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
            unanswered.release();
            if (e == null) {
                acknowledged.add(n);
            } else {
                failed.incrementAndGet();
            }
        });
    }

    private static long metric(KafkaProducer<byte[], byte[]> producer, String name) {
        return producer.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals(name) && m.getKey().group().equals("producer-metrics"))
                .map(m -> (long) ((Number) m.getValue().metricValue()).doubleValue()).findFirst().orElse(0L);
    }

    private String readinessBody() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + broker.httpPort + "/health/ready")).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (java.io.IOException e) {
            return "unreachable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
