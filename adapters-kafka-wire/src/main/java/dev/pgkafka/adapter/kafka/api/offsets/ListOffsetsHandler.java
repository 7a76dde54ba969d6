package dev.pgkafka.adapter.kafka.api.offsets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ListOffsetsUseCase;
import dev.pgkafka.application.port.in.ListOffsetsUseCase.OffsetLookup;
import dev.pgkafka.application.port.in.ListOffsetsUseCase.OffsetSpec;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * ListOffsets: Kafka's special timestamps (-1 latest, -2 earliest, -3 max timestamp, -4 earliest
 * local, -5 latest tiered) and lookups by timestamp. Topics the client may not DESCRIBE answer
 * TOPIC_AUTHORIZATION_FAILED (after the others, as Kafka), whether or not they exist.
 */
public final class ListOffsetsHandler implements ApiHandler {
    static final long LATEST = -1L;
    static final long EARLIEST = -2L;
    static final long MAX_TIMESTAMP = -3L;
    static final long EARLIEST_LOCAL = -4L;
    static final long LATEST_TIERED = -5L;
    static final long EARLIEST_PENDING_UPLOAD = -6L;
    /** The response carries the leader epoch from v4 (KIP-320). */
    private static final short LEADER_EPOCH_VERSION = 4;

    private final ListOffsetsUseCase offsets;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public ListOffsetsHandler(ListOffsetsUseCase offsets, TopicsUseCase topics, AuthHelper auth) {
        this.offsets = offsets;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ListOffsetsRequestData request = (ListOffsetsRequestData) message;
        IsolationLevel isolation = request.isolationLevel() == 1 ? IsolationLevel.READ_COMMITTED
                : IsolationLevel.READ_UNCOMMITTED;
        ListOffsetsResponseData response = new ListOffsetsResponseData().setThrottleTimeMs(0);
        Set<String> describable = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                request.topics().stream().map(ListOffsetsRequestData.ListOffsetsTopic::name).toList());
        List<ListOffsetsResponseData.ListOffsetsTopicResponse> refused = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic t : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(t.name());
            if (!describable.contains(t.name())) {
                for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                    topicResponse.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                            .setPartitionIndex(p.partitionIndex())
                            .setErrorCode(ErrorCodes.code(ErrorCode.TOPIC_AUTHORIZATION_FAILED))
                            .setTimestamp(-1L)
                            .setOffset(-1L));
                }
                refused.add(topicResponse);
                continue;
            }
            Optional<Topic> topic = topics.find(t.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : t.partitions()) {
                OffsetLookup lookup = topic.isEmpty()
                        ? OffsetLookup.error(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
                        : offsets.lookup(topic.get(), p.partitionIndex(), spec(p.timestamp()), isolation);
                ListOffsetsResponseData.ListOffsetsPartitionResponse partition =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(ErrorCodes.code(lookup.error()))
                                .setOffset(lookup.offset())
                                .setTimestamp(lookup.timestamp());
                if (context.apiVersion() >= LEADER_EPOCH_VERSION && lookup.error() == ErrorCode.NONE && lookup.offset() >= 0) {
                    partition.setLeaderEpoch(0); // our only leader epoch
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        response.topics().addAll(refused);
        return Response.of(response);
    }

    static OffsetSpec spec(long timestamp) {
        if (timestamp == LATEST) {
            return new OffsetSpec.Latest();
        }
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            // without tiered storage the local log is the whole log
            return new OffsetSpec.Earliest();
        }
        if (timestamp == MAX_TIMESTAMP) {
            return new OffsetSpec.MaxTimestamp();
        }
        if (timestamp == LATEST_TIERED || timestamp == EARLIEST_PENDING_UPLOAD) {
            return new OffsetSpec.LatestTiered();
        }
        return new OffsetSpec.ByTimestamp(timestamp);
    }
}
