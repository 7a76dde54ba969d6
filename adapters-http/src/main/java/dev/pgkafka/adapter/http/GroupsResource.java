package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase.GroupOverview;
import dev.pgkafka.application.port.in.GroupsUseCase.PartitionOffset;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.topic.Topic;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Consumer groups for operators, classic and consumer (KIP-848) ones ({@code type}): state, protocol or
 * epochs and assignor, members with the partitions they own (and, for consumer groups, their target
 * partitions), and per partition the committed offset, the log end offset and the lag.
 */
final class GroupsResource implements HttpService {
    private final GroupsUseCase groups;
    private final TopicsUseCase topics;

    GroupsResource(GroupsUseCase groups, TopicsUseCase topics) {
        this.groups = groups;
        this.topics = topics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{groupId}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        groups.overview().forEach(g -> array.add(toJson(g, topics)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String groupId = req.path().pathParameters().get("groupId");
        Optional<GroupOverview> found = groups.groupType(groupId).isEmpty() ? Optional.empty()
                : groups.overview().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "GROUP_ID_NOT_FOUND", "Group '" + groupId + "' does not exist");
            return;
        }
        res.send(toJson(found.get(), topics));
    }

    static JsonObject toJson(GroupOverview overview, TopicsUseCase topics) {
        if (overview.consumerGroup() != null) {
            return consumerGroupJson(overview, topics);
        }
        GroupDescription g = overview.group();
        Map<String, List<String>> owned = new LinkedHashMap<>();
        for (PartitionOffset p : overview.offsets()) {
            if (p.owner() != null) {
                owned.computeIfAbsent(p.owner(), k -> new ArrayList<>()).add(p.topic() + "-" + p.partition());
            }
        }
        JsonArrayBuilder members = JsonResponses.JSON.createArrayBuilder();
        for (GroupDescription.Member m : g.members()) {
            JsonObjectBuilder member = JsonResponses.JSON.createObjectBuilder()
                    .add("memberId", m.memberId())
                    .add("clientId", m.clientId())
                    .add("clientHost", m.clientHost());
            if (m.groupInstanceId() != null) {
                member.add("groupInstanceId", m.groupInstanceId());
            } else {
                member.addNull("groupInstanceId");
            }
            JsonArrayBuilder partitions = JsonResponses.JSON.createArrayBuilder();
            owned.getOrDefault(m.memberId(), List.of()).forEach(partitions::add);
            members.add(member.add("partitions", partitions));
        }
        return JsonResponses.JSON.createObjectBuilder()
                .add("groupId", g.groupId())
                .add("type", overview.type())
                .add("state", g.state().kafkaName())
                .add("protocolType", g.protocolType())
                .add("protocol", g.protocolData())
                .add("generation", g.generationId())
                .add("members", members)
                .add("offsets", offsetsJson(overview))
                .add("totalLag", totalLag(overview))
                .build();
    }

    /** The committed offset, log end and lag of each partition the group has offsets for. */
    private static JsonArrayBuilder offsetsJson(GroupOverview overview) {
        JsonArrayBuilder offsets = JsonResponses.JSON.createArrayBuilder();
        for (PartitionOffset p : overview.offsets()) {
            JsonObjectBuilder o = JsonResponses.JSON.createObjectBuilder()
                    .add("topic", p.topic())
                    .add("partition", p.partition())
                    .add("committedOffset", p.committedOffset())
                    .add("logEndOffset", p.logEndOffset())
                    .add("lag", p.lag())
                    .add("metadata", p.metadata());
            if (p.owner() != null) {
                o.add("owner", p.owner());
            } else {
                o.addNull("owner");
            }
            offsets.add(o);
        }
        return offsets;
    }

    private static long totalLag(GroupOverview overview) {
        return overview.offsets().stream().mapToLong(PartitionOffset::lag).sum();
    }

    /** A consumer group (KIP-848): epochs, assignor, members with their current and target partitions. */
    private static JsonObject consumerGroupJson(GroupOverview overview, TopicsUseCase topics) {
        ConsumerGroupDescription g = overview.consumerGroup();
        JsonArrayBuilder members = JsonResponses.JSON.createArrayBuilder();
        for (ConsumerGroupDescription.Member described : g.members()) {
            ConsumerGroupMember m = described.member();
            JsonObjectBuilder member = JsonResponses.JSON.createObjectBuilder()
                    .add("memberId", m.memberId())
                    .add("clientId", m.clientId())
                    .add("clientHost", m.clientHost())
                    .add("memberEpoch", m.memberEpoch())
                    .add("state", m.state().name())
                    .add("subscribedTopicNames", JsonResponses.JSON.createArrayBuilder(m.subscribedTopicNames()))
                    .add("partitions", partitions(m.assignedPartitions(), topics))
                    .add("partitionsPendingRevocation", partitions(m.partitionsPendingRevocation(), topics))
                    .add("targetPartitions", partitions(described.targetAssignment(), topics));
            nullable(member, "groupInstanceId", m.instanceId());
            nullable(member, "subscribedTopicRegex", m.subscribedTopicRegex());
            nullable(member, "rackId", m.rackId());
            members.add(member);
        }
        return JsonResponses.JSON.createObjectBuilder()
                .add("groupId", g.groupId())
                .add("type", overview.type())
                .add("state", g.state().kafkaName())
                .add("groupEpoch", g.groupEpoch())
                .add("assignmentEpoch", g.assignmentEpoch())
                .add("assignor", g.assignorName())
                .add("members", members)
                .add("offsets", offsetsJson(overview))
                .add("totalLag", totalLag(overview))
                .build();
    }

    /** {@code topic-partition} names (a topic deleted meanwhile shows its id). */
    private static JsonArrayBuilder partitions(Map<UUID, Set<Integer>> partitions, TopicsUseCase topics) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        partitions.forEach((topicId, set) -> {
            String name = topics.find(topicId).map(Topic::name).orElse(topicId.toString());
            set.forEach(p -> array.add(name + "-" + p));
        });
        return array;
    }

    private static void nullable(JsonObjectBuilder o, String name, String value) {
        if (value != null) {
            o.add(name, value);
        } else {
            o.addNull(name);
        }
    }
}
