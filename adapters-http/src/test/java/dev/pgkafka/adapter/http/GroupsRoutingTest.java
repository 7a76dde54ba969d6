package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.MemberState;
import dev.pgkafka.domain.topic.Topic;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** GET /api/v1/groups: groups with members, the partitions they own, committed offsets and lag. */
@ServerTest
class GroupsRoutingTest {
    private static final GroupDescription BILLING = new GroupDescription("billing", GroupState.STABLE, "consumer", "range",
            4, List.of(new GroupDescription.Member("m-1", "instance-a", "app", "/10.0.0.7", new byte[0], new byte[0]),
                    new GroupDescription.Member("m-2", null, "app", "/10.0.0.8", new byte[0], new byte[0])));

    private static final UUID PAYMENTS_IN = new UUID(3, 4);
    private static final ConsumerGroupDescription PAYMENTS = new ConsumerGroupDescription("payments",
            ConsumerGroupState.RECONCILING, 5, 5, "uniform", List.of(new ConsumerGroupDescription.Member(
                    new ConsumerGroupMember("c-1", null, "rack-1", "app", "/10.0.0.9", List.of("payments-in"), null,
                            "uniform", 30_000, 4, 3, MemberState.UNREVOKED_PARTITIONS, Map.of(PAYMENTS_IN, Set.of(0)),
                            Map.of(PAYMENTS_IN, Set.of(1))),
                    Map.of(PAYMENTS_IN, Set.of(0)))));

    private static final GroupsUseCase GROUPS = new GroupsUseCase() {
        @Override
        public Optional<GroupDescription> describeGroup(String groupId) {
            return groupId.equals("billing") ? Optional.of(BILLING) : Optional.empty();
        }

        @Override
        public Optional<String> groupType(String groupId) {
            return switch (groupId) {
                case "billing" -> Optional.of(CLASSIC);
                case "payments" -> Optional.of(CONSUMER);
                default -> Optional.empty();
            };
        }

        @Override
        public List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter) {
            return List.of();
        }

        @Override
        public ErrorCode deleteGroup(String groupId) {
            return ErrorCode.NONE;
        }

        @Override
        public List<GroupOverview> overview() {
            return List.of(new GroupOverview(BILLING, List.of(
                    new PartitionOffset("orders", 0, 40, 42, 2, "", "m-1"),
                    new PartitionOffset("orders", 1, -1, 5, 5, "", "m-2"),
                    new PartitionOffset("old", 0, 7, 7, 0, "x", null))),
                    new GroupOverview(null, List.of(new PartitionOffset("payments-in", 0, 3, 10, 7, "", "c-1")), PAYMENTS));
        }
    };

    private final Http1Client client;

    GroupsRoutingTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        Fakes.FakeTopics topics = new Fakes.FakeTopics();
        topics.descriptions = List.of(new TopicsUseCase.TopicDescription(new Topic(PAYMENTS_IN, "payments-in", 2, Map.of()),
                List.of()));
        HttpAdminServer.routing(routing, new Fakes.FakeHealth(), topics,
                new Fakes.FakeCluster("c", 1), GROUPS);
    }

    @Test
    void listsGroupsWithMembersOffsetsAndLag() {
        JsonArray groups = (JsonArray) get("/api/v1/groups", Status.OK_200);
        assertEquals(2, groups.size());
        JsonObject billing = groups.getJsonObject(0);
        assertEquals("billing", billing.getString("groupId"));
        assertEquals("classic", billing.getString("type"));
        assertEquals("Stable", billing.getString("state"));
        assertEquals("range", billing.getString("protocol"));
        assertEquals(4, billing.getInt("generation"));
        assertEquals(7, billing.getJsonNumber("totalLag").longValue());
        JsonObject m1 = billing.getJsonArray("members").getJsonObject(0);
        assertEquals("instance-a", m1.getString("groupInstanceId"));
        assertEquals(List.of("orders-0"), m1.getJsonArray("partitions").getValuesAs(jakarta.json.JsonString.class)
                .stream().map(jakarta.json.JsonString::getString).toList());
        assertTrue(billing.getJsonArray("members").getJsonObject(1).isNull("groupInstanceId"));
        JsonObject p1 = billing.getJsonArray("offsets").getJsonObject(1);
        assertEquals(-1, p1.getJsonNumber("committedOffset").longValue());
        assertEquals(5, p1.getJsonNumber("lag").longValue());
        assertTrue(billing.getJsonArray("offsets").getJsonObject(2).isNull("owner"));
    }

    @Test
    void showsConsumerGroupsWithEpochsAndCurrentAndTargetPartitions() {
        JsonObject payments = (JsonObject) get("/api/v1/groups/payments", Status.OK_200);
        assertEquals("consumer", payments.getString("type"));
        assertEquals("Reconciling", payments.getString("state"));
        assertEquals(5, payments.getInt("groupEpoch"));
        assertEquals("uniform", payments.getString("assignor"));
        assertEquals(7, payments.getJsonNumber("totalLag").longValue());
        JsonObject member = payments.getJsonArray("members").getJsonObject(0);
        assertEquals(4, member.getInt("memberEpoch"));
        assertEquals("UNREVOKED_PARTITIONS", member.getString("state"));
        assertEquals(List.of("payments-in-0"), strings(member.getJsonArray("partitions")));
        assertEquals(List.of("payments-in-1"), strings(member.getJsonArray("partitionsPendingRevocation")));
        assertEquals(List.of("payments-in-0"), strings(member.getJsonArray("targetPartitions")));
        assertTrue(member.isNull("groupInstanceId"));
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(jakarta.json.JsonString.class).stream().map(jakarta.json.JsonString::getString).toList();
    }

    @Test
    void describesOneGroupOr404() {
        assertEquals("billing", ((JsonObject) get("/api/v1/groups/billing", Status.OK_200)).getString("groupId"));
        JsonObject missing = (JsonObject) get("/api/v1/groups/nope", Status.NOT_FOUND_404);
        assertEquals("GROUP_ID_NOT_FOUND", missing.getString("error"));
    }

    private Object get(String path, Status expected) {
        try (Http1ClientResponse response = client.get(path).request()) {
            assertEquals(expected, response.status());
            try (var reader = Json.createReader(new StringReader(response.as(String.class)))) {
                return reader.read();
            }
        }
    }
}
