package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.Map;
import java.util.SortedSet;

import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.TransactionMetadata;

/** One storage transaction of appends, as seen from inside {@link PartitionLogPort#append}. */
public interface AppendTransaction {

    /**
     * Locks the partitions in their natural order ({@link TopicIdPartition#compareTo}), so that
     * concurrent transactions cannot deadlock, and returns their heads. The locks are held until the
     * transaction ends. Partitions that do not exist are absent from the map.
     */
    Map<TopicIdPartition, PartitionHead> lockHeads(SortedSet<TopicIdPartition> partitions);

    /** What the locked partitions remember of this producer; partitions without state are absent. */
    Map<TopicIdPartition, ProducerPartitionState> producerStates(long producerId, Collection<TopicIdPartition> partitions);

    /**
     * Writes the batch's records, one row each, at offsets {@code baseOffset, baseOffset + 1, ...}, and
     * moves the partition's high watermark to the end of the batch. The last stable offset follows the
     * high watermark while no transaction is open; a transactional batch opens one and holds it (see
     * {@link #setLastStableOffset}). The partition must be locked.
     * A base offset above the high watermark leaves a gap of offsets without records (as compaction
     * and transaction markers do in Kafka); the application normally appends at the high watermark.
     *
     * @throws IllegalStateException when the partition is not locked in this transaction, or
     *                               {@code baseOffset} is below its high watermark
     */
    void append(TopicIdPartition partition, long baseOffset, AppendBatch batch);

    /**
     * Stores the producer's state on a locked partition, replacing what the partition remembered of
     * that producer; {@link #producerStates} in the same transaction sees it.
     *
     * @throws IllegalStateException when the partition is not locked in this transaction
     */
    void saveProducerState(TopicIdPartition partition, ProducerPartitionState state);

    // ---- transactions (docs/adr/0011-transactions.md): markers are appended with the methods above,
    // these keep what goes with them in the same storage transaction

    /**
     * For each locked partition, the first offset of the oldest transaction still open on it by a
     * producer other than {@code exceptProducerId}; partitions without one are absent.
     */
    Map<TopicIdPartition, Long> oldestOpenTransactions(Collection<TopicIdPartition> partitions, long exceptProducerId);

    /**
     * Sets a locked partition's last stable offset (after a marker closed a transaction on it).
     * Appends keep it otherwise: a partition without an open transaction stays stable unless a
     * transactional batch is appended.
     */
    void setLastStableOffset(TopicIdPartition partition, long lastStableOffset);

    /** Adds an entry to a locked partition's aborted-transaction index. */
    void addAbortedTransaction(TopicIdPartition partition, AbortedTransaction aborted);

    /** Stores a transactional id's coordinator state (as {@link TransactionStorePort#save} does). */
    void saveTransaction(TransactionMetadata metadata);

    /**
     * Transaction version 2: the partitions join the transactional id's ongoing transaction (which
     * starts at {@code startTimestamp} if it was not ongoing), stored with the records that follow
     * from it. Only additions: partitions already stored stay, and an id whose producer id or epoch
     * moved on meanwhile (a timeout abort) keeps its state.
     */
    void addToTransaction(String transactionalId, long producerId, short producerEpoch,
                          Collection<TopicIdPartition> partitions, long startTimestamp);

    /**
     * The offsets the producer committed in its transaction (TxnOffsetCommit) become the groups'
     * committed offsets ({@code commit}) or are dropped.
     */
    void finishTransactionalOffsets(long producerId, boolean commit);
}
