package dev.pgkafka.adapter.postgres;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.pgkafka.adapter.postgres.copy.BinaryCopyWriter;
import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.LogCleaner;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * The measurements behind docs/adr/0008-retention-layout.md: how fast retention can reclaim records
 * (batched DELETEs on the one records table, or dropping whole offset-range partitions of a
 * partitioned table), what it does to append latency while producers run, and how the table's size
 * behaves under a produce/expire loop. Raw SQL on scratch tables shaped like {@code kafka.records}
 * (it measures layouts, not the adapter). Logged, never asserted. Not part of the normal build; run with
 * {@code ./mvnw -B -q -pl adapters-postgres -am verify -Dtest=RetentionLayoutBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code adapters-postgres/target/surefire-reports/*RetentionLayoutBenchmark-output.txt}.
 * {@code -Dpgkafka.bench.seconds=N} sets each steady-state phase's length (default 15).
 */
class RetentionLayoutBenchmark {
    private static final System.Logger LOG = System.getLogger(RetentionLayoutBenchmark.class.getName());
    private static final int ROWS_PER_APPEND = 500;
    private static final int VALUE_SIZE = 100;
    private static final int SECONDS = Integer.getInteger("pgkafka.bench.seconds", 15);
    private static final long BULK_ROWS = 1_000_000;
    private static final long CHILD_ROWS = 100_000;
    /** Records the cleaner leaves behind the head in the steady-state runs. */
    private static final long KEEP_ROWS = 200_000;
    private static final String COLUMNS = "\"offset\" bigint NOT NULL, timestamp bigint NOT NULL, producer_id bigint NOT NULL, "
            + "topic_key integer NOT NULL, partition integer NOT NULL, sequence integer NOT NULL, size integer NOT NULL, "
            + "producer_epoch smallint NOT NULL, attributes smallint NOT NULL, key bytea, value bytea, "
            + "header_keys text[], header_values bytea[], PRIMARY KEY (topic_key, partition, \"offset\")";

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final byte[][] VALUES = new byte[1000][];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = new byte[VALUE_SIZE];
            ThreadLocalRandom.current().nextBytes(VALUES[i]);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(DB.jdbcUrl());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long queryLong(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void createPlain(Connection c) throws SQLException {
        execute(c, "DROP TABLE IF EXISTS bench_records, bench_heads CASCADE");
        execute(c, "CREATE TABLE bench_records (" + COLUMNS + ")");
        createHeads(c);
    }

    private static void createPartitioned(Connection c, long upTo) throws SQLException {
        execute(c, "DROP TABLE IF EXISTS bench_records, bench_heads CASCADE");
        execute(c, "CREATE TABLE bench_records (" + COLUMNS + ") PARTITION BY RANGE (\"offset\")");
        for (long from = 0; from < upTo; from += CHILD_ROWS) {
            createChild(c, from / CHILD_ROWS);
        }
        createHeads(c);
    }

    private static void createChild(Connection c, long index) throws SQLException {
        execute(c, "CREATE TABLE bench_records_" + index + " PARTITION OF bench_records FOR VALUES FROM ("
                + index * CHILD_ROWS + ") TO (" + (index + 1) * CHILD_ROWS + ")");
    }

    private static void createHeads(Connection c) throws SQLException {
        execute(c, "CREATE TABLE bench_heads (topic_key integer, partition integer, log_start bigint NOT NULL, "
                + "next_offset bigint NOT NULL, PRIMARY KEY (topic_key, partition)) WITH (fillfactor = 50)");
        execute(c, "INSERT INTO bench_heads VALUES (1, 0, 0, 0)");
    }

    /** One append as the adapter does it: lock the head, COPY the rows, move the head, commit. */
    private static void append(Connection c) throws SQLException {
        c.setAutoCommit(false);
        long base;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT next_offset FROM bench_heads WHERE topic_key = 1 AND partition = 0 "
                     + "FOR NO KEY UPDATE")) {
            rs.next();
            base = rs.getLong(1);
        }
        BinaryCopyWriter w = new BinaryCopyWriter(ROWS_PER_APPEND * 200);
        long now = System.currentTimeMillis();
        for (int i = 0; i < ROWS_PER_APPEND; i++) {
            w.startRow(13).int8(base + i).int8(now).int8(-1).int4(1).int4(0).int4(-1).int4(VALUE_SIZE + 16)
                    .int2((short) -1).int2((short) 0).nullField().bytea(VALUES[(int) ((base + i) % VALUES.length)])
                    .nullField().nullField();
        }
        w.finish();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bench_records (\"offset\", timestamp, "
                + "producer_id, topic_key, partition, sequence, size, producer_epoch, attributes, key, value, header_keys, "
                + "header_values) FROM STDIN (FORMAT binary)");
        copy.writeToCopy(w.buffer(), 0, w.length());
        copy.endCopy();
        try (PreparedStatement ps = c.prepareStatement("UPDATE bench_heads SET next_offset = ? WHERE topic_key = 1 "
                + "AND partition = 0")) {
            ps.setLong(1, base + ROWS_PER_APPEND);
            ps.executeUpdate();
        }
        c.commit();
        c.setAutoCommit(true);
    }

    private static void load(Connection c, long rows) throws SQLException {
        for (long n = 0; n < rows; n += ROWS_PER_APPEND) {
            append(c);
        }
        execute(c, "VACUUM ANALYZE bench_records");
    }

    /** Deletes one offset range below the log start in its own transaction; returns the rows deleted. */
    private static int deleteRange(PreparedStatement delete, long from, long to) throws SQLException {
        delete.setLong(1, from);
        delete.setLong(2, to);
        return delete.executeUpdate();
    }

    private static PreparedStatement prepareDelete(Connection c) throws SQLException {
        return c.prepareStatement("DELETE FROM bench_records WHERE topic_key = 1 AND partition = 0 AND \"offset\" >= ? "
                + "AND \"offset\" < ?");
    }

    /** Heap and index sizes, summed over the partitions of a partitioned table. */
    private static String size(Connection c) throws SQLException {
        String tables = "(SELECT relid FROM pg_partition_tree('bench_records') UNION SELECT 'bench_records'::regclass) t";
        return String.format("table %d MB, primary key %d MB",
                queryLong(c, "SELECT sum(pg_table_size(relid))::bigint FROM " + tables) >> 20,
                queryLong(c, "SELECT sum(pg_indexes_size(relid))::bigint FROM " + tables) >> 20);
    }

    @Test
    void reclaimingAMillionRecords() throws Exception {
        try (Connection c = connect()) {
            for (int batch : new int[]{1_000, 10_000, 100_000}) {
                createPlain(c);
                load(c, BULK_ROWS + 100_000);
                String before = size(c);
                long t0 = System.nanoTime();
                long deleted = 0;
                try (PreparedStatement delete = prepareDelete(c)) {
                    for (long from = 0; from < BULK_ROWS; from += batch) {
                        deleted += deleteRange(delete, from, from + batch);
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                long v0 = System.nanoTime();
                execute(c, "VACUUM bench_records");
                double vacuum = (System.nanoTime() - v0) / 1e9;
                LOG.log(Level.INFO, String.format("plain table, DELETE by offset range, %,d rows per transaction: %,d rows in "
                                + "%.1f s = %,.0f rows/s; VACUUM afterwards %.1f s; before %s, after %s", batch, deleted, secs,
                        deleted / secs, vacuum, before, size(c)));
            }

            createPartitioned(c, BULK_ROWS + 200_000);
            load(c, BULK_ROWS + 100_000);
            String before = size(c);
            long t0 = System.nanoTime();
            long maxStep = 0;
            for (long i = 0; i < BULK_ROWS / CHILD_ROWS; i++) {
                long s0 = System.nanoTime();
                execute(c, "ALTER TABLE bench_records DETACH PARTITION bench_records_" + i + " CONCURRENTLY");
                execute(c, "DROP TABLE bench_records_" + i);
                maxStep = Math.max(maxStep, System.nanoTime() - s0);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            LOG.log(Level.INFO, String.format("partitioned by offset range (%,d per child), DETACH CONCURRENTLY + DROP: "
                            + "%,d rows in %.2f s = %,.0f rows/s (slowest child %.0f ms); before %s, after %s", CHILD_ROWS,
                    BULK_ROWS, secs, BULK_ROWS / secs, maxStep / 1e6, before, size(c)));
        }
    }

    @Test
    void appendLatencyWhileTheCleanerRuns() throws Exception {
        steadyState(false, false, false);
        steadyState(false, true, false);
        steadyState(false, true, true);
        steadyState(true, false, false);
        steadyState(true, true, false);
    }

    private void steadyState(boolean partitioned, boolean withCleaner, boolean vacuum) throws Exception {
        String label = (partitioned ? "partitioned" : "plain table") + (withCleaner ? ", cleaner running" : ", no cleaner")
                + (vacuum ? " with VACUUM after 10,000 + 2% of the rows" : "");
        try (Connection producer = connect(); Connection cleanerConnection = connect()) {
            if (partitioned) {
                createPartitioned(producer, 2 * CHILD_ROWS);
            } else {
                createPlain(producer);
            }
            for (int i = 0; i < 100; i++) {
                append(producer); // warm-up
            }
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong removed = new AtomicLong();
            AtomicLong cleanerNanos = new AtomicLong();
            AtomicLong nextChild = new AtomicLong(2);
            Thread cleaner = Thread.ofPlatform().start(() -> {
                try {
                    clean(cleanerConnection, partitioned, withCleaner, vacuum, stop, removed, cleanerNanos, nextChild);
                } catch (SQLException e) {
                    LOG.log(Level.ERROR, "cleaner failed: " + e, e);
                }
            });
            List<Long> latencies = new ArrayList<>();
            long end = System.nanoTime() + SECONDS * 1_000_000_000L;
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                long a = System.nanoTime();
                append(producer);
                latencies.add(System.nanoTime() - a);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            cleaner.join();
            Collections.sort(latencies);
            long rows = latencies.size() * (long) ROWS_PER_APPEND;
            LOG.log(Level.INFO, String.format("%s: %,.0f records/s appended; append p50 %.2f ms, p99 %.2f ms, max %.1f ms; "
                            + "cleaner removed %,d rows (%,.0f rows/s while busy); %s", label, rows / secs,
                    latencies.get(latencies.size() / 2) / 1e6, latencies.get(latencies.size() * 99 / 100) / 1e6,
                    latencies.getLast() / 1e6, removed.get(),
                    cleanerNanos.get() == 0 ? 0.0 : removed.get() / (cleanerNanos.get() / 1e9), size(producer)));
        }
    }

    private static void clean(Connection c, boolean partitioned, boolean remove, boolean vacuum, AtomicBoolean stop,
                              AtomicLong removed, AtomicLong busyNanos, AtomicLong nextChild) throws SQLException {
        long removedUpTo = 0;
        long sinceVacuum = 0;
        try (PreparedStatement delete = prepareDelete(c)) {
            while (!stop.get()) {
                long next = queryLong(c, "SELECT next_offset FROM bench_heads");
                if (partitioned) {
                    // keep two children ahead of the head, as a real partitioned layout must
                    while (nextChild.get() * CHILD_ROWS < next + 2 * CHILD_ROWS) {
                        createChild(c, nextChild.getAndIncrement());
                    }
                }
                long target = next - KEEP_ROWS;
                if (!remove || target <= removedUpTo + (partitioned ? CHILD_ROWS : 10_000)) {
                    sleep(20);
                    continue;
                }
                long t0 = System.nanoTime();
                execute(c, "UPDATE bench_heads SET log_start = " + target);
                if (partitioned) {
                    while (removedUpTo + CHILD_ROWS <= target) {
                        long index = removedUpTo / CHILD_ROWS;
                        execute(c, "ALTER TABLE bench_records DETACH PARTITION bench_records_" + index + " CONCURRENTLY");
                        execute(c, "DROP TABLE bench_records_" + index);
                        removedUpTo += CHILD_ROWS;
                        removed.addAndGet(CHILD_ROWS);
                    }
                } else {
                    while (removedUpTo < target && !stop.get()) {
                        long to = Math.min(target, removedUpTo + 10_000);
                        int n = deleteRange(delete, removedUpTo, to);
                        removed.addAndGet(n);
                        sinceVacuum += n;
                        removedUpTo = to;
                    }
                    if (vacuum && sinceVacuum >= vacuumThreshold(c)) {
                        execute(c, "VACUUM (SKIP_LOCKED) bench_records");
                        sinceVacuum = 0;
                    }
                }
                busyNanos.addAndGet(System.nanoTime() - t0);
            }
        }
    }

    /** The adapter's rule: 10,000 rows plus 2% of the table. */
    private static long vacuumThreshold(Connection c) throws SQLException {
        return 10_000 + (long) (0.02 * queryLong(c, "SELECT greatest(reltuples, 0)::bigint FROM pg_class "
                + "WHERE oid = 'bench_records'::regclass"));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The product itself: appends through the storage adapter (lock, COPY, heads, commit) while the
     * application's LogCleaner runs pass after pass with retention.bytes keeping about KEEP_ROWS
     * records; append latency with and without it, and the cleaner's records removed per second.
     */
    @Test
    void appendLatencyUnderTheRealLogCleaner() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 8)) {
            TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
            LogCleaner cleaner = new LogCleaner(topics, storage.log(), storage.cleaner(), Clock.systemUTC(),
                    LogCleaner.Settings.DEFAULTS);
            for (boolean withCleaner : new boolean[]{false, true}) {
                Topic topic = topics.create(new TopicsUseCase.CreateTopicCommand("bench-" + System.nanoTime(), 1,
                        Map.of("retention.bytes", Long.toString(KEEP_ROWS * (VALUE_SIZE + 16))), false)).topic();
                TopicIdPartition tp = topic.partition(0);
                for (int i = 0; i < 100; i++) {
                    appendThroughTheAdapter(storage, tp); // warm-up
                }
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong removed = new AtomicLong();
                AtomicLong busy = new AtomicLong();
                AtomicLong passes = new AtomicLong();
                Thread cleanerThread = Thread.ofPlatform().start(() -> {
                    while (withCleaner && !stop.get()) {
                        LogCleaner.Pass pass = cleaner.runOnce();
                        removed.addAndGet(pass.removed());
                        busy.addAndGet(pass.took().toNanos());
                        passes.incrementAndGet();
                    }
                });
                List<Long> latencies = new ArrayList<>();
                long end = System.nanoTime() + SECONDS * 1_000_000_000L;
                long t0 = System.nanoTime();
                while (System.nanoTime() < end) {
                    long a = System.nanoTime();
                    appendThroughTheAdapter(storage, tp);
                    latencies.add(System.nanoTime() - a);
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                stop.set(true);
                cleanerThread.join();
                Collections.sort(latencies);
                try (Connection c = connect()) {
                    LOG.log(Level.INFO, String.format("adapter + LogCleaner (%s): %,.0f records/s appended; append p50 %.2f ms, "
                                    + "p99 %.2f ms, max %.1f ms; cleaner: %,d passes removed %,d records, %,.0f records/s "
                                    + "of pass time; kafka.records total %d MB",
                            withCleaner ? "cleaner running pass after pass" : "no cleaner",
                            latencies.size() * (double) ROWS_PER_APPEND / secs, latencies.get(latencies.size() / 2) / 1e6,
                            latencies.get(latencies.size() * 99 / 100) / 1e6, latencies.getLast() / 1e6, passes.get(),
                            removed.get(), busy.get() == 0 ? 0.0 : removed.get() / (busy.get() / 1e9),
                            queryLong(c, "SELECT pg_total_relation_size('kafka.records')") >> 20));
                }
                storage.topics().delete(topic.id());
                while (storage.cleaner().purgeDeletedTopics(50_000) > 0) {
                    // drop this phase's rows before the next
                }
            }
        }
    }

    private static final AppendBatch ADAPTER_BATCH;

    static {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < ROWS_PER_APPEND; i++) {
            records.add(new LogRecord(System.currentTimeMillis(), null, VALUES[i % VALUES.length], List.of()));
        }
        ADAPTER_BATCH = new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN, records,
                ROWS_PER_APPEND * (VALUE_SIZE + 10));
    }

    private static void appendThroughTheAdapter(PostgresStorage storage, TopicIdPartition tp) {
        storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp);
            tx.append(tp, head.highWatermark(), ADAPTER_BATCH);
            return null;
        });
    }

    /**
     * The bloat question: a produce/expire loop on the plain table, with vacuum left to autovacuum
     * as configured on the server, and with the cleaner vacuuming after each pass.
     */
    @Test
    void tableSizeUnderAProduceExpireLoop() throws Exception {
        for (boolean vacuum : new boolean[]{false, true}) {
            try (Connection c = connect()) {
                createPlain(c);
                execute(c, "ALTER TABLE bench_records SET (autovacuum_vacuum_scale_factor = 0.02, "
                        + "autovacuum_vacuum_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0.02)");
                List<String> sizes = new ArrayList<>();
                long removedUpTo = 0;
                long sinceVacuum = 0;
                try (PreparedStatement delete = prepareDelete(c)) {
                    for (int round = 0; round < 10; round++) {
                        for (int i = 0; i < 400; i++) {
                            append(c); // 200,000 records
                        }
                        long next = queryLong(c, "SELECT next_offset FROM bench_heads");
                        long target = next - KEEP_ROWS;
                        while (removedUpTo < target) {
                            long to = Math.min(target, removedUpTo + 10_000);
                            sinceVacuum += deleteRange(delete, removedUpTo, to);
                            removedUpTo = to;
                        }
                        if (vacuum && sinceVacuum >= vacuumThreshold(c)) {
                            execute(c, "VACUUM (SKIP_LOCKED) bench_records");
                            sinceVacuum = 0;
                        }
                        sizes.add(String.valueOf((queryLong(c, "SELECT pg_total_relation_size('bench_records')") >> 20)));
                    }
                }
                LOG.log(Level.INFO, String.format("produce/expire loop, 200,000 records kept, 200,000 added and expired per "
                                + "round, %s: total size per round (MB) %s", vacuum ? "VACUUM after 10,000 + 2% of the rows went"
                                : "autovacuum only (server naptime " + queryString(c, "SHOW autovacuum_naptime") + ")",
                        String.join(", ", sizes)));
            }
        }
    }

    private static String queryString(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
