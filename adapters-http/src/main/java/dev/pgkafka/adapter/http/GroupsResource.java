package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase.GroupOverview;
import dev.pgkafka.application.port.in.GroupsUseCase.PartitionOffset;
import dev.pgkafka.domain.group.GroupDescription;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Consumer groups for operators: state, protocol, members with the partitions they own, and per
 * partition the committed offset, the log end offset and the lag.
 */
final class GroupsResource implements HttpService {
    private final GroupsUseCase groups;

    GroupsResource(GroupsUseCase groups) {
        this.groups = groups;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{groupId}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        groups.overview().forEach(g -> array.add(toJson(g)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String groupId = req.path().pathParameters().get("groupId");
        Optional<GroupOverview> found = groups.describeGroup(groupId).isEmpty() ? Optional.empty()
                : groups.overview().stream().filter(g -> g.group().groupId().equals(groupId)).findFirst();
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "GROUP_ID_NOT_FOUND", "Group '" + groupId + "' does not exist");
            return;
        }
        res.send(toJson(found.get()));
    }

    static JsonObject toJson(GroupOverview overview) {
        GroupDescription g = overview.group();
        Map<String, List<String>> owned = new LinkedHashMap<>();
        JsonArrayBuilder offsets = JsonResponses.JSON.createArrayBuilder();
        long totalLag = 0;
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
                owned.computeIfAbsent(p.owner(), k -> new ArrayList<>()).add(p.topic() + "-" + p.partition());
            } else {
                o.addNull("owner");
            }
            offsets.add(o);
            totalLag += p.lag();
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
                .add("state", g.state().kafkaName())
                .add("protocolType", g.protocolType())
                .add("protocol", g.protocolData())
                .add("generation", g.generationId())
                .add("members", members)
                .add("offsets", offsets)
                .add("totalLag", totalLag)
                .build();
    }
}
