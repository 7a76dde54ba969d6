package dev.pgkafka.adapter.postgres.log;

import static dev.pgkafka.adapter.postgres.schema.Tables.ABORTED_TRANSACTIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PARTITIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PRODUCER_STATE;
import static dev.pgkafka.adapter.postgres.schema.Tables.TIME_INDEX;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.jooq.CommonTableExpression;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.adapter.postgres.txn.TransactionRows;
import dev.pgkafka.application.port.out.AppendTransaction;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.LastStableOffset;
import dev.pgkafka.domain.txn.TransactionMetadata;

/**
 * One append transaction on one connection. Reads (locks, producer states) go to PostgreSQL at once;
 * writes are buffered and sent by {@link #flush} in two statements whatever the request holds: one
 * binary COPY of all records, then one UPDATE of the touched partition heads that carries the new
 * time index entries and the producer state upserts as data-modifying CTEs.
 */
final class PostgresAppendTransaction implements AppendTransaction {
    private final Connection connection;
    private final DSLContext sql;
    private final TopicKeys topicKeys;
    private final Map<TopicIdPartition, Locked> locked = new HashMap<>();
    private final RecordsCopy records = new RecordsCopy();
    private final List<TimeIndexEntry> timeIndex = new ArrayList<>();
    /** Producer states to upsert at commit; one transaction may carry several producers' (markers, merged requests). */
    private final Map<StateKey, ProducerPartitionState> states = new LinkedHashMap<>();

    private record StateKey(TopicIdPartition partition, long producerId) {
    }
    private final List<AbortedEntry> aborted = new ArrayList<>();
    private final List<TransactionMetadata> transactions = new ArrayList<>();
    private final Map<Long, Boolean> finishedOffsets = new LinkedHashMap<>();
    private final List<Addition> additions = new ArrayList<>();
    private boolean open = true;

    PostgresAppendTransaction(Connection connection, DSLContext sql, TopicKeys topicKeys) {
        this.connection = connection;
        this.sql = sql;
        this.topicKeys = topicKeys;
    }

    /** What the transaction knows of a locked partition; changed in memory, written by {@link #flush}. */
    private static final class Locked {
        final int topicKey;
        final int partition;
        final long logStartOffset;
        long nextOffset;
        long lastStableOffset;
        long maxTimestamp;
        long addedBytes;
        boolean changed;

        Locked(int topicKey, int partition, long logStartOffset, long nextOffset, long lastStableOffset, long maxTimestamp) {
            this.topicKey = topicKey;
            this.partition = partition;
            this.logStartOffset = logStartOffset;
            this.nextOffset = nextOffset;
            this.lastStableOffset = lastStableOffset;
            this.maxTimestamp = maxTimestamp;
        }

        PartitionHead head() {
            // DeleteRecords may have moved the log start past an open transaction's first offset
            return new PartitionHead(logStartOffset, nextOffset, Math.max(logStartOffset, lastStableOffset));
        }
    }

    private record AbortedEntry(int topicKey, int partition, AbortedTransaction txn) {
    }

    private record Addition(String transactionalId, long producerId, short producerEpoch, List<TopicIdPartition> partitions,
                            long startTimestamp) {
    }

    private record TimeIndexEntry(int topicKey, int partition, long maxTimestamp, long offset, long baseOffset) {
    }

