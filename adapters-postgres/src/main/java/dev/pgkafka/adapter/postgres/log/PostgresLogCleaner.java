package dev.pgkafka.adapter.postgres.log;

import static dev.pgkafka.adapter.postgres.schema.Tables.ABORTED_TRANSACTIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.CLEANER_CHECKPOINTS;
import static dev.pgkafka.adapter.postgres.schema.Tables.DELETED_TOPICS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PARTITIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PRODUCER_STATE;
import static dev.pgkafka.adapter.postgres.schema.Tables.RECORDS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TIME_INDEX;

import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.jooq.CommonTableExpression;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.schema.tables.Records;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Retention, DeleteRecords and compaction on {@code kafka.records} (docs/adr/0008-retention-layout.md):
 * the log start offset moves with one UPDATE of the partition's head row (the lock appends take);
 * rows go with DELETEs of at most a batch each, in their own short transactions, and the same
 * statement subtracts their sizes from {@code partitions.log_bytes}. Time index entries below the log
 * start go too, but the last one: it still bounds the timestamps of the records above it.
 */
public final class PostgresLogCleaner implements LogCleanerPort {
    private static final System.Logger LOG = System.getLogger(PostgresLogCleaner.class.getName());
    /** Kafka's control batch bit: markers are never compacted. */
    private static final short CONTROL_BIT = 0x20;
    private static final short TRANSACTIONAL_BIT = 0x10;

    /** VACUUM after this many removed rows plus {@link #VACUUM_SHARE} of the table (autovacuum's rule, set per table in V1). */
    private static final long VACUUM_THRESHOLD = 10_000;
    private static final double VACUUM_SHARE = 0.02;
    /** A constant statement built from the schema's names: VACUUM takes no bind values. */
    private static final String VACUUM = "VACUUM (ANALYZE, SKIP_LOCKED) " + DSL.using(SQLDialect.POSTGRES).render(RECORDS)
            + ", " + DSL.using(SQLDialect.POSTGRES).render(TIME_INDEX);
    /** Without autovacuum: state tables with more dead rows than this are vacuumed, at most once a minute. */
    private static final long STATE_DEAD_ROWS = 1_000;
    private static final Duration STATE_VACUUM_INTERVAL = Duration.ofMinutes(1);
    private static final Field<Float> RELTUPLES = DSL.field(DSL.name("pg_class", "reltuples"), SQLDataType.REAL);

    private final Database db;
    private final TopicKeys topicKeys;
    private final AtomicLong removedSinceVacuum = new AtomicLong();
    /** Whether the server's autovacuum is on; read at the first pass (null until then). */
    private volatile Boolean autovacuum;
    private final long stateVacuumIntervalNanos;
    private volatile long stateTablesVacuumedAtNanos;

    public PostgresLogCleaner(Database db, TopicKeys topicKeys) {
        this(db, topicKeys, STATE_VACUUM_INTERVAL);
    }

    /** @param stateVacuumInterval without autovacuum, how often the state tables may be vacuumed (tests: zero) */
    public PostgresLogCleaner(Database db, TopicKeys topicKeys, Duration stateVacuumInterval) {
        this.db = db;
        this.topicKeys = topicKeys;
        this.stateVacuumIntervalNanos = stateVacuumInterval.toNanos();
        this.stateTablesVacuumedAtNanos = System.nanoTime() - stateVacuumIntervalNanos;
    }

    private static Condition isPartition(int topicKey, int partition) {
        return PARTITIONS.TOPIC_KEY.eq(topicKey).and(PARTITIONS.PARTITION.eq(partition));
    }

    private static Condition recordsOf(Records r, int topicKey, int partition) {
        return r.TOPIC_KEY.eq(topicKey).and(r.PARTITION.eq(partition));
    }

