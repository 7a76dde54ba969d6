package dev.pgkafka.adapter.postgres;

import static dev.pgkafka.adapter.postgres.schema.Tables.RECORDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.adapter.postgres.copy.BinaryCopyWriter;
import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/**
 * Timings of the write and read paths, logged, never asserted (the machine decides them). Not part
 * of the normal build (the name does not match surefire's includes); run with
 * {@code ./mvnw -B -q -pl adapters-postgres -am verify -Dtest=PostgresStorageBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and read {@code adapters-postgres/target/surefire-reports/*Benchmark-output.txt}.
 * Scale with {@code -Dpgkafka.bench.transactions=N} (default 400).
 */
class PostgresStorageBenchmark {
    private static final System.Logger LOG = System.getLogger(PostgresStorageBenchmark.class.getName());
    private static final int RECORDS_PER_APPEND = 500;
    private static final int VALUE_SIZE = 100;
    private static final int TRANSACTIONS = Integer.getInteger("pgkafka.bench.transactions", 400);
    /** records has no foreign key: a key no topic has keeps the raw writes apart from the other test's rows. */
    private static final int OTHER_TOPIC_KEY = 1_000_000;

    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static AppendBatch batch(int records, long timestamp) {
        return batch(records, timestamp, ProducerStamp.NONE);
    }

    private static AppendBatch batch(int records, long timestamp, ProducerStamp producer) {
        List<LogRecord> list = new ArrayList<>(records);
        for (int i = 0; i < records; i++) {
            list.add(new LogRecord(timestamp + i, null, VALUES[i % VALUES.length], List.of()));
        }
        return new AppendBatch(producer, BatchAttributes.PLAIN, list, records * (VALUE_SIZE + 10));
    }

    private static final byte[][] VALUES = new byte[1000][];

    static {
        for (int i = 0; i < VALUES.length; i++) {
            VALUES[i] = new byte[VALUE_SIZE];
            ThreadLocalRandom.current().nextBytes(VALUES[i]);
        }
    }

    private static Topic topic(PostgresStorage storage, int partitions) {
        Topic t = new Topic(TopicIds.random(), "bench-" + TopicIds.random(), partitions, Map.of());
        storage.topics().create(t).orElseThrow();
        return t;
    }

    private static final AtomicLong CLOCK = new AtomicLong(1_700_000_000_000L);