    @Override
    public Map<TopicIdPartition, PartitionHead> lockHeads(SortedSet<TopicIdPartition> partitions) {
        checkOpen();
        // Lock in natural order whatever the set's comparator: every transaction then takes the
        // row locks in the same order and none can wait for another in a cycle.
        List<TopicIdPartition> toLock = new ArrayList<>(new TreeSet<>(partitions));
        toLock.removeIf(locked::containsKey);
        if (!toLock.isEmpty()) {
            translate("lock partitions", () -> {
                PartitionKeys q = PartitionKeys.of(sql, topicKeys, toLock);
                if (q.isEmpty()) {
                    return null;
                }
                sql.select(PARTITIONS.TOPIC_KEY, PARTITIONS.PARTITION, PARTITIONS.LOG_START_OFFSET, PARTITIONS.NEXT_OFFSET,
                                PARTITIONS.LAST_STABLE_OFFSET, PARTITIONS.MAX_TIMESTAMP)
                        .from(q.table())
                        .join(PARTITIONS).on(PARTITIONS.TOPIC_KEY.eq(PartitionKeys.TOPIC_KEY)
                                .and(PARTITIONS.PARTITION.eq(PartitionKeys.PARTITION)))
                        // rows are locked as the sorted rows come out: in the order given
                        .orderBy(PartitionKeys.ORD)
                        .forNoKeyUpdate().of(PARTITIONS)
                        .fetch()
                        .forEach(r -> locked.put(q.partition(r.value1(), r.value2()),
                                new Locked(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6())));
                return null;
            });
        }
        Map<TopicIdPartition, PartitionHead> heads = new HashMap<>();
        for (TopicIdPartition tp : partitions) {
            Locked l = locked.get(tp);
            if (l != null) {
                heads.put(tp, l.head());
            }
        }
        return heads;
    }

    @Override
    public Map<TopicIdPartition, ProducerPartitionState> producerStates(long producerId,
                                                                        Collection<TopicIdPartition> partitions) {
        checkOpen();
        Map<TopicIdPartition, ProducerPartitionState> result = new HashMap<>();
        translate("read producer state", () -> {
            PartitionKeys q = PartitionKeys.of(sql, topicKeys, partitions);
            if (q.isEmpty()) {
                return null;
            }
            sql.select(PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION, PRODUCER_STATE.PRODUCER_EPOCH,
                            PRODUCER_STATE.TXN_FIRST_OFFSET, PRODUCER_STATE.LAST_TIMESTAMP, PRODUCER_STATE.BATCH_FIRST_SEQUENCE,
                            PRODUCER_STATE.BATCH_LAST_SEQUENCE, PRODUCER_STATE.BATCH_FIRST_OFFSET,
                            PRODUCER_STATE.BATCH_LAST_OFFSET, PRODUCER_STATE.BATCH_MAX_TIMESTAMP)
                    .from(q.table())
                    .join(PRODUCER_STATE).on(PRODUCER_STATE.TOPIC_KEY.eq(PartitionKeys.TOPIC_KEY)
                            .and(PRODUCER_STATE.PARTITION.eq(PartitionKeys.PARTITION))
                            .and(PRODUCER_STATE.PRODUCER_ID.eq(producerId)))
                    .fetch()
                    .forEach(r -> result.put(q.partition(r.value1(), r.value2()), toState(producerId, r)));
            return null;
        });
        // read your own writes: states saved earlier in this transaction are not in the table yet
        for (TopicIdPartition tp : partitions) {
            ProducerPartitionState pending = states.get(new StateKey(tp, producerId));
            if (pending != null) {
                result.put(tp, pending);
            }
        }
        return result;
    }

    static ProducerPartitionState toState(long producerId, Record r) {
        Integer[] firstSeq = r.get(PRODUCER_STATE.BATCH_FIRST_SEQUENCE);
        Integer[] lastSeq = r.get(PRODUCER_STATE.BATCH_LAST_SEQUENCE);
        Long[] firstOffset = r.get(PRODUCER_STATE.BATCH_FIRST_OFFSET);
        Long[] lastOffset = r.get(PRODUCER_STATE.BATCH_LAST_OFFSET);
        Long[] maxTimestamp = r.get(PRODUCER_STATE.BATCH_MAX_TIMESTAMP);
        List<BatchMetadata> batches = new ArrayList<>(firstSeq.length);
        for (int i = 0; i < firstSeq.length; i++) {
            batches.add(new BatchMetadata(firstSeq[i], lastSeq[i], firstOffset[i], lastOffset[i], maxTimestamp[i]));
        }
        return new ProducerPartitionState(producerId, r.get(PRODUCER_STATE.PRODUCER_EPOCH), batches,
                r.get(PRODUCER_STATE.TXN_FIRST_OFFSET), r.get(PRODUCER_STATE.LAST_TIMESTAMP));
    }

