package dev.pgkafka.application.service.security.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.domain.security.oauth.JsonWebKeySet;

/** A JWKS endpoint served by the JDK's HTTP server: first fetch, refresh with backoff, early refresh, limits. */
class HttpJwksSourceTest {
    private static final KeyPair A = Tokens.rsa();
    private static final KeyPair B = Tokens.rsa();

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int status = 200;
    private volatile byte[] body = Tokens.jwks(Tokens.jwk(A, "a")).getBytes(StandardCharsets.UTF_8);
    private volatile CountDownLatch hold; // when set, answers wait for it
    private final MutableClock clock = new MutableClock(Tokens.NOW_S * 1000);
    private final List<HttpJwksSource> sources = new ArrayList<>();

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.createContext("/jwks", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        sources.forEach(HttpJwksSource::close);
        CountDownLatch held = hold;
        if (held != null) {
            held.countDown();
        }
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        CountDownLatch held = hold;
        if (held != null) {
            try {
                held.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = body;
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        } catch (IOException e) {
            // the client gave up (size limit, timeout)
        }
    }

    private URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    private HttpJwksSource source(HttpJwksSource.Timing timing) {
        HttpJwksSource source = new HttpJwksSource(uri(), timing, clock);
        sources.add(source);
        return source;
    }

    /** Hourly refresh, 10 ms first backoff up to 80 ms, early refreshes 10 s apart, 2 s request timeout. */
    private static HttpJwksSource.Timing timing() {
        return new HttpJwksSource.Timing(3_600_000, 10, 80, 10_000, Duration.ofSeconds(2));
    }

    private static List<String> kids(JsonWebKeySet set) {
        return set.keys().stream().map(k -> k.keyId().orElseThrow()).toList();
    }

    @Test
    void fetchesTheKeysAtStart() {
        HttpJwksSource source = source(timing()).start();
        assertEquals(List.of("a"), kids(source.keys()));
        assertEquals(1, requests.get());
        assertEquals(uri().toString(), source.location());
    }

    @Test
    void startRetriesWithBackoffThenGivesUp() {
        status = 503;
        JwksUnavailableException e = assertThrows(JwksUnavailableException.class,
                () -> source(new HttpJwksSource.Timing(3_600_000, 10, 500, 10_000, Duration.ofSeconds(2))).start());
        assertTrue(e.getMessage().startsWith("Could not fetch the JWKS from " + uri()), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP status 503"), e.getMessage());
        assertTrue(requests.get() >= 2, "retried within the 500 ms of retry.backoff.max.ms: " + requests.get());
    }

    @Test
    void aFailedRefreshKeepsTheKeysAndBacksOffUntilOneSucceeds() throws Exception {
        HttpJwksSource source = source(timing()).start();
        status = 500;
        assertEquals(10, source.refreshOnce());
        assertEquals(20, source.refreshOnce());
        assertEquals(40, source.refreshOnce());
        assertEquals(80, source.refreshOnce());
        assertEquals(80, source.refreshOnce(), "capped at retry.backoff.max.ms");
        assertEquals(List.of("a"), kids(source.keys()), "the last good keys stay in force");

        status = 200;
        body = "<html>not a key set</html>".getBytes(StandardCharsets.UTF_8);
        assertEquals(80, source.refreshOnce(), "an answer that is not a JWKS is a failure too");
        body = Tokens.jwks(Tokens.jwk(B, "b")).getBytes(StandardCharsets.UTF_8);
        assertEquals(3_600_000, source.refreshOnce());
        assertEquals(List.of("b"), kids(source.keys()));
        status = 500;
        assertEquals(10, source.refreshOnce(), "the backoff starts over after a success");
    }

    @Test
    void theRefreshRunsInTheBackgroundUntilClosed() throws Exception {
        HttpJwksSource source = source(new HttpJwksSource.Timing(30, 10, 80, 10_000, Duration.ofSeconds(2))).start();
        body = Tokens.jwks(Tokens.jwk(B, "b")).getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (requests.get() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(requests.get() >= 3, "refreshed every 30 ms: " + requests.get());
        assertEquals(List.of("b"), kids(source.keys()));

        source.close();
        int afterClose = requests.get();
        Thread.sleep(200);
        assertTrue(requests.get() <= afterClose + 1, "no refresh after close");
        assertEquals(List.of("b"), kids(source.keys()), "the keys stay readable after close");
        assertEquals(Optional.empty(), source.refreshForUnknownKey("c"));
    }

    @Test
    void anUnknownKeyIdFetchesAtOnceButAtMostOncePerInterval() {
        HttpJwksSource source = source(timing()).start();
        body = Tokens.jwks(Tokens.jwk(A, "a"), Tokens.jwk(B, "b")).getBytes(StandardCharsets.UTF_8);

        assertEquals(List.of("a", "b"), kids(source.refreshForUnknownKey("b").orElseThrow()));
        assertEquals(2, requests.get());
        assertEquals(List.of("a", "b"), kids(source.keys()));

        // a client making up key ids gets no more fetches within the interval
        for (int i = 0; i < 100; i++) {
            assertEquals(Optional.empty(), source.refreshForUnknownKey("made-up-" + i));
        }
        assertEquals(2, requests.get());
        clock.advance(10_000);
        assertTrue(source.refreshForUnknownKey("c").isPresent());
        assertEquals(3, requests.get());
        assertEquals(Optional.empty(), source.refreshForUnknownKey("k".repeat(1001)), "absurd key ids are not looked for");
    }

    @Test
    void concurrentUnknownKeyIdsShareOneFetch() throws Exception {
        HttpJwksSource source = source(timing()).start();
        body = Tokens.jwks(Tokens.jwk(B, "b")).getBytes(StandardCharsets.UTF_8);
        hold = new CountDownLatch(1);
        try (ExecutorService logins = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<JsonWebKeySet>>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                results.add(logins.submit(() -> source.refreshForUnknownKey("b")));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (requests.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(50); // let the other logins arrive while the fetch is held
            hold.countDown();
            for (Future<Optional<JsonWebKeySet>> result : results) {
                assertEquals(List.of("b"), kids(result.get().orElseThrow()));
            }
        }
        assertEquals(2, requests.get(), "one fetch at start, one for all twenty logins");
    }

    @Test
    void refusesAnswersThatAreTooLargeOrNotOk() {
        body = ("{\"keys\":[],\"pad\":\"" + "x".repeat(JsonWebKeySet.MAX_DOCUMENT_LENGTH) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpJwksSource big = new HttpJwksSource(uri(), timing(), clock);
        sources.add(big);
        IOException tooLarge = assertThrows(IOException.class, big::fetch);
        assertTrue(tooLarge.getMessage().contains("larger than 1048576 bytes"), tooLarge.getMessage());

        status = 404;
        body = "no".getBytes(StandardCharsets.UTF_8);
        assertEquals("HTTP status 404", assertThrows(IOException.class, big::fetch).getMessage());
    }

    @Test
    void aServerThatDoesNotAnswerIsGivenUpOnAfterTheRequestTimeout() {
        hold = new CountDownLatch(1);
        HttpJwksSource slow = new HttpJwksSource(uri(), new HttpJwksSource.Timing(3_600_000, 10, 80, 10_000,
                Duration.ofMillis(200)), clock);
        sources.add(slow);
        long started = System.nanoTime();
        assertThrows(IOException.class, slow::fetch);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(tookMs < 5_000, "gave up after " + tookMs + " ms");
    }
}
