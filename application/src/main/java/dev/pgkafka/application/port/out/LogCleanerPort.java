package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * What retention, DeleteRecords and compaction need from the storage. Moving the log start offset
 * is quick and serialised with appends (the partition's head lock); removing the records below it
 * and compacting happen afterwards in bounded steps that never hold that lock for long, so that
 * producers do not stall behind the cleaner.
 */
public interface LogCleanerPort {

    /**
     * Moves the partition's log start offset up to {@code offset}, never down, and never past the
     * last stable offset (so never past the high watermark). From then on consumers cannot fetch
     * below it; the records there are removed by {@link #removeBelowLogStart}.
     *
     * @return the head afterwards, or empty when the partition does not exist
     */
    Optional<PartitionHead> advanceLogStart(TopicIdPartition partition, long offset);

    /**
     * Bytes the partitions' records between log start and high watermark hold, counted as
     * {@link dev.pgkafka.domain.log.RecordSizes#payload}; partitions that do not exist are absent.
     * Records below the log start offset that were not removed yet do not count.
     */
    Map<TopicIdPartition, Long> sizes(Collection<TopicIdPartition> partitions);

    /**
     * The smallest offset from which the partition's records (up to the high watermark) hold at
     * most {@code maxBytes}: the log start offset when the partition is small enough already.
     */
    long startForSize(TopicIdPartition partition, long maxBytes);

    /**
     * The offset of the last record below {@code endOffset} (and at or above the log start) that has a
     * timestamp (not Kafka's "no timestamp", -1): retention by time never removes the untimestamped
     * records after it, since nothing tells their age.
     */
    OptionalLong lastTimestamped(TopicIdPartition partition, long endOffset);

    /**
     * Removes up to {@code maxRecords} of the records below the log start offset, oldest first,
     * with what the storage keeps for them (time index entries).
     *
     * @return how many records were removed; 0 when none are left below the log start offset
     */
    int removeBelowLogStart(TopicIdPartition partition, int maxRecords);

    /**
     * Compacts a range of the partition: removes, among the records in
     * {@code [range.from(), range.cleanEnd())} that are not control records, those without a key,
     * those whose key appears again at a higher offset in {@code [range.dirtyFrom(), range.cleanEnd())},
     * and tombstones (null values) below {@code range.tombstonesBelow()}. Offsets do not change.
     *
     * @return how many records were removed
     */
    int compact(TopicIdPartition partition, CompactionRange range);

    /** Where compaction of the partition stands; {@link CleanerCheckpoint#NONE} when it never ran. */
    CleanerCheckpoint checkpoint(TopicIdPartition partition);

    /** Stores where compaction of the partition stands. */
    void saveCheckpoint(TopicIdPartition partition, CleanerCheckpoint checkpoint);

    /**
     * Removes up to {@code maxRecords} records (with their indexes) of topics deleted through
     * {@link TopicStorePort#delete}.
     *
     * @return how many records were removed; 0 when nothing of deleted topics is left
     */
    int purgeDeletedTopics(int maxRecords);

    /**
     * Forgets the idempotent producers that appended nothing to a partition for {@code idleMs} (counted
     * in the storage's own time) and hold no open transaction there, as Kafka does after
     * {@code producer.id.expiration.ms}: their sequence state goes, so a later batch of theirs starts
     * afresh at any sequence.
     *
     * @return how many (producer, partition) entries were removed
     */
    int expireProducers(long idleMs);

    /**
     * Told after each cleaner pass how many records it removed, so that the storage can make their
     * space reusable when enough went (PostgreSQL: a VACUUM of the records table).
     */
    void reclaimSpace(long recordsRemoved);
}
