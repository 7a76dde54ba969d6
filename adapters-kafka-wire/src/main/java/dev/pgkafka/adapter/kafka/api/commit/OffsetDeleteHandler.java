package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetDeleteResult;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetDelete (KIP-496): deletes a group's offsets of topics its members do not consume. A group
 * error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP) answers alone; unknown partitions answer
 * UNKNOWN_TOPIC_OR_PARTITION, subscribed topics GROUP_SUBSCRIBED_TO_TOPIC.
 *
 * <p>As Kafka: DELETE on the group (GROUP_AUTHORIZATION_FAILED for the request otherwise), READ on each
 * topic (TOPIC_AUTHORIZATION_FAILED, before telling whether it exists); refused partitions come first.
 */
public final class OffsetDeleteHandler implements ApiHandler {
    private final GroupOffsetsUseCase offsets;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public OffsetDeleteHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics, AuthHelper auth) {
        this.offsets = offsets;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_DELETE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetDeleteRequestData request = (OffsetDeleteRequestData) message;
        if (!auth.authorize(context, AclOperation.DELETE, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Set<String> readable = auth.filterByAuthorized(context, AclOperation.READ, ResourceType.TOPIC,
                request.topics().stream().map(OffsetDeleteRequestData.OffsetDeleteRequestTopic::name).toList());
        OffsetDeleteResponseData response = new OffsetDeleteResponseData().setThrottleTimeMs(0);
        List<String> pendingTopics = new ArrayList<>();
        List<Integer> pendingPartitions = new ArrayList<>();
        List<PartitionRef> refs = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : request.topics()) {
            boolean allowed = readable.contains(t.name());
            Optional<Topic> topic = allowed ? topics.find(t.name()) : Optional.empty();
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                if (!allowed) {
                    add(response, t.name(), p.partitionIndex(), ErrorCode.TOPIC_AUTHORIZATION_FAILED);
                } else if (topic.isEmpty() || !topic.get().hasPartition(p.partitionIndex())) {
                    add(response, t.name(), p.partitionIndex(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    pendingTopics.add(t.name());
                    pendingPartitions.add(p.partitionIndex());
                    refs.add(new PartitionRef(topic.get(), p.partitionIndex()));
                }
            }
        }
        OffsetDeleteResult result = offsets.deleteOffsets(request.groupId(), refs);
        if (result.error() != ErrorCode.NONE) {
            return Response.of(new OffsetDeleteResponseData().setThrottleTimeMs(0)
                    .setErrorCode(ErrorCodes.code(result.error())));
        }
        for (int i = 0; i < pendingTopics.size(); i++) {
            add(response, pendingTopics.get(i), pendingPartitions.get(i), result.partitionErrors().get(i));
        }
        return Response.of(response.setErrorCode((short) 0));
    }

    private static void add(OffsetDeleteResponseData response, String topic, int partition, ErrorCode error) {
        OffsetDeleteResponseData.OffsetDeleteResponseTopic out = response.topics().find(topic);
        if (out == null) {
            out = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(topic);
            response.topics().add(out);
        }
        if (out.partitions().find(partition) == null) {
            out.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                    .setPartitionIndex(partition)
                    .setErrorCode(ErrorCodes.code(error)));
        }
    }
}
