package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.pgkafka.application.port.in.HealthUseCase.Health;
import dev.pgkafka.application.port.in.TopicsUseCase.TopicDescription;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.topic.Topic;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webclient.http1.Http1ClientResponse;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With authentication required: HTTP Basic and Bearer credentials checked through the use case,
 * 401 with both challenges otherwise (after the failed-login delay), the health probes open to
 * orchestrators but without details, and no password or token in any answer or log line.
 */
@ServerTest
class HttpAuthenticationTest {
    private static final String PASSWORD = "alice-Secret-9f2c";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl";
    private static final KafkaPrincipal ALICE = KafkaPrincipal.user("alice");
    private static final KafkaPrincipal BOB = KafkaPrincipal.user("bob");
    private static final Duration DELAY = HttpAdminSettings.DEFAULT_FAILED_AUTHENTICATION_DELAY;

    private static final Fakes.FakeHealth HEALTH = new Fakes.FakeHealth();
    private static final Fakes.FakeTopics TOPICS = new Fakes.FakeTopics();
    private static final Fakes.FakeAuthentication AUTHENTICATION = new Fakes.FakeAuthentication();
    private static final Fakes.FakeAuthorization AUTHORIZATION = new Fakes.FakeAuthorization();

    private final Http1Client client;
    private final int port;
    private CapturedLog log;

    HttpAuthenticationTest(Http1Client client, WebServer server) {
        this.client = client;
        this.port = server.port();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        AUTHENTICATION.passwords.put("alice", PASSWORD);
        AUTHENTICATION.tokens.put(TOKEN, BOB);
        AUTHORIZATION.allowEverything = true;
        HttpAdminServer.routing(routing, HttpAdminSettings.plain("localhost", 0)
                        .withAuthentication(AUTHENTICATION, true)
                        .withAuthorization(AUTHORIZATION),
                HEALTH, TOPICS, new Fakes.FakeCluster("cluster-x1", 7), null, null);
    }

    @BeforeEach
    void reset() {
        log = new CapturedLog();
        AUTHORIZATION.asked.clear();
        AUTHENTICATION.failureMessage = "Authentication failed: Invalid username or password";
        AUTHENTICATION.outage = null;
        HEALTH.answer = new Health(true, "PostgreSQL 17.2 at db.internal:5432/pgkafka", 3, null);
        TOPICS.failure = null;
        TOPICS.descriptions = List.of(new TopicDescription(new Topic(new UUID(1, 2), "orders", 1, Map.of()),
                List.of(new PartitionHead(0, 5, 5))));
    }

    @AfterEach
    void stopCapturing() {
        log.close();
    }

    @Test
    void requestsWithoutCredentialsAre401WithBothChallenges() {
        // an unknown path too: no one learns which routes exist without logging in
        for (String path : List.of("/api/v1/topics", "/api/v1/topics/orders", "/api/v1/cluster", "/api/v1/nothing")) {
            Reply reply = get(path, null);
            assertEquals(Status.UNAUTHORIZED_401, reply.status, path);
            assertEquals(AuthenticationFilter.CHALLENGE, reply.challenge, path);
            assertEquals("Basic realm=\"pgkafka\", Bearer realm=\"pgkafka\"", reply.challenge);
            assertEquals("AUTHENTICATION_REQUIRED", reply.object().getString("error"), path);
        }
        assertTrue(AUTHORIZATION.asked.isEmpty(), "no resource ran: " + AUTHORIZATION.asked);
    }

    @Test
    void theRightPasswordReachesTheResourcesAsThatPrincipalFromTheClientAddress() {
        Reply reply = get("/api/v1/topics", basic("alice:" + PASSWORD));
        assertEquals(Status.OK_200, reply.status);
        assertEquals("orders", ((jakarta.json.JsonArray) reply.json).getJsonObject(0).getString("name"));
        assertEquals(new Requester(ALICE, "127.0.0.1"), AUTHORIZATION.asked.getFirst().requester());
        assertTrue(log.lines().stream().noneMatch(l -> l.contains("failed authentication")), log.lines().toString());
    }

