package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;

/**
 * The partition logs: appends in transactions, and reads. Offsets are assigned by the application
 * inside {@link #append}; the adapter guarantees that appends to one partition are serialised (the
 * head returned by {@link AppendTransaction#lockHeads} stays locked until the transaction ends).
 */
public interface PartitionLogPort {

    /**
     * Runs {@code work} in one storage transaction and commits it when the work returns. When the
     * work or the commit throws, nothing of it is stored and the exception propagates (the work's own
     * exception unchanged; storage failures as {@link StorageException}).
     */
    <T> T append(AppendWork<T> work);

    /** Heads of the given partitions; partitions that do not exist are absent from the map. */
    Map<TopicIdPartition, PartitionHead> heads(Collection<TopicIdPartition> partitions);

    /**
     * Records with offsets in {@code [fromOffset, endOffset)}, in offset order. Stops before the
     * record that would take the total {@link StoredRecord#payloadSize()} over {@code maxBytes}, but
     * returns the first record regardless when {@code atLeastOne} is set.
     */
    List<StoredRecord> read(TopicIdPartition partition, long fromOffset, long endOffset, int maxBytes, boolean atLeastOne);

    /** The first record (lowest offset) below {@code endOffset} whose timestamp is at least {@code timestamp}. */
    Optional<OffsetAndTimestamp> firstAtOrAfter(TopicIdPartition partition, long timestamp, long endOffset);

    /** The record with the largest timestamp below {@code endOffset} (the lowest offset among ties). */
    Optional<OffsetAndTimestamp> maxTimestamp(TopicIdPartition partition, long endOffset);

    /**
     * The partition's aborted transactions that overlap {@code [fromOffset, upperBound)} (their abort
     * marker at or after {@code fromOffset}, their first offset below {@code upperBound}), by first offset.
     */
    List<AbortedTransaction> abortedTransactions(TopicIdPartition partition, long fromOffset, long upperBound);

    /** What the partition remembers of each idempotent or transactional producer (DescribeProducers). */
    List<ProducerPartitionState> producers(TopicIdPartition partition);

    @FunctionalInterface
    interface AppendWork<T> {
        T run(AppendTransaction tx);
    }

    record OffsetAndTimestamp(long offset, long timestamp) {
    }
}
