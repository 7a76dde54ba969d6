package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetCommit: topics by name (v2-v9) or by id (v10). Partitions of unknown topics answer
 * UNKNOWN_TOPIC_OR_PARTITION (UNKNOWN_TOPIC_ID by id), as Kafka 4's broker does before the group
 * coordinator sees the commit; the rest is validated against the group.
 */
public final class OffsetCommitHandler implements ApiHandler {
    private static final short RETENTION_FIRST_VERSION = 2;
    private static final short RETENTION_LAST_VERSION = 4;
    private static final short LEADER_EPOCH_VERSION = 6;
    private static final short STATIC_MEMBERSHIP_VERSION = 7;
    private static final short GROUP_ID_NOT_FOUND_VERSION = 9;
    private static final short TOPIC_ID_VERSION = 10;

    private final GroupOffsetsUseCase offsets;
    private final TopicsUseCase topics;

    public OffsetCommitHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics) {
        this.offsets = offsets;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        short version = context.apiVersion();
        boolean byId = version >= TOPIC_ID_VERSION;

        OffsetCommitResponseData response = new OffsetCommitResponseData().setThrottleTimeMs(0);
        List<OffsetCommitResponseData.OffsetCommitResponsePartition> pending = new ArrayList<>();
        List<PartitionCommit> commits = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            Optional<Topic> topic = byId ? topics.find(Uuids.fromKafka(t.topicId())) : topics.find(t.name());
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse =
                    new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (byId) {
                topicResponse.setTopicId(t.topicId());
            } else {
                topicResponse.setName(t.name());
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                OffsetCommitResponseData.OffsetCommitResponsePartition partition =
                        new OffsetCommitResponseData.OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex());
                if (topic.isEmpty()) {
                    partition.setErrorCode(ErrorCodes.code(byId ? ErrorCode.UNKNOWN_TOPIC_ID
                            : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                } else if (!topic.get().hasPartition(p.partitionIndex())) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
                } else {
                    pending.add(partition);
                    commits.add(new PartitionCommit(topic.get(), p.partitionIndex(), p.committedOffset(),
                            version >= LEADER_EPOCH_VERSION ? p.committedLeaderEpoch() : -1, p.committedMetadata()));
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        if (!commits.isEmpty()) {
            long retention = version >= RETENTION_FIRST_VERSION && version <= RETENTION_LAST_VERSION
                    ? request.retentionTimeMs() : -1;
            List<ErrorCode> errors = offsets.commitOffsets(new OffsetCommitCommand(request.groupId(), request.memberId(),
                    version >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null,
                    request.generationIdOrMemberEpoch(), retention, commits, version >= GROUP_ID_NOT_FOUND_VERSION));
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).setErrorCode(ErrorCodes.code(errors.get(i)));
            }
        }
        return Response.of(response);
    }
}
