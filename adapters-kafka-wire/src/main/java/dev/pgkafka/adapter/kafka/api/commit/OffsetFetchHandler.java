package dev.pgkafka.adapter.kafka.api.commit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.FetchedOffset;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * OffsetFetch: one group before v8, several from v8 (KIP-709); topics by name, or by id from v10;
 * all of a group's offsets when the topics are null (v2+). Partitions without a commit answer -1.
 * With {@code require_stable} (v7+), partitions with undecided transactional offsets answer
 * UNSTABLE_OFFSET_COMMIT.
 */
public final class OffsetFetchHandler implements ApiHandler {
    private static final short REQUIRE_STABLE_VERSION = 7;
    private static final short MULTI_GROUP_VERSION = 8;
    /** KIP-848: the member id and epoch of a consumer group member, checked for consumer groups. */
    private static final short MEMBER_EPOCH_VERSION = 9;
    private static final short TOPIC_ID_VERSION = 10;

    private final GroupOffsetsUseCase offsets;
    private final TopicsUseCase topics;

    public OffsetFetchHandler(GroupOffsetsUseCase offsets, TopicsUseCase topics) {
        this.offsets = offsets;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FETCH;
    }

    /** One partition's answer, whatever version it is encoded in. */
    private record Answer(String topicName, UUID topicId, int partition, long offset, int leaderEpoch, String metadata,
                          ErrorCode error) {
    }

    /** The topics a request names: by name or id, each with its partitions. */
    private record Wanted(String name, Uuid id, List<Integer> partitions) {
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        OffsetFetchRequestData request = (OffsetFetchRequestData) message;
        short version = context.apiVersion();
        boolean requireStable = version >= REQUIRE_STABLE_VERSION && request.requireStable();
        if (version < MULTI_GROUP_VERSION) {
            List<Wanted> wanted = null;
            if (request.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : request.topics()) {
                    wanted.add(new Wanted(t.name(), null, t.partitionIndexes()));
                }
            }
            OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0).setErrorCode((short) 0);
            for (Map.Entry<String, List<Answer>> topic : byTopic(fetch(request.groupId(), wanted, false, requireStable))
                    .entrySet()) {
                OffsetFetchResponseData.OffsetFetchResponseTopic t = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                        .setName(topic.getValue().getFirst().topicName());
                for (Answer a : topic.getValue()) {
                    t.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                            .setPartitionIndex(a.partition())
                            .setCommittedOffset(a.offset())
                            .setCommittedLeaderEpoch(a.leaderEpoch())
                            .setMetadata(a.metadata())
                            .setErrorCode(ErrorCodes.code(a.error())));
                }
                response.topics().add(t);
            }
            return Response.of(response);
        }

        boolean byId = version >= TOPIC_ID_VERSION;
        OffsetFetchResponseData response = new OffsetFetchResponseData().setThrottleTimeMs(0);
        for (OffsetFetchRequestData.OffsetFetchRequestGroup g : request.groups()) {
            List<Wanted> wanted = null;
            if (g.topics() != null) {
                wanted = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : g.topics()) {
                    wanted.add(new Wanted(byId ? null : t.name(), byId ? t.topicId() : null, t.partitionIndexes()));
                }
            }
            OffsetFetchResponseData.OffsetFetchResponseGroup group = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                    .setGroupId(g.groupId())
                    .setErrorCode((short) 0);
            if (version >= MEMBER_EPOCH_VERSION) {
                ErrorCode invalid = offsets.validateOffsetFetch(g.groupId(), g.memberId(), g.memberEpoch());
                if (invalid != ErrorCode.NONE) {
                    response.groups().add(group.setErrorCode(ErrorCodes.code(invalid)));
                    continue;
                }
            }
            for (Map.Entry<String, List<Answer>> topic : byTopic(fetch(g.groupId(), wanted, byId, requireStable))
                    .entrySet()) {
                Answer first = topic.getValue().getFirst();
                OffsetFetchResponseData.OffsetFetchResponseTopics t = new OffsetFetchResponseData.OffsetFetchResponseTopics();
                if (byId) {
                    t.setTopicId(Uuids.toKafka(first.topicId()));
                } else {
                    t.setName(first.topicName());
                }
                for (Answer a : topic.getValue()) {
                    t.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                            .setPartitionIndex(a.partition())
                            .setCommittedOffset(a.offset())
                            .setCommittedLeaderEpoch(a.leaderEpoch())
                            .setMetadata(a.metadata())
                            .setErrorCode(ErrorCodes.code(a.error())));
                }
                group.topics().add(t);
            }
            response.groups().add(group);
        }
        return Response.of(response);
    }

    /**
     * The answers for one group: for the wanted topics (unknown ones answer -1, or UNKNOWN_TOPIC_ID
     * when asked by id), or for everything the group committed when {@code wanted} is null.
     */
    private List<Answer> fetch(String groupId, List<Wanted> wanted, boolean byId, boolean requireStable) {
        List<Answer> answers = new ArrayList<>();
        if (wanted == null) {
            for (FetchedOffset f : offsets.fetchOffsets(groupId, null, requireStable)) {
                answers.add(answer(f));
            }
            return answers;
        }
        List<PartitionRef> known = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        for (Wanted w : wanted) {
            Optional<Topic> topic = byId ? topics.find(Uuids.fromKafka(w.id())) : topics.find(w.name());
            for (int partition : w.partitions()) {
                if (topic.isPresent()) {
                    slots.add(answers.size());
                    answers.add(null);
                    known.add(new PartitionRef(topic.get(), partition));
                } else {
                    answers.add(new Answer(w.name(), byId ? Uuids.fromKafka(w.id()) : null, partition, -1, -1, "",
                            byId ? ErrorCode.UNKNOWN_TOPIC_ID : ErrorCode.NONE));
                }
            }
        }
        if (!known.isEmpty()) {
            List<FetchedOffset> fetched = offsets.fetchOffsets(groupId, known, requireStable);
            for (int i = 0; i < fetched.size(); i++) {
                answers.set(slots.get(i), answer(fetched.get(i)));
            }
        }
        return answers;
    }

    private static Answer answer(FetchedOffset f) {
        return new Answer(f.topic().name(), f.topic().id(), f.partition(), f.offset(), f.leaderEpoch(), f.metadata(),
                f.error());
    }

    /** Answers grouped by topic, topics in first-seen order. */
    private static Map<String, List<Answer>> byTopic(List<Answer> answers) {
        Map<String, List<Answer>> grouped = new LinkedHashMap<>();
        for (Answer a : answers) {
            String key = a.topicId() != null ? a.topicId().toString() : a.topicName();
            grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(a);
        }
        return grouped;
    }
}