    @Override
    public void append(TopicIdPartition partition, long baseOffset, AppendBatch batch) {
        checkOpen();
        Locked l = lockedOrFail(partition);
        if (baseOffset < l.nextOffset) {
            throw new IllegalStateException("base offset " + baseOffset + " of " + partition + " is below its next offset "
                    + l.nextOffset + ": records would overlap");
        }
        l.addedBytes += records.add(l.topicKey, l.partition, baseOffset, batch);
        long end = baseOffset + batch.recordCount();
        // the time index gets an entry when the batch raises the partition's largest timestamp
        long batchMax = Long.MIN_VALUE;
        long offsetOfMax = baseOffset;
        List<LogRecord> rs = batch.records();
        for (int i = 0; i < rs.size(); i++) {
            if (rs.get(i).timestamp() > batchMax) {
                batchMax = rs.get(i).timestamp();
                offsetOfMax = baseOffset + i;
            }
        }
        if (batchMax > l.maxTimestamp) {
            timeIndex.add(new TimeIndexEntry(l.topicKey, l.partition, batchMax, offsetOfMax, baseOffset));
            l.maxTimestamp = batchMax;
        }
        l.lastStableOffset = LastStableOffset.afterAppend(l.lastStableOffset, l.nextOffset, batch.attributes().transactional(),
                end);
        l.nextOffset = end;
        l.changed = true;
    }

    @Override
    public void saveProducerState(TopicIdPartition partition, ProducerPartitionState state) {
        checkOpen();
        lockedOrFail(partition);
        states.put(new StateKey(partition, state.producerId()), state);
    }

    @Override
    public Map<TopicIdPartition, Long> oldestOpenTransactions(Collection<TopicIdPartition> partitions, long exceptProducerId) {
        checkOpen();
        Map<TopicIdPartition, Long> result = new HashMap<>();
        List<TopicIdPartition> lockedOnes = new ArrayList<>();
        for (TopicIdPartition tp : partitions) {
            lockedOrFail(tp);
            lockedOnes.add(tp);
        }
        if (lockedOnes.isEmpty()) {
            return result;
        }
        translate("read open transactions", () -> {
            PartitionKeys q = PartitionKeys.of(sql, topicKeys, lockedOnes);
            if (q.isEmpty()) {
                return null;
            }
            Field<Long> oldest = DSL.min(PRODUCER_STATE.TXN_FIRST_OFFSET);
            sql.select(PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION, oldest)
                    .from(q.table())
                    .join(PRODUCER_STATE).on(PRODUCER_STATE.TOPIC_KEY.eq(PartitionKeys.TOPIC_KEY)
                            .and(PRODUCER_STATE.PARTITION.eq(PartitionKeys.PARTITION)))
                    .where(PRODUCER_STATE.PRODUCER_ID.ne(exceptProducerId))
                    .and(PRODUCER_STATE.TXN_FIRST_OFFSET.ge(0L))
                    .groupBy(PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION)
                    .fetch()
                    .forEach(r -> result.put(q.partition(r.value1(), r.value2()), r.value3()));
            return null;
        });
        // states saved in this transaction are not in the table yet
        Set<TopicIdPartition> asked = new HashSet<>(lockedOnes);
        for (Map.Entry<StateKey, ProducerPartitionState> e : states.entrySet()) {
            ProducerPartitionState pending = e.getValue();
            TopicIdPartition tp = e.getKey().partition();
            if (asked.contains(tp) && pending.producerId() != exceptProducerId && pending.inTransaction()) {
                result.merge(tp, pending.currentTxnFirstOffset(), Math::min);
            }
        }
        return result;
    }

