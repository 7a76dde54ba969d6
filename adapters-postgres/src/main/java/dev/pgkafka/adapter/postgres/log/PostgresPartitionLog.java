package dev.pgkafka.adapter.postgres.log;

import static dev.pgkafka.adapter.postgres.schema.Tables.ABORTED_TRANSACTIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PARTITIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PRODUCER_STATE;
import static dev.pgkafka.adapter.postgres.schema.Tables.RECORDS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TIME_INDEX;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record2;
import org.jooq.ResultQuery;
import org.jooq.impl.DSL;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.RecordSizes;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;

/**
 * Partition logs in {@code kafka.records}, one row per record. Appends serialise on the partition's
 * row in {@code kafka.partitions} (see docs/adr/0003-offset-assignment-locking.md); reads are
 * index range scans on the records' primary key.
 */
public final class PostgresPartitionLog implements PartitionLogPort {
    /** Rows per round trip when a read streams through a cursor. */
    static final int FETCH_SIZE = 1000;

    private final Database db;
    private final TopicKeys topicKeys;
    // BatchAttributes.fromBits allocates; there are only a few distinct attribute values
    private final BatchAttributes[] attributesByBits = new BatchAttributes[128];

    public PostgresPartitionLog(Database db, TopicKeys topicKeys) {
        this.db = db;
        this.topicKeys = topicKeys;
    }

    @Override
    public <T> T append(AppendWork<T> work) {
        return db.transaction("append", (c, sql) -> {
            PostgresAppendTransaction tx = new PostgresAppendTransaction(c, sql, topicKeys);
            try {
                T result = work.run(tx);
                tx.flush();
                return result;
            } finally {
                tx.close();
            }
        });
    }

    @Override
    public Map<TopicIdPartition, PartitionHead> heads(Collection<TopicIdPartition> partitions) {
        Map<TopicIdPartition, PartitionHead> heads = new HashMap<>();
        if (partitions.isEmpty()) {
            return heads;
        }
        return db.autoCommit("read partition heads", (c, sql) -> {
            PartitionKeys q = PartitionKeys.of(sql, topicKeys, partitions);
            if (q.isEmpty()) {
                return heads;
            }
            sql.select(PARTITIONS.TOPIC_KEY, PARTITIONS.PARTITION, PARTITIONS.LOG_START_OFFSET, PARTITIONS.NEXT_OFFSET,
                            PARTITIONS.LAST_STABLE_OFFSET)
                    .from(q.table())
                    .join(PARTITIONS).on(PARTITIONS.TOPIC_KEY.eq(PartitionKeys.TOPIC_KEY)
                            .and(PARTITIONS.PARTITION.eq(PartitionKeys.PARTITION)))
                    .fetch()
                    .forEach(r -> heads.put(q.partition(r.value1(), r.value2()),
                            new PartitionHead(r.value3(), r.value4(), Math.max(r.value3(), r.value5()))));
            return heads;
        });
    }

