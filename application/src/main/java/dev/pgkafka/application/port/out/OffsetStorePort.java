package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * The offsets consumer groups commit, keyed by group, topic and partition. The coordinator has
 * already validated a commit (group generation, member, existing partition) when it calls
 * {@link #commit}: the port stores, it does not judge. Committing to a partition that does not exist
 * may fail with {@link StorageException}.
 */
public interface OffsetStorePort {

    /** Stores the offsets (replacing earlier commits of the same partitions), all or nothing. */
    void commit(String groupId, Map<TopicIdPartition, CommittedOffset> offsets);

    /** The group's offsets for the given partitions; partitions without one are absent. */
    Map<TopicIdPartition, CommittedOffset> fetch(String groupId, Collection<TopicIdPartition> partitions);

    /** Every offset the group has committed. */
    Map<TopicIdPartition, CommittedOffset> fetchAll(String groupId);

    /** Deletes the group's offsets of these partitions; partitions without one are ignored. */
    void delete(String groupId, Collection<TopicIdPartition> partitions);

    /** The groups that have at least one committed offset. */
    Set<String> groupsWithOffsets();

    /** Deletes every group's offsets of a topic, e.g. when the topic is deleted. */
    void deleteTopic(UUID topicId);

    /**
     * Partitions for which the group has transactional offsets committed but not yet decided
     * (TxnOffsetCommit of an open transaction). OffsetFetch with {@code require_stable} answers
     * UNSTABLE_OFFSET_COMMIT for them. Adapters without transactions return an empty set.
     */
    Set<TopicIdPartition> pendingTransactionalOffsets(String groupId);

    /**
     * Stores offsets committed in the producer's open transaction (TxnOffsetCommit), replacing its
     * earlier ones of the same partitions. They become the group's offsets when the transaction
     * commits ({@link AppendTransaction#finishTransactionalOffsets}).
     */
    void commitPending(String groupId, long producerId, Map<TopicIdPartition, CommittedOffset> offsets);
}
