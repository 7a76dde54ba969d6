package dev.pgkafka.application.service;

import java.util.List;

import dev.pgkafka.application.port.in.ListOffsetsUseCase;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/** Offsets by position (earliest, latest) and by time (max timestamp, first at or after a timestamp). */
public final class ListOffsetsService implements ListOffsetsUseCase {
    private final PartitionLogPort log;

    public ListOffsetsService(PartitionLogPort log) {
        this.log = log;
    }

    @Override
    public OffsetLookup lookup(Topic topic, int partition, OffsetSpec spec, IsolationLevel isolation) {
        if (!topic.hasPartition(partition)) {
            return OffsetLookup.error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        TopicIdPartition tp = topic.partition(partition);
        PartitionHead head = log.heads(List.of(tp)).get(tp);
        if (head == null) {
            return OffsetLookup.error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        long end = head.readableEnd(isolation);
        return switch (spec) {
            case OffsetSpec.Earliest e -> new OffsetLookup(ErrorCode.NONE, head.logStartOffset(), -1L);
            case OffsetSpec.Latest l -> new OffsetLookup(ErrorCode.NONE, end, -1L);
            case OffsetSpec.LatestTiered t -> new OffsetLookup(ErrorCode.NONE, -1L, -1L);
            case OffsetSpec.MaxTimestamp m -> log.maxTimestamp(tp, end)
                    .map(o -> new OffsetLookup(ErrorCode.NONE, o.offset(), o.timestamp()))
                    .orElse(new OffsetLookup(ErrorCode.NONE, -1L, -1L));
            case OffsetSpec.ByTimestamp b -> log.firstAtOrAfter(tp, b.timestamp(), end)
                    .map(o -> new OffsetLookup(ErrorCode.NONE, o.offset(), o.timestamp()))
                    .orElse(new OffsetLookup(ErrorCode.NONE, -1L, -1L));
        };
    }
}