    @Override
    public List<StoredRecord> read(TopicIdPartition partition, long fromOffset, long endOffset, int maxBytes,
                                   boolean atLeastOne) {
        if (fromOffset >= endOffset || (maxBytes < RecordSizes.RECORD_OVERHEAD && !atLeastOne)) {
            return List.of();
        }
        // every record costs at least RECORD_OVERHEAD bytes of budget: a bound on the rows worth asking for
        long rowLimit = Math.min(endOffset - fromOffset, Math.max(0, maxBytes) / RecordSizes.RECORD_OVERHEAD + 1);
        Database.SqlWork<List<StoredRecord>> work = (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return List.<StoredRecord>of();
            }
            ResultQuery<?> query = sql.select(RECORDS.OFFSET, RECORDS.TIMESTAMP, RECORDS.KEY, RECORDS.VALUE,
                            RECORDS.HEADER_KEYS, RECORDS.HEADER_VALUES, RECORDS.PRODUCER_ID, RECORDS.PRODUCER_EPOCH,
                            RECORDS.SEQUENCE, RECORDS.ATTRIBUTES)
                    .from(RECORDS)
                    .where(RECORDS.TOPIC_KEY.eq(topicKey))
                    .and(RECORDS.PARTITION.eq(partition.partition()))
                    .and(RECORDS.OFFSET.ge(fromOffset))
                    .and(RECORDS.OFFSET.lt(endOffset))
                    .orderBy(RECORDS.OFFSET)
                    .limit(rowLimit)
                    .fetchSize(FETCH_SIZE);
            // the rows are decoded straight from JDBC: no jOOQ record per row on the hottest read path
            try (ResultSet rs = query.fetchResultSet()) {
                return collect(rs, maxBytes, atLeastOne);
            }
        };
        // a fetch size needs a transaction; a read that fits one round trip skips its commit
        return rowLimit <= FETCH_SIZE ? db.autoCommit("read records", work) : db.readOnly("read records", work);
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(TopicIdPartition partition, long fromOffset, long upperBound) {
        return db.autoCommit("read aborted transactions", (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return List.<AbortedTransaction>of();
            }
            return sql.select(ABORTED_TRANSACTIONS.PRODUCER_ID, ABORTED_TRANSACTIONS.FIRST_OFFSET, ABORTED_TRANSACTIONS.LAST_OFFSET)
                    .from(ABORTED_TRANSACTIONS)
                    .where(ABORTED_TRANSACTIONS.TOPIC_KEY.eq(topicKey))
                    .and(ABORTED_TRANSACTIONS.PARTITION.eq(partition.partition()))
                    .and(ABORTED_TRANSACTIONS.LAST_OFFSET.ge(fromOffset))
                    .and(ABORTED_TRANSACTIONS.FIRST_OFFSET.lt(upperBound))
                    .orderBy(ABORTED_TRANSACTIONS.FIRST_OFFSET)
                    .fetch(r -> new AbortedTransaction(r.value1(), r.value2(), r.value3()));
        });
    }

    @Override
    public List<ProducerPartitionState> producers(TopicIdPartition partition) {
        return db.autoCommit("read producers", (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return List.<ProducerPartitionState>of();
            }
            return sql.select(PRODUCER_STATE.TOPIC_KEY, PRODUCER_STATE.PARTITION, PRODUCER_STATE.PRODUCER_EPOCH,
                            PRODUCER_STATE.TXN_FIRST_OFFSET, PRODUCER_STATE.LAST_TIMESTAMP, PRODUCER_STATE.BATCH_FIRST_SEQUENCE,
                            PRODUCER_STATE.BATCH_LAST_SEQUENCE, PRODUCER_STATE.BATCH_FIRST_OFFSET,
                            PRODUCER_STATE.BATCH_LAST_OFFSET, PRODUCER_STATE.BATCH_MAX_TIMESTAMP, PRODUCER_STATE.PRODUCER_ID)
                    .from(PRODUCER_STATE)
                    .where(PRODUCER_STATE.TOPIC_KEY.eq(topicKey))
                    .and(PRODUCER_STATE.PARTITION.eq(partition.partition()))
                    .orderBy(PRODUCER_STATE.PRODUCER_ID)
                    .fetch(r -> PostgresAppendTransaction.toState(r.get(PRODUCER_STATE.PRODUCER_ID), r));
        });
    }

    private List<StoredRecord> collect(ResultSet rs, int maxBytes, boolean atLeastOne) throws SQLException {
        List<StoredRecord> out = new ArrayList<>();
        long total = 0;
        while (rs.next()) {
            StoredRecord r = new StoredRecord(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getBytes(4),
                    headers(rs.getArray(5), rs.getArray(6)), rs.getLong(7), rs.getShort(8), rs.getInt(9),
                    attributes(rs.getShort(10)));
            int size = r.payloadSize();
            if (total + size > maxBytes && !(out.isEmpty() && atLeastOne)) {
                break;
            }
            out.add(r);
            total += size;
        }
        return out;
    }

    private static List<Header> headers(Array keys, Array values) throws SQLException {
        if (keys == null) {
            return List.of();
        }
        String[] k = (String[]) keys.getArray();
        byte[][] v = (byte[][]) values.getArray();
        List<Header> headers = new ArrayList<>(k.length);
        for (int i = 0; i < k.length; i++) {
            headers.add(new Header(k[i], v[i]));
        }
        return List.copyOf(headers);
    }

    private BatchAttributes attributes(short bits) {
        if (bits < 0 || bits >= attributesByBits.length) {
            return BatchAttributes.fromBits(bits);
        }
        BatchAttributes a = attributesByBits[bits];
        if (a == null) {
            a = BatchAttributes.fromBits(bits);
            attributesByBits[bits] = a; // benign race: the values are equal
        }
        return a;
    }

    @Override
    public Optional<OffsetAndTimestamp> firstAtOrAfter(TopicIdPartition partition, long timestamp, long endOffset) {
        // The first time index entry reaching the timestamp names the batch holding the answer: every
        // record before that batch is older. Scan from there (or from the log start, when that lies
        // beyond: records below it are gone or about to go) up to endOffset for the first match.
        return db.autoCommit("look up offset by timestamp", (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return Optional.<OffsetAndTimestamp>empty();
            }
            Field<Long> scanFrom = DSL.select(DSL.greatest(TIME_INDEX.BASE_OFFSET, PARTITIONS.LOG_START_OFFSET))
                    .from(TIME_INDEX)
                    .join(PARTITIONS).on(PARTITIONS.TOPIC_KEY.eq(TIME_INDEX.TOPIC_KEY)
                            .and(PARTITIONS.PARTITION.eq(TIME_INDEX.PARTITION)))
                    .where(TIME_INDEX.TOPIC_KEY.eq(topicKey).and(TIME_INDEX.PARTITION.eq(partition.partition())))
                    .and(TIME_INDEX.MAX_TIMESTAMP.ge(timestamp))
                    .orderBy(TIME_INDEX.MAX_TIMESTAMP)
                    .limit(1)
                    .asField();
            return sql.select(RECORDS.OFFSET, RECORDS.TIMESTAMP)
                    .from(RECORDS)
                    .where(RECORDS.TOPIC_KEY.eq(topicKey).and(RECORDS.PARTITION.eq(partition.partition())))
                    .and(RECORDS.OFFSET.ge(scanFrom))
                    .and(RECORDS.OFFSET.lt(endOffset))
                    .and(RECORDS.TIMESTAMP.ge(timestamp))
                    .orderBy(RECORDS.OFFSET)
                    .limit(1)
                    .fetchOptional()
                    .map(r -> new OffsetAndTimestamp(r.value1(), r.value2()));
        });
    }

    @Override
    public Optional<OffsetAndTimestamp> maxTimestamp(TopicIdPartition partition, long endOffset) {
        return db.autoCommit("look up the max timestamp", (c, sql) -> {
            Integer topicKey = topicKeys.resolve(sql, partition.topicId());
            if (topicKey == null) {
                return Optional.<OffsetAndTimestamp>empty();
            }
            Optional<Long> logStart = sql.select(PARTITIONS.LOG_START_OFFSET)
                    .from(PARTITIONS)
                    .where(PARTITIONS.TOPIC_KEY.eq(topicKey).and(PARTITIONS.PARTITION.eq(partition.partition())))
                    .fetchOptional(PARTITIONS.LOG_START_OFFSET);
            if (logStart.isEmpty()) {
                return Optional.<OffsetAndTimestamp>empty();
            }
            // the newest entry whose record lies below the end: the largest timestamp up to there...
            Optional<OffsetAndTimestamp> indexed = sql.select(TIME_INDEX.OFFSET, TIME_INDEX.MAX_TIMESTAMP)
                    .from(TIME_INDEX)
                    .where(TIME_INDEX.TOPIC_KEY.eq(topicKey).and(TIME_INDEX.PARTITION.eq(partition.partition())))
                    .and(TIME_INDEX.OFFSET.lt(endOffset))
                    .orderBy(TIME_INDEX.MAX_TIMESTAMP.desc())
                    .limit(1)
                    .fetchOptional()
                    .map(r -> new OffsetAndTimestamp(r.value1(), r.value2()));
            if (indexed.isPresent() && (indexed.get().offset() < logStart.get()
                    || !sql.fetchExists(RECORDS, RECORDS.TOPIC_KEY.eq(topicKey)
                            .and(RECORDS.PARTITION.eq(partition.partition())).and(RECORDS.OFFSET.eq(indexed.get().offset()))))) {
                // retention or compaction removed that record: the index no longer answers, the records do
                return scanMax(sql, topicKey, partition.partition(), logStart.get(), endOffset);
            }
            // ...unless the batch that the end cuts through holds a larger one before the end
            Optional<OffsetAndTimestamp> cut = straddlingMax(sql, topicKey, partition.partition(), logStart.get(), endOffset);
            if (cut.isPresent() && (indexed.isEmpty() || cut.get().timestamp() > indexed.get().timestamp())) {
                return cut;
            }
            return indexed;
        });
    }

    private static Optional<OffsetAndTimestamp> straddlingMax(DSLContext sql, int topicKey, int partition, long logStart,
                                                              long endOffset) {
        Optional<Long> base = sql.select(TIME_INDEX.BASE_OFFSET)
                .from(TIME_INDEX)
                .where(TIME_INDEX.TOPIC_KEY.eq(topicKey).and(TIME_INDEX.PARTITION.eq(partition)))
                .and(TIME_INDEX.OFFSET.ge(endOffset))
                .orderBy(TIME_INDEX.MAX_TIMESTAMP)
                .limit(1)
                .fetchOptional(TIME_INDEX.BASE_OFFSET);
        if (base.isEmpty() || base.get() >= endOffset) {
            return Optional.empty();
        }
        return scanMax(sql, topicKey, partition, Math.max(base.get(), logStart), endOffset);
    }

    /** The record with the largest timestamp in [from, end), by scanning the records. */
    private static Optional<OffsetAndTimestamp> scanMax(DSLContext sql, int topicKey, int partition, long from, long end) {
        return sql.select(RECORDS.OFFSET, RECORDS.TIMESTAMP)
                .from(RECORDS)
                .where(RECORDS.TOPIC_KEY.eq(topicKey).and(RECORDS.PARTITION.eq(partition)))
                .and(RECORDS.OFFSET.ge(from))
                .and(RECORDS.OFFSET.lt(end))
                .orderBy(RECORDS.TIMESTAMP.desc(), RECORDS.OFFSET)
                .limit(1)
                .fetchOptional()
                .map((Record2<Long, Long> r) -> new OffsetAndTimestamp(r.value1(), r.value2()));
    }
}
