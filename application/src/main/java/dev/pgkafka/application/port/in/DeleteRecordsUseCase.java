package dev.pgkafka.application.port.in;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/** Delete a partition's records below an offset, as Kafka's DeleteRecords does. */
public interface DeleteRecordsUseCase {

    /** Offset meaning "everything up to the high watermark". */
    long HIGH_WATERMARK = -1L;

    /**
     * Advances the partition's log start offset to {@code beforeOffset} ({@link #HIGH_WATERMARK} for
     * the high watermark); consumers can no longer fetch below it, and the records there are removed.
     */
    DeleteRecordsResult deleteRecords(Topic topic, int partition, long beforeOffset);

    /** @param lowWatermark the log start offset afterwards, -1 on error */
    record DeleteRecordsResult(ErrorCode error, long lowWatermark) {
        public static DeleteRecordsResult failed(ErrorCode error) {
            return new DeleteRecordsResult(error, -1L);
        }
    }
}