    @Override
    public void setLastStableOffset(TopicIdPartition partition, long lastStableOffset) {
        checkOpen();
        Locked l = lockedOrFail(partition);
        if (lastStableOffset > l.nextOffset) {
            throw new IllegalStateException("last stable offset " + lastStableOffset + " of " + partition
                    + " above its high watermark " + l.nextOffset);
        }
        l.lastStableOffset = Math.max(lastStableOffset, l.logStartOffset);
        l.changed = true;
    }

    @Override
    public void addAbortedTransaction(TopicIdPartition partition, AbortedTransaction txn) {
        checkOpen();
        Locked l = lockedOrFail(partition);
        aborted.add(new AbortedEntry(l.topicKey, l.partition, txn));
    }

    @Override
    public void saveTransaction(TransactionMetadata metadata) {
        checkOpen();
        transactions.add(metadata);
    }

    @Override
    public void addToTransaction(String transactionalId, long producerId, short producerEpoch,
                                 Collection<TopicIdPartition> partitions, long startTimestamp) {
        checkOpen();
        additions.add(new Addition(transactionalId, producerId, producerEpoch, List.copyOf(partitions), startTimestamp));
    }

    @Override
    public void finishTransactionalOffsets(long producerId, boolean commit) {
        checkOpen();
        finishedOffsets.put(producerId, commit);
    }

    private Locked lockedOrFail(TopicIdPartition partition) {
        Locked l = locked.get(partition);
        if (l == null) {
            throw new IllegalStateException("partition " + partition + " is not locked in this transaction");
        }
        return l;
    }

    /** Sends the buffered writes; the caller commits. */
    void flush() throws SQLException {
        checkOpen();
        open = false;
        records.send(connection);
        writeHeadsIndexAndStates();
        writeTransactions();
    }

    /** The aborted-transaction index entries, offsets of ended transactions, coordinator state. */
    private void writeTransactions() {
        if (!aborted.isEmpty()) {
            var insert = sql.insertInto(ABORTED_TRANSACTIONS, ABORTED_TRANSACTIONS.TOPIC_KEY, ABORTED_TRANSACTIONS.PARTITION,
                    ABORTED_TRANSACTIONS.LAST_OFFSET, ABORTED_TRANSACTIONS.FIRST_OFFSET, ABORTED_TRANSACTIONS.PRODUCER_ID);
            for (AbortedEntry a : aborted) {
                insert = insert.values(a.topicKey(), a.partition(), a.txn().lastOffset(), a.txn().firstOffset(),
                        a.txn().producerId());
            }
            insert.execute();
        }
        for (Addition a : additions) {
            TransactionRows.addPartitions(sql, topicKeys, a.transactionalId(), a.producerId(), a.producerEpoch(), a.partitions(),
                    a.startTimestamp());
        }
        finishedOffsets.forEach((producerId, commit) -> TransactionRows.finishOffsets(sql, producerId, commit));
        for (TransactionMetadata m : transactions) {
            TransactionRows.save(sql, topicKeys, m);
        }
    }

    /** The work has returned or failed: later calls on this transaction are mistakes. */
    void close() {
        open = false;
    }

