package dev.pgkafka.adapter.postgres.txn;

import static dev.pgkafka.adapter.postgres.schema.Tables.CONSUMER_OFFSETS;
import static dev.pgkafka.adapter.postgres.schema.Tables.PENDING_TRANSACTIONAL_OFFSETS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TOPICS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TRANSACTIONS;
import static dev.pgkafka.adapter.postgres.schema.Tables.TRANSACTION_PARTITIONS;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/**
 * The SQL of transaction state, shared by the store and by append transactions that write markers
 * (so that a transaction's Complete state commits with its markers).
 */
public final class TransactionRows {
    private TransactionRows() {
    }

    /** Upserts the id's row and replaces its partitions (partitions of deleted topics are skipped). */
    public static void save(DSLContext sql, TopicKeys topicKeys, TransactionMetadata m) {
        String[] groups = m.groups().toArray(String[]::new);
        sql.insertInto(TRANSACTIONS, TRANSACTIONS.TRANSACTIONAL_ID, TRANSACTIONS.PRODUCER_ID, TRANSACTIONS.PRODUCER_EPOCH,
                        TRANSACTIONS.TIMEOUT_MS, TRANSACTIONS.STATE, TRANSACTIONS.GROUPS, TRANSACTIONS.START_TIMESTAMP,
                        TRANSACTIONS.LAST_UPDATE_TIMESTAMP, TRANSACTIONS.PREVIOUS_PRODUCER_ID, TRANSACTIONS.LAST_PRODUCER_EPOCH)
                .values(m.transactionalId(), m.producerId(), m.producerEpoch(), m.timeoutMs(), m.state().kafkaName(), groups,
                        m.startTimestamp(), m.lastUpdateTimestamp(), m.previousProducerId(), m.lastProducerEpoch())
                .onConflict(TRANSACTIONS.TRANSACTIONAL_ID)
                .doUpdate()
                .set(TRANSACTIONS.PRODUCER_ID, DSL.excluded(TRANSACTIONS.PRODUCER_ID))
                .set(TRANSACTIONS.PRODUCER_EPOCH, DSL.excluded(TRANSACTIONS.PRODUCER_EPOCH))
                .set(TRANSACTIONS.TIMEOUT_MS, DSL.excluded(TRANSACTIONS.TIMEOUT_MS))
                .set(TRANSACTIONS.STATE, DSL.excluded(TRANSACTIONS.STATE))
                .set(TRANSACTIONS.GROUPS, DSL.excluded(TRANSACTIONS.GROUPS))
                .set(TRANSACTIONS.START_TIMESTAMP, DSL.excluded(TRANSACTIONS.START_TIMESTAMP))
                .set(TRANSACTIONS.LAST_UPDATE_TIMESTAMP, DSL.excluded(TRANSACTIONS.LAST_UPDATE_TIMESTAMP))
                .set(TRANSACTIONS.PREVIOUS_PRODUCER_ID, DSL.excluded(TRANSACTIONS.PREVIOUS_PRODUCER_ID))
                .set(TRANSACTIONS.LAST_PRODUCER_EPOCH, DSL.excluded(TRANSACTIONS.LAST_PRODUCER_EPOCH))
                .execute();
        sql.deleteFrom(TRANSACTION_PARTITIONS).where(TRANSACTION_PARTITIONS.TRANSACTIONAL_ID.eq(m.transactionalId())).execute();
        if (m.partitions().isEmpty()) {
            return;
        }
        Map<UUID, Integer> keys = topicKeys.resolve(sql, m.partitions().stream().map(TopicIdPartition::topicId).distinct().toList());
        var insert = sql.insertInto(TRANSACTION_PARTITIONS, TRANSACTION_PARTITIONS.TRANSACTIONAL_ID,
                TRANSACTION_PARTITIONS.TOPIC_KEY, TRANSACTION_PARTITIONS.PARTITION);
        boolean any = false;
        for (TopicIdPartition tp : m.partitions()) {
            Integer key = keys.get(tp.topicId());
            if (key != null) {
                insert = insert.values(m.transactionalId(), key, tp.partition());
                any = true;
            }
        }
        if (any) {
            // a partition deleted since is not an error: the marker skips it too
            insert.onConflictDoNothing().execute();
        }
    }

