package dev.pgkafka.application.service;

import java.util.List;
import java.util.Optional;

import dev.pgkafka.application.port.in.DeleteRecordsUseCase;
import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * DeleteRecords: moves the log start offset at once (consumers can no longer fetch below it, and
 * ListOffsets' earliest answers it), then lets the log cleaner remove the rows below it.
 */
public final class DeleteRecordsService implements DeleteRecordsUseCase {
    private final TopicService topics;
    private final PartitionLogPort log;
    private final LogCleanerPort cleaner;
    private final Runnable afterDelete;

    /** @param afterDelete runs after the log start moved, e.g. to wake the log cleaner */
    public DeleteRecordsService(TopicService topics, PartitionLogPort log, LogCleanerPort cleaner, Runnable afterDelete) {
        this.topics = topics;
        this.log = log;
        this.cleaner = cleaner;
        this.afterDelete = afterDelete;
    }

    @Override
    public DeleteRecordsResult deleteRecords(Topic topic, int partition, long beforeOffset) {
        if (!topic.hasPartition(partition)) {
            return DeleteRecordsResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (!topics.logConfig(topic).delete()) {
            // as Kafka: a log that is not subject to deletion keeps its records
            return DeleteRecordsResult.failed(ErrorCode.POLICY_VIOLATION);
        }
        TopicIdPartition tp = topic.partition(partition);
        PartitionHead head = log.heads(List.of(tp)).get(tp);
        if (head == null) {
            return DeleteRecordsResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        long target = beforeOffset == HIGH_WATERMARK ? head.highWatermark() : beforeOffset;
        if (target < 0 || target > head.highWatermark()) {
            return DeleteRecordsResult.failed(ErrorCode.OFFSET_OUT_OF_RANGE);
        }
        if (target <= head.logStartOffset()) {
            return new DeleteRecordsResult(ErrorCode.NONE, head.logStartOffset());
        }
        Optional<PartitionHead> after = cleaner.advanceLogStart(tp, target);
        if (after.isEmpty()) {
            return DeleteRecordsResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        afterDelete.run();
        return new DeleteRecordsResult(ErrorCode.NONE, after.get().logStartOffset());
    }
}
