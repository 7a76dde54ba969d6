package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.pgkafka.application.port.in.HealthUseCase.Health;
import dev.pgkafka.application.port.in.TopicsUseCase.TopicDescription;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIds;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin routes as a client sees them: a real Helidon server built from the production routing, fake use cases. */
@ServerTest
class HttpAdminRoutingTest {
    private static final Fakes.FakeHealth HEALTH = new Fakes.FakeHealth();
    private static final Fakes.FakeTopics TOPICS = new Fakes.FakeTopics();
    private static final Fakes.FakeCluster CLUSTER = new Fakes.FakeCluster("cluster-x1", 7);

    private static final Topic ORDERS = new Topic(UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "orders", 2,
            Map.of("retention.ms", "1000", "cleanup.policy", "compact"));
    private static final Topic LOGS = new Topic(UUID.fromString("f47ac10b-58cc-4372-a567-0e02b2c3d479"), "__logs", 1,
            Map.of());

    private final Http1Client client;

    HttpAdminRoutingTest(Http1Client client) {
        this.client = client;
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        HttpAdminServer.routing(routing, HEALTH, TOPICS, CLUSTER);
    }

    @BeforeEach
    void reset() {
        HEALTH.answer = new Health(true, "PostgreSQL 17.2 at db:5432/pgkafka", 3, null);
        TOPICS.failure = null;
        TOPICS.descriptions = List.of(
                new TopicDescription(LOGS, List.of(PartitionHead.empty())),
                new TopicDescription(ORDERS, List.of(new PartitionHead(0, 42, 42), new PartitionHead(5, 9, 7))));
    }

    @Test
    void healthIsUpWhenStorageAnswers() {
        Reply reply = get("/health");
        assertEquals(Status.OK_200, reply.status);
        JsonObject body = reply.object();
        assertEquals("UP", body.getString("status"));
        JsonObject storage = body.getJsonObject("storage");
        assertTrue(storage.getBoolean("ready"));
        assertEquals("PostgreSQL 17.2 at db:5432/pgkafka", storage.getString("description"));
        assertEquals(3, storage.getJsonNumber("latencyMs").longValue());
        assertFalse(storage.containsKey("problem"));
    }

    @Test
    void healthAndReadinessAreDownWithTheProblemWhenStorageFails() {
        HEALTH.answer = new Health(false, "PostgreSQL at db:5432/pgkafka", -1, "Connection refused");
        for (String path : List.of("/health", "/health/ready")) {
            Reply reply = get(path);
            assertEquals(Status.SERVICE_UNAVAILABLE_503, reply.status, path);
            JsonObject body = reply.object();
            assertEquals("DOWN", body.getString("status"), path);
            JsonObject storage = body.getJsonObject("storage");
            assertFalse(storage.getBoolean("ready"), path);
            assertEquals("Connection refused", storage.getString("problem"), path);
            assertFalse(storage.containsKey("latencyMs"), "no latency without a round trip: " + path);
        }
    }

    @Test
    void livenessDoesNotDependOnStorage() {
        HEALTH.answer = new Health(false, "PostgreSQL", -1, "down for maintenance");
        Reply reply = get("/health/live");
        assertEquals(Status.OK_200, reply.status);
        assertEquals("UP", reply.object().getString("status"));
    }

    @Test
    void listsTopicsWithIdsConfigsAndWatermarks() {
        Reply reply = get("/api/v1/topics");
        assertEquals(Status.OK_200, reply.status);
        JsonArray topics = reply.array();
        assertEquals(2, topics.size());
        // the use case's order (by name) is kept
        assertEquals("__logs", topics.getJsonObject(0).getString("name"));
        assertTrue(topics.getJsonObject(0).getBoolean("internal"));
        assertEquals(0, topics.getJsonObject(0).getJsonObject("configs").size());

        JsonObject orders = topics.getJsonObject(1);
        assertOrders(orders);
    }

    @Test
    void describesOneTopic() {
        Reply reply = get("/api/v1/topics/orders");
        assertEquals(Status.OK_200, reply.status);
        assertOrders(reply.object());
    }

