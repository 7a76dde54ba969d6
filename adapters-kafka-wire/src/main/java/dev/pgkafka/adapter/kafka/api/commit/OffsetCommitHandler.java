package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetCommit: topics by name (v2-v9) or by id (v10). As Kafka 4's broker before the group
 * coordinator sees the commit: READ on the group (else GROUP_AUTHORIZATION_FAILED on every
 * partition), unknown topic ids answer UNKNOWN_TOPIC_ID, topics without READ
 * TOPIC_AUTHORIZATION_FAILED, unknown topics and partitions UNKNOWN_TOPIC_OR_PARTITION; the rest is
 * validated against the group. Refused partitions come first in the answer, as in Kafka's.
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
    private final AuthHelper auth;

    public OffsetCommitHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics, AuthHelper auth) {
        this.offsets = offsets;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_COMMIT;
    }

    /** A partition to commit, answered once the group has validated it. */
    private record Pending(OffsetCommitRequestData.OffsetCommitRequestTopic topic, int partition) {
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetCommitRequestData request = (OffsetCommitRequestData) message;
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        short version = context.apiVersion();
        boolean byId = version >= TOPIC_ID_VERSION;

        List<Optional<Topic>> resolved = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            Optional<Topic> topic = byId ? topics.find(Uuids.fromKafka(t.topicId())) : topics.find(t.name());
            resolved.add(topic);
            if (!byId || topic.isPresent()) {
                names.add(byId ? topic.get().name() : t.name());
            }
        }
        Set<String> readable = auth.filterByAuthorized(context, AclOperation.READ, ResourceType.TOPIC, names);

        OffsetCommitResponseData response = new OffsetCommitResponseData().setThrottleTimeMs(0);
        List<Pending> pending = new ArrayList<>();
        List<PartitionCommit> commits = new ArrayList<>();
        for (int i = 0; i < request.topics().size(); i++) {
            OffsetCommitRequestData.OffsetCommitRequestTopic t = request.topics().get(i);
            Optional<Topic> topic = resolved.get(i);
            ErrorCode topicError = ErrorCode.NONE;
            if (byId && topic.isEmpty()) {
                topicError = ErrorCode.UNKNOWN_TOPIC_ID;
            } else if (!readable.contains(byId ? topic.get().name() : t.name())) {
                topicError = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            } else if (topic.isEmpty()) {
                topicError = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            }
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                if (topicError != ErrorCode.NONE) {
                    add(response, t, byId, p.partitionIndex(), topicError);
                } else if (!topic.get().hasPartition(p.partitionIndex())) {
                    add(response, t, byId, p.partitionIndex(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
                } else {
                    pending.add(new Pending(t, p.partitionIndex()));
                    commits.add(new PartitionCommit(topic.get(), p.partitionIndex(), p.committedOffset(),
                            version >= LEADER_EPOCH_VERSION ? p.committedLeaderEpoch() : -1, p.committedMetadata()));
                }
            }
        }
        if (!commits.isEmpty()) {
            long retention = version >= RETENTION_FIRST_VERSION && version <= RETENTION_LAST_VERSION
                    ? request.retentionTimeMs() : -1;
            List<ErrorCode> errors = offsets.commitOffsets(new OffsetCommitCommand(request.groupId(), request.memberId(),
                    version >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null,
                    request.generationIdOrMemberEpoch(), retention, commits, version >= GROUP_ID_NOT_FOUND_VERSION));
            for (int i = 0; i < pending.size(); i++) {
                add(response, pending.get(i).topic(), byId, pending.get(i).partition(), errors.get(i));
            }
        }
        return Response.of(response);
    }

    /** Adds a partition's answer to its topic's (the topic first answered by name or id, as asked). */
    private static void add(OffsetCommitResponseData response, OffsetCommitRequestData.OffsetCommitRequestTopic t,
                            boolean byId, int partition, ErrorCode error) {
        OffsetCommitResponseData.OffsetCommitResponseTopic topic = null;
        for (OffsetCommitResponseData.OffsetCommitResponseTopic existing : response.topics()) {
            if (byId ? existing.topicId().equals(t.topicId()) : existing.name().equals(t.name())) {
                topic = existing;
                break;
            }
        }
        if (topic == null) {
            topic = new OffsetCommitResponseData.OffsetCommitResponseTopic();
            if (byId) {
                topic.setTopicId(t.topicId() == null ? Uuid.ZERO_UUID : t.topicId());
            } else {
                topic.setName(t.name());
            }
            response.topics().add(topic);
        }
        topic.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                .setPartitionIndex(partition)
                .setErrorCode(ErrorCodes.code(error)));
    }
}