    /**
     * Transaction version 2's implicit add, with the records that follow from it: the id's row becomes
     * Ongoing (from {@code startTimestamp} unless it was Ongoing) if it still has this producer id and
     * epoch in a state that accepts partitions, and only then the partitions are added. Nothing is
     * removed: a concurrent fence has stored its own state, which this must not overwrite.
     */
    public static void addPartitions(DSLContext sql, TopicKeys topicKeys, String transactionalId, long producerId,
                                     short producerEpoch, Collection<TopicIdPartition> partitions, long startTimestamp) {
        String ongoing = TransactionState.ONGOING.kafkaName();
        int updated = sql.update(TRANSACTIONS)
                .set(TRANSACTIONS.STATE, ongoing)
                .set(TRANSACTIONS.START_TIMESTAMP, DSL.when(TRANSACTIONS.STATE.eq(ongoing), TRANSACTIONS.START_TIMESTAMP)
                        .otherwise(startTimestamp))
                .set(TRANSACTIONS.LAST_UPDATE_TIMESTAMP, DSL.greatest(TRANSACTIONS.LAST_UPDATE_TIMESTAMP, DSL.val(startTimestamp)))
                .where(TRANSACTIONS.TRANSACTIONAL_ID.eq(transactionalId))
                .and(TRANSACTIONS.PRODUCER_ID.eq(producerId))
                .and(TRANSACTIONS.PRODUCER_EPOCH.eq(producerEpoch))
                .and(TRANSACTIONS.STATE.in(TransactionState.EMPTY.kafkaName(), ongoing,
                        TransactionState.COMPLETE_COMMIT.kafkaName(), TransactionState.COMPLETE_ABORT.kafkaName()))
                .execute();
        if (updated == 0 || partitions.isEmpty()) {
            return;
        }
        Map<UUID, Integer> keys = topicKeys.resolve(sql, partitions.stream().map(TopicIdPartition::topicId).distinct().toList());
        var insert = sql.insertInto(TRANSACTION_PARTITIONS, TRANSACTION_PARTITIONS.TRANSACTIONAL_ID,
                TRANSACTION_PARTITIONS.TOPIC_KEY, TRANSACTION_PARTITIONS.PARTITION);
        boolean any = false;
        for (TopicIdPartition tp : partitions) {
            Integer key = keys.get(tp.topicId());
            if (key != null) {
                insert = insert.values(transactionalId, key, tp.partition());
                any = true;
            }
        }
        if (any) {
            insert.onConflictDoNothing().execute();
        }
    }

    /** Every id's state with its partitions. */
    public static List<TransactionMetadata> loadAll(DSLContext sql) {
        Map<String, SortedSet<TopicIdPartition>> partitions = new HashMap<>();
        for (Record r : sql.select(TRANSACTION_PARTITIONS.TRANSACTIONAL_ID, TOPICS.TOPIC_ID, TRANSACTION_PARTITIONS.PARTITION)
                .from(TRANSACTION_PARTITIONS)
                .join(TOPICS).on(TOPICS.TOPIC_KEY.eq(TRANSACTION_PARTITIONS.TOPIC_KEY))
                .fetch()) {
            partitions.computeIfAbsent(r.get(TRANSACTION_PARTITIONS.TRANSACTIONAL_ID), id -> new TreeSet<>())
                    .add(new TopicIdPartition(r.get(TOPICS.TOPIC_ID), r.get(TRANSACTION_PARTITIONS.PARTITION)));
        }
        List<TransactionMetadata> out = new ArrayList<>();
        for (Record r : sql.selectFrom(TRANSACTIONS).fetch()) {
            String id = r.get(TRANSACTIONS.TRANSACTIONAL_ID);
            TransactionState state = TransactionState.fromKafkaName(r.get(TRANSACTIONS.STATE))
                    .orElseThrow(() -> new IllegalStateException("unknown transaction state " + r.get(TRANSACTIONS.STATE)));
            out.add(new TransactionMetadata(id, r.get(TRANSACTIONS.PRODUCER_ID), r.get(TRANSACTIONS.PRODUCER_EPOCH),
                    r.get(TRANSACTIONS.TIMEOUT_MS), state, partitions.getOrDefault(id, new TreeSet<>()),
                    new TreeSet<>(List.of(r.get(TRANSACTIONS.GROUPS))), r.get(TRANSACTIONS.START_TIMESTAMP),
                    r.get(TRANSACTIONS.LAST_UPDATE_TIMESTAMP), r.get(TRANSACTIONS.PREVIOUS_PRODUCER_ID),
                    r.get(TRANSACTIONS.LAST_PRODUCER_EPOCH)));
        }
        return out;
    }

