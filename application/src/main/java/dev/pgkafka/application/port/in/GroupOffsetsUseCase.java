package dev.pgkafka.application.port.in;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/** Commit, read and delete the offsets of consumer groups. Topics are resolved by the caller. */
public interface GroupOffsetsUseCase {

    /** One error per partition of the command, in its order. */
    List<ErrorCode> commitOffsets(OffsetCommitCommand command);

    /**
     * TxnOffsetCommit of a transactional producer: validated like {@link #commitOffsets}, kept pending
     * until the producer's transaction commits (then they are the group's offsets) or aborts.
     */
    List<ErrorCode> commitTransactionalOffsets(OffsetCommitCommand command, long producerId);

    /**
     * The committed offsets of the given partitions, in their order (-1 where there is none), or of
     * every partition the group committed for when {@code partitions} is null.
     *
     * @param requireStable answer UNSTABLE_OFFSET_COMMIT for partitions with undecided transactional offsets
     */
    List<FetchedOffset> fetchOffsets(String groupId, List<PartitionRef> partitions, boolean requireStable);

    /**
     * OffsetFetch v9+ names the member and its epoch: consumer groups (KIP-848) answer UNKNOWN_MEMBER_ID or
     * STALE_MEMBER_EPOCH for a member they do not know at that epoch; NONE otherwise.
     */
    default ErrorCode validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        return ErrorCode.NONE;
    }

    /** OffsetDelete: a group-level error, or one error per partition in order. */
    OffsetDeleteResult deleteOffsets(String groupId, List<PartitionRef> partitions);

    record PartitionRef(Topic topic, int partition) {
    }

    /**
     * @param generationId       -1 for consumers that commit without membership
     * @param retentionTimeMs    OffsetCommit v2-v4 retention, -1 for the broker's
     * @param unknownGroupIsNotFound v9+: an unknown group with a generation answers GROUP_ID_NOT_FOUND
     *                           (before: ILLEGAL_GENERATION)
     */
    record OffsetCommitCommand(String groupId, String memberId, String groupInstanceId, int generationId,
                               long retentionTimeMs, List<PartitionCommit> partitions, boolean unknownGroupIsNotFound) {
        public OffsetCommitCommand {
            memberId = memberId == null ? "" : memberId;
            partitions = List.copyOf(partitions);
        }
    }

    record PartitionCommit(Topic topic, int partition, long offset, int leaderEpoch, String metadata) {
    }

    /** @param offset -1 when nothing is committed; metadata "" then */
    record FetchedOffset(Topic topic, int partition, long offset, int leaderEpoch, String metadata, ErrorCode error) {
    }

    record OffsetDeleteResult(ErrorCode error, List<ErrorCode> partitionErrors) {
        public OffsetDeleteResult {
            partitionErrors = List.copyOf(partitionErrors);
        }
    }
}
