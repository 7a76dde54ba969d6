package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase.GroupOverview;
import dev.pgkafka.application.port.in.GroupsUseCase.PartitionOffset;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.security.acl.ResourceType;
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
 *
 * <p>Only groups the principal may DESCRIBE are listed; a named one it may not is 403
 * GROUP_AUTHORIZATION_FAILED (whether it exists or not). Inside a group, topics the principal may not
 * DESCRIBE are left out everywhere (offsets, lag, members' partitions and subscriptions), as Kafka's
 * OffsetFetch leaves out the partitions of such topics.
 */
final class GroupsResource implements HttpService {
    private final GroupsUseCase groups;
    private final TopicsUseCase topics;
    private final AuthorizationUseCase authorization;

    GroupsResource(GroupsUseCase groups, TopicsUseCase topics, AuthorizationUseCase authorization) {
        this.groups = groups;
        this.topics = topics;
        this.authorization = authorization;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{groupId}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Visibility visibility = Visibility.of(req, authorization);
        List<GroupOverview> visible = visibility.describable(ResourceType.GROUP, groups.overview(),
                GroupOverview::groupId);
        visibility.decideTopics(visible.stream().flatMap(g -> g.offsets().stream()).map(PartitionOffset::topic).toList());
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        visible.forEach(g -> array.add(toJson(g, topics, visibility)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String groupId = req.path().pathParameters().get("groupId");
        Visibility visibility = Visibility.of(req, authorization);
        // asked before looking the group up, so the answer is the same for groups that do not exist
        if (!visibility.mayDescribe(ResourceType.GROUP, groupId)) {
            JsonResponses.send(res, Status.FORBIDDEN_403, "GROUP_AUTHORIZATION_FAILED",
                    "Not authorized to access group: " + groupId);
            return;
        }
        Optional<GroupOverview> found = groups.groupType(groupId).isEmpty() ? Optional.empty()
                : groups.overview().stream().filter(g -> g.groupId().equals(groupId)).findFirst();
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "GROUP_ID_NOT_FOUND", "Group '" + groupId + "' does not exist");
            return;
        }
        GroupOverview group = found.get();
        visibility.decideTopics(group.offsets().stream().map(PartitionOffset::topic).toList());
        res.send(toJson(group, topics, visibility));
    }

    private static JsonObject toJson(GroupOverview overview, TopicsUseCase topics, Visibility visibility) {
        List<PartitionOffset> offsets = overview.offsets().stream()
                .filter(p -> visibility.mayDescribeTopic(p.topic())).toList();
        if (overview.consumerGroup() != null) {
            return consumerGroupJson(overview.consumerGroup(), overview.type(), offsets, topics, visibility);
        }
        GroupDescription g = overview.group();
        Map<String, List<String>> owned = new LinkedHashMap<>();
        for (PartitionOffset p : offsets) {
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
                .add("offsets", offsetsJson(offsets))
                .add("totalLag", totalLag(offsets))
                .build();
    }

    /** The committed offset, log end and lag of each partition the group has offsets for. */
    private static JsonArrayBuilder offsetsJson(List<PartitionOffset> partitions) {
        JsonArrayBuilder offsets = JsonResponses.JSON.createArrayBuilder();
        for (PartitionOffset p : partitions) {
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

    private static long totalLag(List<PartitionOffset> offsets) {
        return offsets.stream().mapToLong(PartitionOffset::lag).sum();
    }

    /** A consumer group (KIP-848): epochs, assignor, members with their current and target partitions. */
    private static JsonObject consumerGroupJson(ConsumerGroupDescription g, String type, List<PartitionOffset> offsets,
                                                TopicsUseCase topics, Visibility visibility) {
        JsonArrayBuilder members = JsonResponses.JSON.createArrayBuilder();
        for (ConsumerGroupDescription.Member described : g.members()) {
            ConsumerGroupMember m = described.member();
            JsonObjectBuilder member = JsonResponses.JSON.createObjectBuilder()
                    .add("memberId", m.memberId())
                    .add("clientId", m.clientId())
                    .add("clientHost", m.clientHost())
                    .add("memberEpoch", m.memberEpoch())
                    .add("state", m.state().name())
                    .add("subscribedTopicNames", JsonResponses.JSON.createArrayBuilder(m.subscribedTopicNames().stream()
                            .filter(visibility::mayDescribeTopic).toList()))
                    .add("partitions", partitions(m.assignedPartitions(), topics, visibility))
                    .add("partitionsPendingRevocation", partitions(m.partitionsPendingRevocation(), topics, visibility))
                    .add("targetPartitions", partitions(described.targetAssignment(), topics, visibility));
            nullable(member, "groupInstanceId", m.instanceId());
            nullable(member, "subscribedTopicRegex", m.subscribedTopicRegex());
            nullable(member, "rackId", m.rackId());
            members.add(member);
        }
        return JsonResponses.JSON.createObjectBuilder()
                .add("groupId", g.groupId())
                .add("type", type)
                .add("state", g.state().kafkaName())
                .add("groupEpoch", g.groupEpoch())
                .add("assignmentEpoch", g.assignmentEpoch())
                .add("assignor", g.assignorName())
                .add("members", members)
                .add("offsets", offsetsJson(offsets))
                .add("totalLag", totalLag(offsets))
                .build();
    }

    /**
     * {@code topic-partition} names of the topics the principal may describe (a topic deleted meanwhile
     * shows its id, and is decided under that name).
     */
    private static JsonArrayBuilder partitions(Map<UUID, Set<Integer>> partitions, TopicsUseCase topics,
                                               Visibility visibility) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        partitions.forEach((topicId, set) -> {
            String name = topics.find(topicId).map(Topic::name).orElse(topicId.toString());
            if (visibility.mayDescribeTopic(name)) {
                set.forEach(p -> array.add(name + "-" + p));
            }
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
