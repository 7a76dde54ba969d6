package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
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

    private static final GroupsUseCase GROUPS = new GroupsUseCase() {
        @Override
        public Optional<GroupDescription> describeGroup(String groupId) {
            return groupId.equals("billing") ? Optional.of(BILLING) : Optional.empty();
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
                    new PartitionOffset("old", 0, 7, 7, 0, "x", null))));
        }
    };

    private final Http1Client client;

    GroupsRoutingTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        HttpAdminServer.routing(routing, new Fakes.FakeHealth(), new Fakes.FakeTopics(),
                new Fakes.FakeCluster("c", 1), GROUPS);
    }

    @Test
    void listsGroupsWithMembersOffsetsAndLag() {
        JsonArray groups = (JsonArray) get("/api/v1/groups", Status.OK_200);
        assertEquals(1, groups.size());
        JsonObject billing = groups.getJsonObject(0);
        assertEquals("billing", billing.getString("groupId"));
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
