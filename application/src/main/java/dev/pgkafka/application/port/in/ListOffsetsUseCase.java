package dev.pgkafka.application.port.in;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.topic.Topic;

/** Find offsets in a partition log by position or by time. */
public interface ListOffsetsUseCase {

    OffsetLookup lookup(Topic topic, int partition, OffsetSpec spec, IsolationLevel isolation);

    /** What offset is asked for. */
    sealed interface OffsetSpec {
        /** The log start offset. */
        record Earliest() implements OffsetSpec {
        }

        /** The high watermark (read_uncommitted) or last stable offset (read_committed). */
        record Latest() implements OffsetSpec {
        }

        /** The record with the largest timestamp. */
        record MaxTimestamp() implements OffsetSpec {
        }

        /** The first record whose timestamp is at least {@code timestamp}. */
        record ByTimestamp(long timestamp) implements OffsetSpec {
        }

        /** Tiered storage offsets, which a broker without tiered storage does not have. */
        record LatestTiered() implements OffsetSpec {
        }
    }

    /** The answer: offset and timestamp are -1 when there is no such record. */
    record OffsetLookup(ErrorCode error, long offset, long timestamp) {
        public static OffsetLookup error(ErrorCode error) {
            return new OffsetLookup(error, -1L, -1L);
        }
    }
}
