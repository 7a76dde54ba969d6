package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetDeleteResult;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetDelete (KIP-496): deletes a group's offsets of topics its members do not consume. A group
 * error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP) answers alone; unknown partitions answer
 * UNKNOWN_TOPIC_OR_PARTITION, subscribed topics GROUP_SUBSCRIBED_TO_TOPIC.
 */
public final class OffsetDeleteHandler implements ApiHandler {
    private final GroupOffsetsUseCase offsets;
    private final TopicsUseCase topics;

    public OffsetDeleteHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics) {
        this.offsets = offsets;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) message;
        OffsetDeleteResponseData response = new OffsetDeleteResponseData().setThrottleTimeMs(0);
        List<OffsetDeleteResponseData.OffsetDeleteResponsePartition> pending = new ArrayList<>();
        List<PartitionRef> refs = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
            Optional<Topic> topic = topics.find(t.name());
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse =
                    new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(t.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                OffsetDeleteResponseData.OffsetDeleteResponsePartition partition =
                        new OffsetDeleteResponseData.OffsetDeleteResponsePartition().setPartitionIndex(p.partitionIndex());
                if (topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                } else {
                    pending.add(partition);
                    refs.add(new PartitionRef(topic.get(), p.partitionIndex()));
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        OffsetDeleteResult result = offsets.deleteOffsets(request.groupId(), refs);
        if (result.error() != ErrorCode.NONE) {
            return Response.of(new OffsetDeleteResponseData().setThrottleTimeMs(0)
                    .setErrorCode(ErrorCodes.code(result.error())));
        }
        for (int i = 0; i < pending.size(); i++) {
            pending.get(i).setErrorCode(ErrorCodes.code(result.partitionErrors().get(i)));
        }
        return Response.of(response.setErrorCode((short) 0));
    }
}