    @Test
    void aWrongPasswordIs401AfterTheDelayAndLoggedWithUserAndAddressButNotThePassword() {
        long start = System.nanoTime();
        Reply reply = get("/api/v1/topics", basic("alice:wrong-Guess-77"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertEquals(Status.UNAUTHORIZED_401, reply.status);
        assertEquals(AuthenticationFilter.CHALLENGE, reply.challenge);
        assertEquals("AUTHENTICATION_FAILED", reply.object().getString("error"));
        assertEquals("Authentication failed: Invalid username or password", reply.object().getString("message"));
        assertFalse(reply.text.contains("wrong-Guess-77"), reply.text);
        assertTrue(took.compareTo(DELAY) >= 0, "answered after " + took);

        String line = failedLogin();
        assertTrue(line.startsWith("INFO "), line);
        assertTrue(line.contains("127.0.0.1") && line.contains("'alice'"), line);
        assertFalse(line.contains("wrong-Guess-77"), line);
        assertTrue(AUTHORIZATION.asked.isEmpty());
    }

    @Test
    void aBearerTokenAuthenticatesAndAWrongOneIs401WithoutTheTokenAnywhere() {
        assertEquals(Status.OK_200, get("/api/v1/cluster", "Bearer " + TOKEN).status);

        String forged = TOKEN.substring(0, TOKEN.length() - 3) + "xyz";
        Reply reply = get("/api/v1/topics", "Bearer " + forged);
        assertEquals(Status.UNAUTHORIZED_401, reply.status);
        assertEquals(AuthenticationFilter.CHALLENGE, reply.challenge);
        assertEquals("AUTHENTICATION_FAILED", reply.object().getString("error"));
        assertFalse(reply.text.contains(forged), reply.text);
        String line = failedLogin();
        assertTrue(line.contains("127.0.0.1") && line.contains("bearer token"), line);
        assertFalse(line.contains(forged) || line.contains("eyJ"), line);

        assertEquals(Status.OK_200, get("/api/v1/topics", "Bearer " + TOKEN).status);
        assertEquals(new Requester(BOB, "127.0.0.1"), AUTHORIZATION.asked.getFirst().requester());
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertEquals(Status.OK_200, get("/api/v1/cluster", "bAsIc " + encode("alice:" + PASSWORD)).status);
        assertEquals(Status.OK_200, get("/api/v1/cluster", "BEARER " + TOKEN).status);
    }

    @Test
    void aPasswordMayContainColons() {
        AUTHENTICATION.passwords.put("carol", "a:b:c");
        assertEquals(Status.OK_200, get("/api/v1/cluster", basic("carol:a:b:c")).status);
    }

    @Test
    void malformedHeadersAre401NeverServerErrors() {
        byte[] notUtf8 = {'a', 'l', 'i', 'c', 'e', ':', (byte) 0xC3, (byte) 0x28};
        List<String> headers = List.of(
                "Basic",
                "Basic ",
                "Basic !!!not-base64!!!",
                "Basic " + encode("no-colon-at-all"),
                "Basic " + encode(":password-without-user"),
                "Basic " + Base64.getEncoder().encodeToString(notUtf8),
                "Basic " + "QUFB".repeat(2_500),
                "Bearer",
                "Bearer two tokens",
                "Bearer {\"not\":\"a token\"}",
                "Digest username=\"alice\", realm=\"pgkafka\"",
                "alice:" + PASSWORD,
                "Basicalice");
        for (String header : headers) {
            Reply reply = get("/api/v1/topics", header);
            String shown = header.length() > 40 ? header.substring(0, 40) + "..." : header;
            assertEquals(Status.UNAUTHORIZED_401, reply.status, shown);
            assertEquals(AuthenticationFilter.CHALLENGE, reply.challenge, shown);
            assertEquals("AUTHENTICATION_FAILED", reply.object().getString("error"), shown);
            assertFalse(reply.text.contains(PASSWORD), shown);
        }
        assertTrue(AUTHORIZATION.asked.isEmpty());
        assertTrue(log.lines().stream().noneMatch(l -> l.contains(PASSWORD)), log.lines().toString());
    }

    @Test
    void twoAuthorizationHeadersAre401() throws IOException {
        RawHttp.Response reply = RawHttp.get(port, "/api/v1/topics", "Authorization: " + basic("alice:" + PASSWORD),
                "Authorization: Bearer " + TOKEN);
        assertEquals(401, reply.status());
        assertTrue(reply.body().contains("AUTHENTICATION_FAILED"), reply.body());
    }

    @Test
    void aHeaderBeyondTheServersLimitIsAClientErrorNotAServerError() throws IOException {
        RawHttp.Response reply = RawHttp.get(port, "/api/v1/topics", "Authorization: Basic " + "QUFB".repeat(10_000));
        assertTrue(reply.status() >= 400 && reply.status() < 500, "status " + reply.status());
        assertFalse(reply.body().contains("QUFBQUFB"), reply.body());
    }

    @Test
    void aFailureMessageThatEchoesTheSecretIsReplaced() {
        AUTHENTICATION.failureMessage = "password wrong-Echoed-55 does not match";
        Reply reply = get("/api/v1/topics", basic("alice:wrong-Echoed-55"));
        assertEquals(Status.UNAUTHORIZED_401, reply.status);
        assertEquals("Authentication failed", reply.object().getString("message"));
        assertFalse(failedLogin().contains("wrong-Echoed-55"));
    }

    @Test
    void aCredentialStoreThatCannotBeReachedIsAJson500WithoutTheSecret() {
        AUTHENTICATION.outage = new IllegalStateException("credential store unreachable");
        Reply reply = get("/api/v1/topics", basic("alice:" + PASSWORD));
        assertEquals(Status.INTERNAL_SERVER_ERROR_500, reply.status);
        assertEquals("INTERNAL_ERROR", reply.object().getString("error"));
        assertFalse(reply.text.contains(PASSWORD), reply.text);
        assertTrue(log.lines().stream().noneMatch(l -> l.contains(PASSWORD)), log.lines().toString());
    }

    @Test
    void userNamesCannotForgeLogLines() {
        get("/api/v1/topics", basic("eve\nINFO forged line:nope"));
        String line = failedLogin();
        assertFalse(line.contains("\n"), line);
        assertTrue(line.contains("eve\\u000aINFO forged line"), line);
    }

    @Test
    void healthProbesNeedNoCredentialsAndTellAnonymousCallersOnlyUpOrDown() {
        for (String path : List.of("/health", "/health/live", "/health/ready")) {
            Reply reply = get(path, null);
            assertEquals(Status.OK_200, reply.status, path);
            assertEquals("UP", reply.object().getString("status"), path);
        }
        JsonObject storage = get("/health", null).object().getJsonObject("storage");
        assertTrue(storage.getBoolean("ready"));
        assertEquals(1, storage.size(), "only 'ready' for anonymous probes: " + storage);

        HEALTH.answer = new Health(false, "PostgreSQL at db.internal:5432/pgkafka", -1, "Connection refused");
        Reply down = get("/health/ready", null);
        assertEquals(Status.SERVICE_UNAVAILABLE_503, down.status);
        assertFalse(down.text.contains("db.internal") || down.text.contains("refused"), down.text);
    }

    @Test
    void healthShowsDetailsToAuthenticatedCallersAndRefusesWrongCredentials() {
        JsonObject storage = get("/health", basic("alice:" + PASSWORD)).object().getJsonObject("storage");
        assertEquals("PostgreSQL 17.2 at db.internal:5432/pgkafka", storage.getString("description"));
        assertEquals(3, storage.getInt("latencyMs"));
        assertEquals(Status.UNAUTHORIZED_401, get("/health", basic("alice:nope")).status);
    }

    @Test
    void passwordsInsideHealthDetailsAndErrorsAreMasked() {
        HEALTH.answer = new Health(false, "PostgreSQL at postgres://app:db-Pw-31@db/x", -1,
                "FATAL connecting to jdbc:postgresql://db/x?user=app&password=db-Pw-31");
        Reply health = get("/health", basic("alice:" + PASSWORD));
        assertEquals(Status.SERVICE_UNAVAILABLE_503, health.status);
        assertFalse(health.text.contains("db-Pw-31"), health.text);
        assertTrue(health.text.contains("[hidden]"), health.text);

        TOPICS.failure = new IllegalStateException("lost jdbc:postgresql://db/x?password=db-Pw-31&user=app");
        Reply error = get("/api/v1/topics", basic("alice:" + PASSWORD));
        assertEquals(Status.INTERNAL_SERVER_ERROR_500, error.status);
        assertFalse(error.text.contains("db-Pw-31"), error.text);
    }

    @Test
    void pathsThatOnlyLookLikeProbesNeedCredentials() throws IOException {
        for (String path : List.of("/health/../api/v1/topics", "/health/live/../../api/v1/topics",
                "/health%2F..%2Fapi%2Fv1%2Ftopics", "/health/./../api/v1/topics", "/health/", "/HEALTH",
                "/./health/../api/v1/topics")) {
            RawHttp.Response reply = RawHttp.get(port, path);
            assertNotEquals(200, reply.status(), path + ": " + reply.body());
            assertFalse(reply.body().contains("orders"), path + ": " + reply.body());
        }
    }

    /** The one failed-login line logged since the test started. */
    private String failedLogin() {
        List<String> lines = log.lines().stream().filter(l -> l.contains("failed authentication")).toList();
        assertEquals(1, lines.size(), lines.toString());
        return lines.getFirst();
    }

    private static String basic(String userColonPassword) {
        return "Basic " + encode(userColonPassword);
    }

    private static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private Reply get(String path, String authorization) {
        Http1ClientRequest request = client.get(path);
        if (authorization != null) {
            request.header(HeaderNames.AUTHORIZATION, authorization);
        }
        try (Http1ClientResponse response = request.request()) {
            return new Reply(response);
        }
    }

    private static final class Reply {
        final Status status;
        final String challenge;
        final String text;
        final JsonStructure json;

        Reply(Http1ClientResponse response) {
            status = response.status();
            challenge = response.headers().contains(HeaderNames.WWW_AUTHENTICATE)
                    ? response.headers().get(HeaderNames.WWW_AUTHENTICATE).get() : null;
            text = response.as(String.class);
            try (var reader = Json.createReader(new StringReader(text))) {
                json = reader.read();
            }
        }

        JsonObject object() {
            return (JsonObject) json;
        }
    }
}