    /**
     * {@code WITH state_1 AS (INSERT ... ON CONFLICT DO UPDATE), ..., time_index_entries AS (INSERT ...)
     * UPDATE partitions ... FROM unnest(...)}: one round trip for everything but the records.
     */
    private void writeHeadsIndexAndStates() {
        List<Locked> changed = locked.values().stream().filter(l -> l.changed).toList();
        if (changed.isEmpty() && timeIndex.isEmpty() && states.isEmpty()) {
            return;
        }
        List<CommonTableExpression<?>> ctes = new ArrayList<>();
        int i = 0;
        for (Map.Entry<StateKey, ProducerPartitionState> e : states.entrySet()) {
            ctes.add(DSL.name("producer_state_" + i++).as(upsertState(locked.get(e.getKey().partition()), e.getValue())));
        }
        if (!timeIndex.isEmpty()) {
            ctes.add(DSL.name("time_index_entries").as(insertTimeIndex()));
        }
        int n = changed.size();
        Integer[] keys = new Integer[n];
        Integer[] partitions = new Integer[n];
        Long[] next = new Long[n];
        Long[] stable = new Long[n];
        Long[] maxTs = new Long[n];
        Long[] added = new Long[n];
        for (int k = 0; k < n; k++) {
            Locked l = changed.get(k);
            keys[k] = l.topicKey;
            partitions[k] = l.partition;
            next[k] = l.nextOffset;
            stable[k] = l.lastStableOffset;
            maxTs[k] = l.maxTimestamp;
            added[k] = l.addedBytes;
        }
        Table<Record> u = Unnest.of("u", new String[]{"topic_key", "partition", "next_offset", "last_stable_offset", "max_timestamp",
                        "added_bytes"},
                DSL.val(keys, SQLDataType.INTEGER.array()), DSL.val(partitions, SQLDataType.INTEGER.array()),
                DSL.val(next, SQLDataType.BIGINT.array()), DSL.val(stable, SQLDataType.BIGINT.array()),
                DSL.val(maxTs, SQLDataType.BIGINT.array()), DSL.val(added, SQLDataType.BIGINT.array()));
        // data-modifying CTEs run to completion whether or not the main statement reads them
        int updated = (ctes.isEmpty() ? sql.update(PARTITIONS) : sql.with(ctes).update(PARTITIONS))
                .set(PARTITIONS.NEXT_OFFSET, field("u", "next_offset", SQLDataType.BIGINT))
                .set(PARTITIONS.LAST_STABLE_OFFSET, field("u", "last_stable_offset", SQLDataType.BIGINT))
                .set(PARTITIONS.MAX_TIMESTAMP, field("u", "max_timestamp", SQLDataType.BIGINT))
                .set(PARTITIONS.LOG_BYTES, PARTITIONS.LOG_BYTES.plus(field("u", "added_bytes", SQLDataType.BIGINT)))
                .from(u)
                .where(PARTITIONS.TOPIC_KEY.eq(field("u", "topic_key", SQLDataType.INTEGER)))
                .and(PARTITIONS.PARTITION.eq(field("u", "partition", SQLDataType.INTEGER)))
                .execute();
        if (updated != n) {
            throw new StorageException("updated " + updated + " of " + n + " partition heads", null);
        }
    }

    private org.jooq.ResultQuery<?> insertTimeIndex() {
        int n = timeIndex.size();
        Integer[] keys = new Integer[n];
        Integer[] partitions = new Integer[n];
        Long[] maxTs = new Long[n];
        Long[] offsets = new Long[n];
        Long[] bases = new Long[n];
        for (int i = 0; i < n; i++) {
            TimeIndexEntry e = timeIndex.get(i);
            keys[i] = e.topicKey;
            partitions[i] = e.partition;
            maxTs[i] = e.maxTimestamp;
            offsets[i] = e.offset;
            bases[i] = e.baseOffset;
        }
        Table<Record> entries = Unnest.of("e", new String[]{"topic_key", "partition", "max_timestamp", "offset", "base_offset"},
                DSL.val(keys, SQLDataType.INTEGER.array()), DSL.val(partitions, SQLDataType.INTEGER.array()),
                DSL.val(maxTs, SQLDataType.BIGINT.array()), DSL.val(offsets, SQLDataType.BIGINT.array()),
                DSL.val(bases, SQLDataType.BIGINT.array()));
        return sql.insertInto(TIME_INDEX, TIME_INDEX.TOPIC_KEY, TIME_INDEX.PARTITION, TIME_INDEX.MAX_TIMESTAMP, TIME_INDEX.OFFSET,
                        TIME_INDEX.BASE_OFFSET)
                .select(DSL.select(field("e", "topic_key", SQLDataType.INTEGER), field("e", "partition", SQLDataType.INTEGER),
                                field("e", "max_timestamp", SQLDataType.BIGINT), field("e", "offset", SQLDataType.BIGINT),
                                field("e", "base_offset", SQLDataType.BIGINT))
                        .from(entries))
                .returningResult(TIME_INDEX.OFFSET);
    }

