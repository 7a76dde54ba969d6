package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetFetchResponse;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.FetchedOffset;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetFetch: one group before v8, several from v8 (KIP-709); topics by name, or by id from v10;
 * all of a group's offsets when the topics are null (v2+). Partitions without a commit answer -1.
 * With {@code require_stable} (v7+), partitions with undecided transactional offsets answer
 * UNSTABLE_OFFSET_COMMIT.
 *
 * <p>As Kafka: each group needs DESCRIBE (GROUP_AUTHORIZATION_FAILED for it otherwise); named topics
 * the client may not DESCRIBE answer TOPIC_AUTHORIZATION_FAILED after the others, and a fetch of all
 * offsets leaves them out.
 */
public final class OffsetFetchHandler implements ApiHandler {
    private static final short REQUIRE_STABLE_VERSION = 7;
    private static final short MULTI_GROUP_VERSION = 8;
    /** KIP-848: the member id and epoch of a consumer group member, checked for consumer groups. */
    private static final short MEMBER_EPOCH_VERSION = 9;
    private static final short TOPIC_ID_VERSION = 10;

    private final GroupOffsetsUseCase offsets;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public OffsetFetchHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics, AuthHelper auth) {
        this.offsets = offsets;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        short version = context.apiVersion();
        boolean requireStable = version >= REQUIRE_STABLE_VERSION && request.requireStable();
        List<OffsetFetchResponseGroup> answers = new ArrayList<>();
        for (OffsetFetchRequestGroup group : groups(request, version)) {
            answers.add(fetch(context, group, requireStable));
        }
        // Kafka's builder also writes one group the way versions before 8 carry it
        return Response.of(new OffsetFetchResponse.Builder(answers).build(version).data());
    }

    /** The request's groups; before v8 the one group of the top-level fields. */
    private static List<OffsetFetchRequestGroup> groups(OffsetFetchRequestData request, short version) {
        if (version >= MULTI_GROUP_VERSION) {
            return request.groups();
        }
        List<OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes()));
            }
        }
        return List.of(new OffsetFetchRequestGroup().setGroupId(request.groupId()).setTopics(topics));
    }

    private OffsetFetchResponseGroup fetch(RequestContext context, OffsetFetchRequestGroup group, boolean requireStable) {
        short version = context.apiVersion();
        if (!auth.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
            return OffsetFetchResponse.groupError(group, Errors.GROUP_AUTHORIZATION_FAILED, version);
        }
        if (version >= MEMBER_EPOCH_VERSION) {
            ErrorCode invalid = offsets.validateOffsetFetch(group.groupId(), group.memberId(), group.memberEpoch());
            if (invalid != ErrorCode.NONE) {
                return OffsetFetchResponse.groupError(group, ErrorCodes.toKafka(invalid), version);
            }
        }
        OffsetFetchResponseGroup answer = new OffsetFetchResponseGroup().setGroupId(group.groupId());
        boolean byId = version >= TOPIC_ID_VERSION;
        if (group.topics() == null) {
            answerAll(context, answer, offsets.fetchOffsets(group.groupId(), null, requireStable), byId);
        } else {
            answerNamed(context, answer, group, byId, requireStable);
        }
        return answer;
    }

    /** Every offset the group committed, but only of topics the client may DESCRIBE. */
    private void answerAll(RequestContext context, OffsetFetchResponseGroup answer, List<FetchedOffset> fetched,
                           boolean byId) {
        List<String> names = fetched.stream().map(f -> f.topic().name()).toList();
        // the client named none of these topics: hiding one is no denial worth logging
        Set<String> visible = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, names,
                true, false);
        Map<String, OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
        for (FetchedOffset f : fetched) {
            if (visible.contains(f.topic().name())) {
                byTopic.computeIfAbsent(f.topic().name(), n -> topic(f.topic(), byId)).partitions().add(partition(f));
            }
        }
        answer.topics().addAll(byTopic.values());
    }

    /**
     * The asked topics: known ones as the group has them (topics that do not exist answer -1), then
     * unknown topic ids and topics the client may not DESCRIBE with their errors, as Kafka orders them.
     */
    private void answerNamed(RequestContext context, OffsetFetchResponseGroup answer, OffsetFetchRequestGroup group,
                             boolean byId, boolean requireStable) {
        List<Optional<Topic>> resolved = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (OffsetFetchRequestTopics t : group.topics()) {
            Optional<Topic> topic = byId ? topics.find(Uuids.fromKafka(t.topicId())) : topics.find(t.name());
            resolved.add(topic);
            if (!byId || topic.isPresent()) {
                names.add(byId ? topic.get().name() : t.name());
            }
        }
        Set<String> describable = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, names);

        Map<String, OffsetFetchResponseTopics> known = new LinkedHashMap<>();
        List<OffsetFetchResponseTopics> refused = new ArrayList<>();
        List<PartitionRef> refs = new ArrayList<>();
        for (int i = 0; i < group.topics().size(); i++) {
            OffsetFetchRequestTopics t = group.topics().get(i);
            Optional<Topic> topic = resolved.get(i);
            if (byId && topic.isEmpty()) {
                refused.add(error(t, byId, Errors.UNKNOWN_TOPIC_ID));
            } else if (!describable.contains(byId ? topic.get().name() : t.name())) {
                refused.add(error(t, byId, Errors.TOPIC_AUTHORIZATION_FAILED));
            } else if (topic.isEmpty()) {
                OffsetFetchResponseTopics out = known.computeIfAbsent(t.name(),
                        n -> new OffsetFetchResponseTopics().setName(n));
                for (int partition : t.partitionIndexes()) {
                    out.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(partition)
                            .setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("")
                            .setErrorCode(Errors.NONE.code()));
                }
            } else {
                known.computeIfAbsent(topic.get().name(), n -> topic(topic.get(), byId));
                for (int partition : t.partitionIndexes()) {
                    refs.add(new PartitionRef(topic.get(), partition));
                }
            }
        }
        if (!refs.isEmpty()) {
            for (FetchedOffset f : offsets.fetchOffsets(group.groupId(), refs, requireStable)) {
                known.get(f.topic().name()).partitions().add(partition(f));
            }
        }
        answer.topics().addAll(known.values());
        answer.topics().addAll(refused);
    }

    private static OffsetFetchResponseTopics topic(Topic topic, boolean byId) {
        return byId ? new OffsetFetchResponseTopics().setTopicId(Uuids.toKafka(topic.id()))
                : new OffsetFetchResponseTopics().setName(topic.name());
    }

    private static OffsetFetchResponsePartitions partition(FetchedOffset f) {
        return new OffsetFetchResponsePartitions()
                .setPartitionIndex(f.partition())
                .setCommittedOffset(f.offset())
                .setCommittedLeaderEpoch(f.leaderEpoch())
                .setMetadata(f.metadata())
                .setErrorCode(ErrorCodes.code(f.error()));
    }

    /** Kafka's answer for a topic it does not ask the group about: -1 with the error on every partition. */
    private static OffsetFetchResponseTopics error(OffsetFetchRequestTopics t, boolean byId, Errors error) {
        OffsetFetchResponseTopics out = byId ? new OffsetFetchResponseTopics().setTopicId(t.topicId())
                : new OffsetFetchResponseTopics().setName(t.name());
        for (int partition : t.partitionIndexes()) {
            out.partitions().add(new OffsetFetchResponsePartitions()
                    .setPartitionIndex(partition)
                    .setCommittedOffset(-1)
                    .setErrorCode(error.code()));
        }
        return out;
    }
}