    private static void assertOrders(JsonObject orders) {
        assertEquals("orders", orders.getString("name"));
        assertEquals(TopicIds.base64(ORDERS.id()), orders.getString("topicId"));
        assertEquals(22, orders.getString("topicId").length());
        assertEquals(2, orders.getInt("partitionCount"));
        assertFalse(orders.getBoolean("internal"));
        JsonObject configs = orders.getJsonObject("configs");
        assertEquals("1000", configs.getString("retention.ms"));
        assertEquals("compact", configs.getString("cleanup.policy"));

        JsonArray partitions = orders.getJsonArray("partitions");
        assertEquals(2, partitions.size());
        JsonObject p0 = partitions.getJsonObject(0);
        assertEquals(0, p0.getInt("partition"));
        assertEquals(0, p0.getJsonNumber("logStartOffset").longValue());
        assertEquals(42, p0.getJsonNumber("highWatermark").longValue());
        assertEquals(42, p0.getJsonNumber("lastStableOffset").longValue());
        JsonObject p1 = partitions.getJsonObject(1);
        assertEquals(1, p1.getInt("partition"));
        assertEquals(5, p1.getJsonNumber("logStartOffset").longValue());
        assertEquals(9, p1.getJsonNumber("highWatermark").longValue());
        assertEquals(7, p1.getJsonNumber("lastStableOffset").longValue());
    }

    @Test
    void unknownTopicIsJson404() {
        Reply reply = get("/api/v1/topics/nope");
        assertEquals(Status.NOT_FOUND_404, reply.status);
        JsonObject body = reply.object();
        assertEquals("UNKNOWN_TOPIC", body.getString("error"));
        assertTrue(body.getString("message").contains("nope"), body.toString());
    }

    @Test
    void unknownPathIsJson404() {
        Reply reply = get("/api/v1/nothing-here");
        assertEquals(Status.NOT_FOUND_404, reply.status);
        JsonObject body = reply.object();
        assertEquals("NOT_FOUND", body.getString("error"));
        assertTrue(body.getString("message").contains("/api/v1/nothing-here"), body.toString());
    }

    @Test
    void unroutedMethodIsJson404Too() {
        try (Http1ClientResponse response = client.method(Method.DELETE).path("/api/v1/topics/orders").request()) {
            Reply reply = new Reply(response);
            assertEquals(Status.NOT_FOUND_404, reply.status);
            assertEquals("NOT_FOUND", reply.object().getString("error"));
        }
    }

    @Test
    void failingUseCaseIsJson500WithTheMessage() {
        TOPICS.failure = new IllegalStateException("storage exploded");
        for (String path : List.of("/api/v1/topics", "/api/v1/topics/orders")) {
            Reply reply = get(path);
            assertEquals(Status.INTERNAL_SERVER_ERROR_500, reply.status, path);
            JsonObject body = reply.object();
            assertEquals("INTERNAL_ERROR", body.getString("error"), path);
            assertEquals("storage exploded", body.getString("message"), path);
        }
    }

    @Test
    void anUnavailableStorageIs503WithRetryAfterAndNoHostInTheMessage() {
        TOPICS.failure = new StorageUnavailableException(StorageUnavailableException.Reason.UNREACHABLE,
                "read topics failed: Connection to db.internal:5432 refused", null);
        Reply reply = get("/api/v1/topics");
        assertEquals(Status.SERVICE_UNAVAILABLE_503, reply.status);
        assertEquals("STORAGE_UNAVAILABLE", reply.object().getString("error"));
        assertEquals("The storage is unreachable; retry later", reply.object().getString("message"));
    }

    @Test
    void describesTheCluster() {
        Reply reply = get("/api/v1/cluster");
        assertEquals(Status.OK_200, reply.status);
        JsonObject body = reply.object();
        assertEquals("cluster-x1", body.getString("clusterId"));
        assertEquals(7, body.getInt("nodeId"));
    }

    private Reply get(String path) {
        try (Http1ClientResponse response = client.get(path).request()) {
            return new Reply(response);
        }
    }

    /** Status and parsed JSON body; every answer of the admin API must be application/json. */
    private static final class Reply {
        final Status status;
        final JsonStructure json;

        Reply(Http1ClientResponse response) {
            status = response.status();
            HttpMediaType type = response.headers().contentType().orElseThrow(
                    () -> new AssertionError("no Content-Type on " + response.status()));
            assertEquals(MediaTypes.APPLICATION_JSON, type.mediaType());
            String text = response.as(String.class);
            try (var reader = Json.createReader(new StringReader(text))) {
                json = reader.read();
            }
        }

        JsonObject object() {
            return (JsonObject) json;
        }

        JsonArray array() {
            return (JsonArray) json;
        }
    }
}