    /**
     * What ProduceService does for an idempotent producer (the Java client's default): lock the head,
     * read the producer's state, append a batch with rising timestamps, save the state.
     */
    private static long append(PostgresStorage storage, TopicIdPartition tp, long producerId) {
        return storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp);
            ProducerPartitionState state = tx.producerStates(producerId, List.of(tp))
                    .getOrDefault(tp, ProducerPartitionState.empty(producerId));
            int sequence = state.lastSequence() + 1;
            AppendBatch batch = batch(RECORDS_PER_APPEND, CLOCK.addAndGet(RECORDS_PER_APPEND),
                    new ProducerStamp(producerId, (short) 0, sequence));
            tx.append(tp, head.highWatermark(), batch);
            tx.saveProducerState(tp, state.withBatch((short) 0, new BatchMetadata(sequence, batch.lastSequence(),
                    head.highWatermark(), head.highWatermark() + RECORDS_PER_APPEND - 1, batch.maxTimestamp()), false));
            return head.highWatermark();
        });
    }

    @Test
    void appendAndRead() throws Exception {
        appendAndRead(DB.jdbcUrl(), "durable commits", true);
    }

    /** How much of an append is the commit's WAL flush: the same without waiting for it. */
    @Test
    void appendWithoutWaitingForTheWalFlush() throws Exception {
        appendAndRead(DB.jdbcUrl() + (DB.jdbcUrl().contains("?") ? "&" : "?") + "options=-c%20synchronous_commit%3Doff",
                "synchronous_commit=off", false);
    }

    private void appendAndRead(String url, String label, boolean read) throws Exception {
        LOG.log(Level.INFO, "---- " + label);
        try (PostgresStorage storage = PostgresStorage.open(url, 8)) {
            Topic topic = topic(storage, 5);
            TopicIdPartition tp = topic.partition(0);
            for (int i = 0; i < 50; i++) {
                append(storage, tp, 1); // warm-up: JIT, statement caches
            }

            long[] nanos = new long[TRANSACTIONS];
            long start = System.nanoTime();
            for (int i = 0; i < TRANSACTIONS; i++) {
                long t0 = System.nanoTime();
                append(storage, tp, 1);
                nanos[i] = System.nanoTime() - t0;
            }
            long elapsed = System.nanoTime() - start;
            Arrays.sort(nanos);
            LOG.log(Level.INFO, String.format("append, 1 thread: %d x %d records of %d B: median %.2f ms, p90 %.2f ms, %.0f records/s",
                    TRANSACTIONS, RECORDS_PER_APPEND, VALUE_SIZE, nanos[TRANSACTIONS / 2] / 1e6, nanos[TRANSACTIONS * 9 / 10] / 1e6,
                    TRANSACTIONS * (double) RECORDS_PER_APPEND / (elapsed / 1e9)));

            for (boolean samePartition : new boolean[]{false, true}) {
                int threads = 4;
                long t0 = System.nanoTime();
                try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        TopicIdPartition target = samePartition ? topic.partition(1) : topic.partition(t + 1);
                        long producerId = 100 + t;
                        fs.add(pool.submit(() -> {
                            for (int i = 0; i < TRANSACTIONS / threads; i++) {
                                append(storage, target, producerId);
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                LOG.log(Level.INFO, String.format("append, %d virtual threads on %s: %.0f records/s", threads,
                        samePartition ? "one partition" : "their own partitions",
                        (TRANSACTIONS / threads) * threads * (double) RECORDS_PER_APPEND / secs));
            }

            long end = storage.log().heads(List.of(tp)).get(tp).highWatermark();
            assertEquals((50L + TRANSACTIONS) * RECORDS_PER_APPEND, end);
            if (read) {
                logSpace(url);
            }
            for (int round = 0; read && round < 3; round++) { // the last round is the warm one
                long rows = 0;
                long t0 = System.nanoTime();
                long offset = 0;
                while (offset < end) {
                    List<StoredRecord> got = storage.log().read(tp, offset, end, 1024 * 1024, true);
                    rows += got.size();
                    offset = got.getLast().offset() + 1;
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                assertEquals(end, rows);
                LOG.log(Level.INFO, String.format("read round %d: %d rows in 1 MiB fetches: %.0f rows/s", round, rows, rows / secs));
            }
        }
    }

    /** Bytes on disk per record: heap (with TOAST) and the primary key index. */
    private static void logSpace(String url) throws java.sql.SQLException {
        try (Connection c = DriverManager.getConnection(url);
             var s = c.createStatement()) {
            s.execute("VACUUM ANALYZE kafka.records");
            try (var rs = s.executeQuery("SELECT pg_table_size('kafka.records')::float8 / count(*), "
                    + "pg_relation_size('kafka.records_pkey')::float8 / count(*), count(*) FROM kafka.records")) {
                rs.next();
                LOG.log(Level.INFO, String.format("space per record of %d B: table %.0f B, primary key %.0f B (%d records)",
                        VALUE_SIZE, rs.getDouble(1), rs.getDouble(2), rs.getLong(3)));
            }
        }
    }

    /** The same rows through binary COPY and through INSERT ... SELECT FROM unnest(arrays). */
    @Test
    void copyVersusUnnest() throws Exception {
        try (PostgresStorage storage = PostgresStorage.open(DB.jdbcUrl(), 2)) {
            topic(storage, 1); // the schema exists now
        }
        Properties props = new Properties();
        props.setProperty("currentSchema", PostgresStorage.SCHEMA);
        AppendBatch b = batch(RECORDS_PER_APPEND, 1);
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl(), props)) {
            c.setAutoCommit(false);
            DSLContext sql = Database.dsl(c);
            long offset = 0;
            for (int round = 0; round < 2; round++) {
                long copyNanos = 0;
                long unnestNanos = 0;
                for (int i = 0; i < TRANSACTIONS / 2; i++) {
                    long t0 = System.nanoTime();
                    BinaryCopyWriter w = new BinaryCopyWriter(64 * 1024);
                    for (int r = 0; r < RECORDS_PER_APPEND; r++) {
                        LogRecord rec = b.records().get(r);
                        w.startRow(13).int8(offset + r).int8(rec.timestamp()).int8(1).int4(OTHER_TOPIC_KEY).int4(0).int4(r)
                                .int4(rec.payloadSize()).int2((short) 0)
                                .int2((short) 0).bytea(rec.key()).bytea(rec.value()).nullField().nullField();
                    }
                    w.finish();
                    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY records (\"offset\", timestamp, "
                            + "producer_id, topic_key, partition, sequence, size, producer_epoch, attributes, key, value, header_keys, "
                            + "header_values) FROM STDIN (FORMAT binary)");
                    in.writeToCopy(w.buffer(), 0, w.length());
                    in.endCopy();
                    c.commit();
                    copyNanos += System.nanoTime() - t0;
                    offset += RECORDS_PER_APPEND;

                    t0 = System.nanoTime();
                    Long[] offsets = new Long[RECORDS_PER_APPEND];
                    Long[] timestamps = new Long[RECORDS_PER_APPEND];
                    Integer[] sequences = new Integer[RECORDS_PER_APPEND];
                    byte[][] values = new byte[RECORDS_PER_APPEND][];
                    for (int r = 0; r < RECORDS_PER_APPEND; r++) {
                        offsets[r] = offset + r;
                        timestamps[r] = b.records().get(r).timestamp();
                        sequences[r] = r;
                        values[r] = b.records().get(r).value();
                    }
                    var u = DSL.table("unnest({0}, {1}, {2}, {3})", DSL.val(offsets, SQLDataType.BIGINT.array()),
                            DSL.val(timestamps, SQLDataType.BIGINT.array()), DSL.val(sequences, SQLDataType.INTEGER.array()),
                            DSL.val(values, SQLDataType.BLOB.array())).as("u", "o", "t", "s", "v");
                    sql.insertInto(RECORDS, RECORDS.OFFSET, RECORDS.TIMESTAMP, RECORDS.PRODUCER_ID, RECORDS.TOPIC_KEY,
                                    RECORDS.PARTITION, RECORDS.SEQUENCE, RECORDS.SIZE, RECORDS.PRODUCER_EPOCH, RECORDS.ATTRIBUTES,
                                    RECORDS.VALUE)
                            .select(DSL.select(DSL.field(DSL.name("u", "o"), Long.class), DSL.field(DSL.name("u", "t"), Long.class),
                                    DSL.inline(1L), DSL.inline(OTHER_TOPIC_KEY), DSL.inline(0), DSL.field(DSL.name("u", "s"), Integer.class),
                                    DSL.inline(VALUE_SIZE + 16), DSL.inline((short) 0), DSL.inline((short) 0), DSL.field(DSL.name("u", "v"), byte[].class)).from(u))
                            .execute();
                    c.commit();
                    unnestNanos += System.nanoTime() - t0;
                    offset += RECORDS_PER_APPEND;
                }
                LOG.log(Level.INFO, String.format("round %d, %d transactions of %d rows: COPY %.2f ms/tx, INSERT unnest %.2f ms/tx",
                        round, TRANSACTIONS / 2, RECORDS_PER_APPEND, copyNanos / 1e6 / (TRANSACTIONS / 2),
                        unnestNanos / 1e6 / (TRANSACTIONS / 2)));
            }
        }
    }
}