    /**
     * The producer's pending offsets become committed offsets (one statement: a DELETE ... RETURNING
     * feeding the upsert), or are deleted.
     */
    public static void finishOffsets(DSLContext sql, long producerId, boolean commit) {
        var delete = sql.deleteFrom(PENDING_TRANSACTIONAL_OFFSETS)
                .where(PENDING_TRANSACTIONAL_OFFSETS.PRODUCER_ID.eq(producerId));
        if (!commit) {
            delete.execute();
            return;
        }
        var moved = DSL.name("moved").as(delete.returningResult(PENDING_TRANSACTIONAL_OFFSETS.GROUP_ID,
                PENDING_TRANSACTIONAL_OFFSETS.TOPIC_KEY, PENDING_TRANSACTIONAL_OFFSETS.PARTITION,
                PENDING_TRANSACTIONAL_OFFSETS.COMMITTED_OFFSET, PENDING_TRANSACTIONAL_OFFSETS.LEADER_EPOCH,
                PENDING_TRANSACTIONAL_OFFSETS.METADATA, PENDING_TRANSACTIONAL_OFFSETS.COMMIT_TIMESTAMP));
        sql.with(moved)
                .insertInto(CONSUMER_OFFSETS, CONSUMER_OFFSETS.GROUP_ID, CONSUMER_OFFSETS.TOPIC_KEY, CONSUMER_OFFSETS.PARTITION,
                        CONSUMER_OFFSETS.COMMITTED_OFFSET, CONSUMER_OFFSETS.LEADER_EPOCH, CONSUMER_OFFSETS.METADATA,
                        CONSUMER_OFFSETS.COMMIT_TIMESTAMP, CONSUMER_OFFSETS.EXPIRE_TIMESTAMP)
                .select(DSL.select(moved(PENDING_TRANSACTIONAL_OFFSETS.GROUP_ID), moved(PENDING_TRANSACTIONAL_OFFSETS.TOPIC_KEY),
                                moved(PENDING_TRANSACTIONAL_OFFSETS.PARTITION), moved(PENDING_TRANSACTIONAL_OFFSETS.COMMITTED_OFFSET),
                                moved(PENDING_TRANSACTIONAL_OFFSETS.LEADER_EPOCH), moved(PENDING_TRANSACTIONAL_OFFSETS.METADATA),
                                moved(PENDING_TRANSACTIONAL_OFFSETS.COMMIT_TIMESTAMP), DSL.castNull(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP))
                        .from(moved))
                .onConflict(CONSUMER_OFFSETS.GROUP_ID, CONSUMER_OFFSETS.TOPIC_KEY, CONSUMER_OFFSETS.PARTITION)
                .doUpdate()
                .set(CONSUMER_OFFSETS.COMMITTED_OFFSET, DSL.excluded(CONSUMER_OFFSETS.COMMITTED_OFFSET))
                .set(CONSUMER_OFFSETS.LEADER_EPOCH, DSL.excluded(CONSUMER_OFFSETS.LEADER_EPOCH))
                .set(CONSUMER_OFFSETS.METADATA, DSL.excluded(CONSUMER_OFFSETS.METADATA))
                .set(CONSUMER_OFFSETS.COMMIT_TIMESTAMP, DSL.excluded(CONSUMER_OFFSETS.COMMIT_TIMESTAMP))
                .set(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP, DSL.excluded(CONSUMER_OFFSETS.EXPIRE_TIMESTAMP))
                .execute();
    }

    private static <T> Field<T> moved(Field<T> column) {
        return DSL.field(DSL.name("moved", column.getName()), column.getDataType());
    }
}