    private org.jooq.ResultQuery<?> upsertState(Locked l, ProducerPartitionState s) {
        List<BatchMetadata> b = s.recentBatches();
        return sql.insertInto(PRODUCER_STATE, PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION, PRODUCER_STATE.PRODUCER_ID,
                        PRODUCER_STATE.PRODUCER_EPOCH, PRODUCER_STATE.TXN_FIRST_OFFSET, PRODUCER_STATE.LAST_TIMESTAMP,
                        PRODUCER_STATE.BATCH_FIRST_SEQUENCE, PRODUCER_STATE.BATCH_LAST_SEQUENCE, PRODUCER_STATE.BATCH_FIRST_OFFSET,
                        PRODUCER_STATE.BATCH_LAST_OFFSET, PRODUCER_STATE.BATCH_MAX_TIMESTAMP)
                .values(l.topicKey, l.partition, s.producerId(), s.producerEpoch(), s.currentTxnFirstOffset(), s.lastTimestamp(),
                        b.stream().map(BatchMetadata::firstSequence).toArray(Integer[]::new),
                        b.stream().map(BatchMetadata::lastSequence).toArray(Integer[]::new),
                        b.stream().map(BatchMetadata::firstOffset).toArray(Long[]::new),
                        b.stream().map(BatchMetadata::lastOffset).toArray(Long[]::new),
                        b.stream().map(BatchMetadata::maxTimestamp).toArray(Long[]::new))
                .onConflict(PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION, PRODUCER_STATE.PRODUCER_ID)
                .doUpdate()
                .set(PRODUCER_STATE.PRODUCER_EPOCH, DSL.excluded(PRODUCER_STATE.PRODUCER_EPOCH))
                .set(PRODUCER_STATE.TXN_FIRST_OFFSET, DSL.excluded(PRODUCER_STATE.TXN_FIRST_OFFSET))
                .set(PRODUCER_STATE.LAST_TIMESTAMP, DSL.excluded(PRODUCER_STATE.LAST_TIMESTAMP))
                .set(PRODUCER_STATE.BATCH_FIRST_SEQUENCE, DSL.excluded(PRODUCER_STATE.BATCH_FIRST_SEQUENCE))
                .set(PRODUCER_STATE.BATCH_LAST_SEQUENCE, DSL.excluded(PRODUCER_STATE.BATCH_LAST_SEQUENCE))
                .set(PRODUCER_STATE.BATCH_FIRST_OFFSET, DSL.excluded(PRODUCER_STATE.BATCH_FIRST_OFFSET))
                .set(PRODUCER_STATE.BATCH_LAST_OFFSET, DSL.excluded(PRODUCER_STATE.BATCH_LAST_OFFSET))
                .set(PRODUCER_STATE.BATCH_MAX_TIMESTAMP, DSL.excluded(PRODUCER_STATE.BATCH_MAX_TIMESTAMP))
                // the column's default is the database's time of this transaction
                .set(PRODUCER_STATE.LAST_APPEND_MS, DSL.excluded(PRODUCER_STATE.LAST_APPEND_MS))
                .returningResult(PRODUCER_STATE.PRODUCER_ID);
    }

    private static <T> Field<T> field(String table, String column, DataType<T> type) {
        return DSL.field(DSL.name(table, column), type);
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("the append transaction has ended");
        }
    }

    /** SQL failures inside the work surface as the SPI's StorageException, not as jOOQ's exception. */
    private static <T> T translate(String what, Supplier<T> query) {
        try {
            return query.get();
        } catch (DataAccessException e) {
            throw new StorageException(what + " failed: " + Database.describe(e), e);
        }
    }
}