    @Override
    public Optional<PartitionHead> advanceLogStart(TopicIdPartition partition, long offset) {
        return db.autoCommit("move the log start of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return Optional.<PartitionHead>empty();
            }
            // one statement under the head's row lock: appends wait for it, never for the removal of rows
            return sql.update(PARTITIONS)
                    .set(PARTITIONS.LOG_START_OFFSET, DSL.greatest(PARTITIONS.LOG_START_OFFSET,
                            DSL.least(DSL.val(offset), PARTITIONS.LAST_STABLE_OFFSET)))
                    .where(isPartition(topicKey, partition.partition()))
                    .returningResult(PARTITIONS.LOG_START_OFFSET, PARTITIONS.NEXT_OFFSET, PARTITIONS.LAST_STABLE_OFFSET)
                    .fetchOptional()
                    .map(r -> new PartitionHead(r.value1(), r.value2(), Math.max(r.value1(), r.value3())));
        });
    }

    /** Payload bytes of the partition's rows below its log start offset (normally none: the cleaner removes them). */
    private static Field<Long> bytesBelowLogStart() {
        Records r = RECORDS.as("below");
        return DSL.field(DSL.select(DSL.coalesce(DSL.sum(r.SIZE), DSL.inline(0).cast(SQLDataType.NUMERIC)))
                        .from(r)
                        .where(r.TOPIC_KEY.eq(PARTITIONS.TOPIC_KEY).and(r.PARTITION.eq(PARTITIONS.PARTITION)))
                        .and(r.OFFSET.lt(PARTITIONS.LOG_START_OFFSET)))
                .cast(SQLDataType.BIGINT);
    }

    @Override
    public Map<TopicIdPartition, Long> sizes(Collection<TopicIdPartition> partitions) {
        Map<TopicIdPartition, Long> sizes = new HashMap<>();
        if (partitions.isEmpty()) {
            return sizes;
        }
        return db.autoCommit("read partition sizes", (c, sql) -> {
            PartitionKeys q = PartitionKeys.of(sql, topicKeys, partitions);
            if (q.isEmpty()) {
                return sizes;
            }
            sql.select(PARTITIONS.TOPIC_KEY, PARTITIONS.PARTITION, PARTITIONS.LOG_BYTES.minus(bytesBelowLogStart()))
                    .from(q.table())
                    .join(PARTITIONS).on(PARTITIONS.TOPIC_KEY.eq(PartitionKeys.TOPIC_KEY)
                            .and(PARTITIONS.PARTITION.eq(PartitionKeys.PARTITION)))
                    .fetch()
                    .forEach(r -> sizes.put(q.partition(r.value1(), r.value2()), r.value3()));
            return sizes;
        });
    }

    @Override
    public long startForSize(TopicIdPartition partition, long maxBytes) {
        return db.readOnly("find where " + partition + " fits " + maxBytes + " bytes", (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return 0L;
            }
            var head = sql.select(PARTITIONS.LOG_START_OFFSET, PARTITIONS.NEXT_OFFSET,
                            PARTITIONS.LOG_BYTES.minus(bytesBelowLogStart()))
                    .from(PARTITIONS)
                    .where(isPartition(topicKey, partition.partition()))
                    .fetchOne();
            if (head == null) {
                return 0L;
            }
            long excess = head.value3() - maxBytes;
            if (excess <= 0) {
                return head.value1();
            }
            // the oldest records whose sizes add up to the excess: a running sum that stops at the first
            // row reaching it, reading only the rows that are to go
            Field<Long> offset = RECORDS.OFFSET.as("o");
            Field<BigDecimal> running = DSL.sum(RECORDS.SIZE).over()
                    .orderBy(RECORDS.OFFSET).rowsBetweenUnboundedPreceding().andCurrentRow().as("running");
            var sums = DSL.select(offset, running)
                    .from(RECORDS)
                    .where(recordsOf(RECORDS, topicKey, partition.partition()))
                    .and(RECORDS.OFFSET.ge(head.value1()))
                    .and(RECORDS.OFFSET.lt(head.value2()))
                    .orderBy(RECORDS.OFFSET)
                    .asTable("sums");
            return sql.select(sums.field(offset))
                    .from(sums)
                    .where(sums.field(running).ge(BigDecimal.valueOf(excess)))
                    .orderBy(sums.field(offset))
                    .limit(1)
                    .fetchOptional(sums.field(offset))
                    .map(o -> o + 1)
                    .orElse(head.value2());
        });
    }

    @Override
    public OptionalLong lastTimestamped(TopicIdPartition partition, long endOffset) {
        return db.autoCommit("find the last timestamped record of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return OptionalLong.empty();
            }
            // backwards from the end: the first row found normally answers
            return sql.select(RECORDS.OFFSET).from(RECORDS)
                    .where(recordsOf(RECORDS, topicKey, partition.partition()))
                    .and(RECORDS.OFFSET.lt(endOffset))
                    .and(RECORDS.OFFSET.ge(DSL.select(PARTITIONS.LOG_START_OFFSET).from(PARTITIONS)
                            .where(isPartition(topicKey, partition.partition()))))
                    .and(RECORDS.TIMESTAMP.ge(0L))
                    .orderBy(RECORDS.OFFSET.desc())
                    .limit(1)
                    .fetchOptional(RECORDS.OFFSET)
                    .map(OptionalLong::of)
                    .orElse(OptionalLong.empty());
        });
    }

    @Override
    public int removeBelowLogStart(TopicIdPartition partition, int maxRecords) {
        return db.autoCommit("remove records below the log start of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return 0;
            }
            int p = partition.partition();
            Long logStart = sql.select(PARTITIONS.LOG_START_OFFSET).from(PARTITIONS)
                    .where(isPartition(topicKey, p))
                    .fetchOne(PARTITIONS.LOG_START_OFFSET);
            Long lowest = sql.select(RECORDS.OFFSET).from(RECORDS)
                    .where(recordsOf(RECORDS, topicKey, p))
                    .orderBy(RECORDS.OFFSET)
                    .limit(1)
                    .fetchOne(RECORDS.OFFSET);
            if (logStart == null || lowest == null || lowest >= logStart) {
                return 0;
            }
            // an offset range, not a list: the plan is a primary key range scan whatever the statistics say
            long upTo = Math.min(logStart, lowest + maxRecords);
            int removed = removeAndAccount(sql, topicKey, p, RECORDS.OFFSET.ge(lowest).and(RECORDS.OFFSET.lt(upTo)));
            if (upTo == logStart) {
                pruneTimeIndex(sql, topicKey, p, logStart);
                // aborted transactions that ended below the log start concern no fetch any more
                sql.deleteFrom(ABORTED_TRANSACTIONS)
                        .where(ABORTED_TRANSACTIONS.TOPIC_KEY.eq(topicKey).and(ABORTED_TRANSACTIONS.PARTITION.eq(p)))
                        .and(ABORTED_TRANSACTIONS.LAST_OFFSET.lt(logStart))
                        .execute();
            }
            return removed;
        });
    }

    /**
     * Drops the partition's time index entries below the log start but the last one: that one still
     * bounds the timestamps of the records above the log start, up to the next entry.
     */
    private static void pruneTimeIndex(DSLContext sql, int topicKey, int p, long logStart) {
        var lastBelow = TIME_INDEX.as("last_below");
        sql.deleteFrom(TIME_INDEX)
                .where(TIME_INDEX.TOPIC_KEY.eq(topicKey).and(TIME_INDEX.PARTITION.eq(p)))
                .and(TIME_INDEX.OFFSET.lt(DSL.select(DSL.max(lastBelow.OFFSET)).from(lastBelow)
                        .where(lastBelow.TOPIC_KEY.eq(topicKey).and(lastBelow.PARTITION.eq(p)))
                        .and(lastBelow.OFFSET.lt(logStart))))
                .execute();
    }

    /**
     * Deletes the partition's records that {@code which} selects and subtracts their sizes from the
     * head's byte count in one statement; the head's row is locked only at its end, and not at all
     * when nothing went.
     *
     * @return how many records were deleted
     */
    private static int removeAndAccount(DSLContext sql, int topicKey, int p, Condition which) {
        CommonTableExpression<Record1<Integer>> deleted = DSL.name("deleted").fields("size").as(
                DSL.deleteFrom(RECORDS)
                        .where(recordsOf(RECORDS, topicKey, p))
                        .and(which)
                        .returningResult(RECORDS.SIZE));
        Field<Integer> size = deleted.field(0, Integer.class);
        Field<BigDecimal> removedBytes = DSL.select(DSL.coalesce(DSL.sum(size), DSL.inline(0).cast(SQLDataType.NUMERIC)))
                .from(deleted).asField();
        Field<Integer> removedRows = DSL.select(DSL.count()).from(deleted).asField();
        return sql.with(deleted)
                .update(PARTITIONS)
                .set(PARTITIONS.LOG_BYTES, PARTITIONS.LOG_BYTES.minus(removedBytes.cast(SQLDataType.BIGINT)))
                .where(isPartition(topicKey, p))
                .and(DSL.exists(DSL.selectOne().from(deleted)))
                .returningResult(removedRows)
                .fetchOptional(removedRows)
                .orElse(0);
    }

    /** Obsolete records are found in one query, then deleted by primary key in batches of this many. */
    private static final int COMPACTION_BATCH = 10_000;
    /** The most obsolete records one query collects; more are found by asking again. */
    private static final int COMPACTION_QUERY_LIMIT = 200_000;

    @Override
    public int compact(TopicIdPartition partition, CompactionRange range) {
        int total = 0;
        while (true) {
            List<Long> victims = obsolete(partition, range);
            for (int i = 0; i < victims.size(); i += COMPACTION_BATCH) {
                Long[] batch = victims.subList(i, Math.min(victims.size(), i + COMPACTION_BATCH)).toArray(Long[]::new);
                total += db.autoCommit("compact " + partition, (c, sql) -> {
                    Integer topicKey = topicKeys.resolve(sql, partition.topicId());
                    return topicKey == null ? 0 : removeAndAccount(sql, topicKey, partition.partition(),
                            RECORDS.OFFSET.eq(DSL.any(DSL.val(batch, SQLDataType.BIGINT.array()))));
                });
            }
            if (victims.size() < COMPACTION_QUERY_LIMIT) {
                return total;
            }
        }
    }

    /**
     * The offsets compaction removes in the range: keyless records, records whose key comes again
     * later in the dirty part, tombstones below the horizon; never control records. Transactional
     * records never make older ones obsolete: an aborted one must not hide the committed value it
     * follows (docs/adr/0011-transactions.md).
     */
    private List<Long> obsolete(TopicIdPartition partition, CompactionRange range) {
        return db.readOnly("find obsolete records of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return List.<Long>of();
            }
            int p = partition.partition();
            // a hash join of the range with its dirty keys, whatever the statistics say: a nested loop
            // over a table that just grew (estimated at one row) would compare every pair
            sql.execute("SET LOCAL enable_nestloop = off");
            Records dirty = RECORDS.as("dirty");
            // the newest offset of every key in the dirty part: any older record of the key is obsolete
            CommonTableExpression<?> latest = DSL.name("latest").fields("key", "last").as(
                    DSL.select(dirty.KEY, DSL.max(dirty.OFFSET))
                            .from(dirty)
                            .where(recordsOf(dirty, topicKey, p))
                            .and(dirty.OFFSET.ge(range.dirtyFrom()))
                            .and(dirty.OFFSET.lt(range.cleanEnd()))
                            .and(dirty.KEY.isNotNull())
                            .and(dirty.ATTRIBUTES.bitAnd((short) (CONTROL_BIT | TRANSACTIONAL_BIT)).eq((short) 0))
                            .groupBy(dirty.KEY));
            Field<byte[]> latestKey = latest.field("key", byte[].class);
            Field<Long> latestOffset = latest.field("last", Long.class);
            Records candidate = RECORDS.as("candidate");
            return sql.with(latest)
                    .select(candidate.OFFSET)
                    .from(candidate)
                    .leftJoin(latest).on(latestKey.eq(candidate.KEY))
                    .where(recordsOf(candidate, topicKey, p))
                    .and(candidate.OFFSET.ge(range.from()))
                    .and(candidate.OFFSET.lt(range.cleanEnd()))
                    .and(candidate.ATTRIBUTES.bitAnd(CONTROL_BIT).eq((short) 0))
                    .and(candidate.KEY.isNull()
                            .or(latestOffset.gt(candidate.OFFSET))
                            .or(candidate.VALUE.isNull().and(candidate.OFFSET.lt(range.tombstonesBelow()))))
                    .orderBy(candidate.OFFSET)
                    .limit(COMPACTION_QUERY_LIMIT)
                    .fetchSize(COMPACTION_BATCH)
                    .fetch(candidate.OFFSET);
        });
    }

    @Override
    public CleanerCheckpoint checkpoint(TopicIdPartition partition) {
        return db.autoCommit("read the cleaner checkpoint of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return CleanerCheckpoint.NONE;
            }
            return sql.select(CLEANER_CHECKPOINTS.CLEAN_OFFSET, CLEANER_CHECKPOINTS.TOMBSTONES_REMOVED_BELOW,
                            CLEANER_CHECKPOINTS.PASS_ENDS, CLEANER_CHECKPOINTS.PASS_TIMES)
                    .from(CLEANER_CHECKPOINTS)
                    .where(CLEANER_CHECKPOINTS.TOPIC_KEY.eq(topicKey).and(CLEANER_CHECKPOINTS.PARTITION.eq(partition.partition())))
                    .fetchOptional()
                    .map(r -> {
                        List<CleanerCheckpoint.Pass> passes = new ArrayList<>();
                        for (int i = 0; i < r.value3().length; i++) {
                            passes.add(new CleanerCheckpoint.Pass(r.value3()[i], r.value4()[i]));
                        }
                        return new CleanerCheckpoint(r.value1(), r.value2(), passes);
                    })
                    .orElse(CleanerCheckpoint.NONE);
        });
    }

    @Override
    public void saveCheckpoint(TopicIdPartition partition, CleanerCheckpoint checkpoint) {
        db.autoCommit("save the cleaner checkpoint of " + partition, (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return null;
            }
            Long[] ends = checkpoint.passes().stream().map(CleanerCheckpoint.Pass::end).toArray(Long[]::new);
            Long[] times = checkpoint.passes().stream().map(CleanerCheckpoint.Pass::atMs).toArray(Long[]::new);
            sql.insertInto(CLEANER_CHECKPOINTS, CLEANER_CHECKPOINTS.TOPIC_KEY, CLEANER_CHECKPOINTS.PARTITION,
                            CLEANER_CHECKPOINTS.CLEAN_OFFSET, CLEANER_CHECKPOINTS.TOMBSTONES_REMOVED_BELOW,
                            CLEANER_CHECKPOINTS.PASS_ENDS, CLEANER_CHECKPOINTS.PASS_TIMES)
                    .values(topicKey, partition.partition(), checkpoint.cleanOffset(), checkpoint.tombstonesRemovedBelow(),
                            ends, times)
                    .onConflict(CLEANER_CHECKPOINTS.TOPIC_KEY, CLEANER_CHECKPOINTS.PARTITION)
                    .doUpdate()
                    .set(CLEANER_CHECKPOINTS.CLEAN_OFFSET, DSL.excluded(CLEANER_CHECKPOINTS.CLEAN_OFFSET))
                    .set(CLEANER_CHECKPOINTS.TOMBSTONES_REMOVED_BELOW, DSL.excluded(CLEANER_CHECKPOINTS.TOMBSTONES_REMOVED_BELOW))
                    .set(CLEANER_CHECKPOINTS.PASS_ENDS, DSL.excluded(CLEANER_CHECKPOINTS.PASS_ENDS))
                    .set(CLEANER_CHECKPOINTS.PASS_TIMES, DSL.excluded(CLEANER_CHECKPOINTS.PASS_TIMES))
                    .execute();
            return null;
        });
    }

    /**
     * Vacuums (and analyzes) the records table once the cleaner removed as many rows as autovacuum would wait for
     * (the table's own settings, V1): at once instead of at autovacuum's next round, so the space
     * of removed records is reused before the table grows (docs/adr/0008-retention-layout.md).
     * SKIP_LOCKED: when autovacuum is at it already, this does nothing.
     */
    @Override
    public void reclaimSpace(long recordsRemoved) {
        vacuumStateTablesWithoutAutovacuum();
        long pending = removedSinceVacuum.addAndGet(recordsRemoved);
        float rows = db.autoCommit("estimate the records table", (c, sql) -> sql.select(RELTUPLES)
                .from(DSL.table(DSL.name("pg_catalog", "pg_class")))
                .where(DSL.field(DSL.name("pg_class", "oid")).eq(DSL.field("{0}::regclass", Object.class,
                        DSL.val(RECORDS.getName()))))
                .fetchOptional(RELTUPLES)
                .orElse(0f));
        if (pending < VACUUM_THRESHOLD + VACUUM_SHARE * Math.max(0f, rows)) {
            return;
        }
        removedSinceVacuum.addAndGet(-pending);
        long t0 = System.nanoTime();
        db.autoCommit("vacuum the records table and time index", (c, sql) -> sql.execute(VACUUM));
        LOG.log(Level.INFO, "vacuumed {0} and {1} after the cleaner removed {2} record(s): {3} ms",
                RECORDS.getName(), TIME_INDEX.getName(), pending, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Where autovacuum is off (a server set up that way; the broker warns at start), the tables updated
     * in place (partition heads, producer state, offsets, groups, transactions) would only grow: their
     * dead rows are vacuumed here instead, at most once a minute, those with over
     * {@value #STATE_DEAD_ROWS} dead rows. With autovacuum on this does nothing.
     */
    private void vacuumStateTablesWithoutAutovacuum() {
        if (autovacuum == null) {
            autovacuum = !"off".equals(db.autoCommit("read the autovacuum setting",
                    (c, sql) -> sql.fetchValue("SELECT setting FROM pg_settings WHERE name = 'autovacuum'")));
        }
        if (autovacuum || System.nanoTime() - stateTablesVacuumedAtNanos < stateVacuumIntervalNanos) {
            return;
        }
        stateTablesVacuumedAtNanos = System.nanoTime();
        List<String> tables = db.autoCommit("find state tables to vacuum", (c, sql) -> sql.fetchValues(
                "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables "
                        + "WHERE schemaname = current_schema() AND relname NOT IN ({0}, {1}) AND n_dead_tup > {2}",
                DSL.val(RECORDS.getName()), DSL.val(TIME_INDEX.getName()),
                DSL.val(STATE_DEAD_ROWS)).stream().map(String::valueOf).toList());
        if (tables.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        // names as PostgreSQL quoted them (format %I); VACUUM takes no bind values
        db.autoCommit("vacuum the state tables", (c, sql) -> sql.execute("VACUUM (SKIP_LOCKED) " + String.join(", ", tables)));
        LOG.log(Level.DEBUG, "autovacuum is off: vacuumed {0} in {1} ms", tables, (System.nanoTime() - t0) / 1_000_000);
    }

    @Override
    public int expireProducers(long idleMs) {
        // the database's clock, as last_append_ms is (its default); a constant expression, no values in it
        Field<Long> nowMillis = DSL.field("(extract(epoch FROM now()) * 1000)::bigint", SQLDataType.BIGINT);
        return db.autoCommit("expire idle producers", (c, sql) -> sql.deleteFrom(PRODUCER_STATE)
                .where(PRODUCER_STATE.TXN_FIRST_OFFSET.lt(0L))
                .and(PRODUCER_STATE.LAST_APPEND_MS.le(nowMillis.minus(DSL.val(idleMs))))
                .execute());
    }

    @Override
    public int purgeDeletedTopics(int maxRecords) {
        return db.autoCommit("purge deleted topics", (c, sql) -> {
            while (true) {
                Optional<Integer> next = sql.select(DELETED_TOPICS.TOPIC_KEY)
                        .from(DELETED_TOPICS)
                        .orderBy(DELETED_TOPICS.DELETED_AT, DELETED_TOPICS.TOPIC_KEY)
                        .limit(1)
                        .fetchOptional(DELETED_TOPICS.TOPIC_KEY);
                if (next.isEmpty()) {
                    return 0;
                }
                int topicKey = next.get();
                var first = sql.select(RECORDS.PARTITION, RECORDS.OFFSET).from(RECORDS)
                        .where(RECORDS.TOPIC_KEY.eq(topicKey))
                        .orderBy(RECORDS.PARTITION, RECORDS.OFFSET)
                        .limit(1)
                        .fetchOne();
                int removed = first == null ? 0 : sql.deleteFrom(RECORDS)
                        .where(RECORDS.TOPIC_KEY.eq(topicKey).and(RECORDS.PARTITION.eq(first.value1())))
                        .and(RECORDS.OFFSET.ge(first.value2()))
                        .and(RECORDS.OFFSET.lt(first.value2() + maxRecords))
                        .execute();
                if (removed > 0) {
                    return removed;
                }
                // nothing of its records left: its index entries go, then the topic leaves the list
                sql.deleteFrom(TIME_INDEX).where(TIME_INDEX.TOPIC_KEY.eq(topicKey)).execute();
                sql.deleteFrom(DELETED_TOPICS).where(DELETED_TOPICS.TOPIC_KEY.eq(topicKey)).execute();
            }
        });
    }
}
