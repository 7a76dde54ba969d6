package dev.pgkafka.domain.group;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * An offset a group committed for one partition.
 *
 * @param leaderEpoch     the leader epoch the consumer saw, or -1 (Kafka's "none")
 * @param metadata        the client's metadata string; "" when it sent none
 * @param commitTimestamp when the broker stored it, in epoch milliseconds
 * @param expireTimestamp when it expires regardless of the group (OffsetCommit v2-v4 retention time), if set
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp,
                              OptionalLong expireTimestamp) {
    /** Kafka's {@code offset.metadata.max.bytes} default: longer metadata is refused. */
    public static final int MAX_METADATA_LENGTH = 4096;

    public CommittedOffset {
        metadata = metadata == null ? "" : metadata;
        Objects.requireNonNull(expireTimestamp, "expire timestamp");
    }

    /** Whether Kafka refuses this metadata string (OFFSET_METADATA_TOO_LARGE). */
    public static boolean metadataTooLarge(String metadata, int maxLength) {
        return metadata != null && metadata.length() > maxLength;
    }
}
