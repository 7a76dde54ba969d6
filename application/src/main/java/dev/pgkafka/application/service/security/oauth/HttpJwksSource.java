package dev.pgkafka.application.service.security.oauth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.domain.security.oauth.JsonWebKeySet;

/**
 * A JWKS fetched over HTTP(S) from {@code sasl.oauthbearer.jwks.endpoint.url} and fetched again every
 * {@code sasl.oauthbearer.jwks.endpoint.refresh.ms}.
 *
 * <p>A failed fetch keeps the last good key set and is retried after
 * {@code sasl.oauthbearer.jwks.endpoint.retry.backoff.ms}, doubling up to
 * {@code ...retry.backoff.max.ms}, until one succeeds (Kafka instead waits for the next scheduled
 * refresh). A token with an unknown key id triggers an early fetch that its login waits for, at most
 * one per {@link Timing#earlyRefreshIntervalMs()} whatever the key ids (Kafka: one per key id per
 * minute, which a client inventing key ids defeats). Responses are read with a time limit and a size
 * limit ({@link JsonWebKeySet#MAX_DOCUMENT_LENGTH} bytes), redirects followed except from HTTPS to
 * HTTP, and the server's certificate checked against the JVM's trust store. The refresh runs on one
 * virtual thread, stopped by {@link #close()}.
 */
public final class HttpJwksSource implements JwksSource {
    private static final System.Logger LOG = System.getLogger(HttpJwksSource.class.getName());
    /** Key ids longer than this are never looked for (Kafka's limit). */
    static final int MAX_KEY_ID_LENGTH = 1000;

    /**
     * When fetches happen.
     *
     * @param refreshMs               between successful fetches
     * @param retryBackoffMs          after the first failed fetch, doubled after each further failure
     * @param retryBackoffMaxMs       the longest wait after failures
     * @param earlyRefreshIntervalMs  the least time between fetches triggered by unknown key ids
     * @param requestTimeout          for connecting, and for the whole answer
     */
    public record Timing(long refreshMs, long retryBackoffMs, long retryBackoffMaxMs, long earlyRefreshIntervalMs,
                         Duration requestTimeout) {
        public static final long DEFAULT_EARLY_REFRESH_INTERVAL_MS = 10_000;
        public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

        public Timing {
            if (refreshMs <= 0 || retryBackoffMs < 0 || retryBackoffMaxMs < 0 || earlyRefreshIntervalMs < 0) {
                throw new IllegalArgumentException("invalid JWKS refresh timing " + refreshMs + "/" + retryBackoffMs
                        + "/" + retryBackoffMaxMs + "/" + earlyRefreshIntervalMs);
            }
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        public static Timing of(OAuthBearerSettings settings) {
            return new Timing(settings.jwksEndpointRefreshMs(), settings.jwksEndpointRetryBackoffMs(),
                    settings.jwksEndpointRetryBackoffMaxMs(), DEFAULT_EARLY_REFRESH_INTERVAL_MS, DEFAULT_REQUEST_TIMEOUT);
        }

        /** The wait after the n-th failure in a row (n from 1). */
        long backoffMs(int failures) {
            long wait = retryBackoffMs;
            for (int i = 1; i < failures && wait < retryBackoffMaxMs; i++) {
                wait = Math.max(1, wait * 2);
            }
            return Math.min(wait, retryBackoffMaxMs);
        }
    }

    private final URI uri;
    /** The URL as logs show it: without user info or query, which may hold credentials. */
    private final String shown;
    private final Timing timing;
    private final HttpClient client;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile JsonWebKeySet keys = JsonWebKeySet.EMPTY;
    private int failuresInARow;
    private long lastEarlyRefreshMs = Long.MIN_VALUE;
    private CompletableFuture<JsonWebKeySet> earlyRefresh;
    private volatile boolean closed;

    /**
     * A source that has not fetched yet; {@link #start()} fetches and schedules the refresh. It fetches
     * with its own HTTP client: the request timeout as connect timeout, redirects followed except from
     * HTTPS to HTTP, the JVM's trust store.
     */
    public HttpJwksSource(URI uri, Timing timing, Clock clock) {
        this(uri, timing, defaultClient(timing), clock);
    }

    /** @param client the client to fetch with (closed with this source) */
    HttpJwksSource(URI uri, Timing timing, HttpClient client, Clock clock) {
        this.uri = Objects.requireNonNull(uri, "uri");
        this.shown = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        this.timing = Objects.requireNonNull(timing, "timing");
        this.client = Objects.requireNonNull(client, "client");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("pgkafka-jwks-refresh").factory());
    }

    private static HttpClient defaultClient(Timing timing) {
        return HttpClient.newBuilder()
                .connectTimeout(timing.requestTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * Fetches the key set, retrying with the backoff for up to {@code retryBackoffMaxMs} as Kafka's
     * first fetch does, then schedules the refresh.
     *
     * @throws JwksUnavailableException when no key set could be fetched
     */
    public HttpJwksSource start() {
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            LOG.log(Level.WARNING, "The JWKS is fetched from {0} over plain HTTP: whoever can alter that traffic "
                    + "can make the broker accept tokens of their own; use https", shown);
        }
        long started = System.nanoTime(); // real time: the waits below are real sleeps
        int attempt = 0;
        while (true) {
            attempt++;
            try {
                install(fetch());
                break;
            } catch (IOException | RuntimeException e) {
                long wait = timing.backoffMs(attempt);
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                if (elapsedMs + wait >= timing.retryBackoffMaxMs() || closed) {
                    close();
                    throw new JwksUnavailableException("Could not fetch the JWKS from " + shown + " (" + attempt
                            + " attempt(s)): " + describe(e), e);
                }
                LOG.log(Level.WARNING, "Fetching the JWKS from {0} failed ({1}); trying again in {2} ms", shown,
                        describe(e), String.valueOf(wait));
                sleep(wait);
            }
        }
        schedule(timing.refreshMs());
        LOG.log(Level.INFO, "JWKS from {0} is refreshed every {1} ms", shown, String.valueOf(timing.refreshMs()));
        return this;
    }

    @Override
    public JsonWebKeySet keys() {
        return keys;
    }

    @Override
    public Optional<JsonWebKeySet> refreshForUnknownKey(String keyId) {
        if (keyId.length() > MAX_KEY_ID_LENGTH) {
            return Optional.empty();
        }
        CompletableFuture<JsonWebKeySet> pending;
        lock.lock();
        try {
            if (closed) {
                return Optional.empty();
            }
            long now = clock.millis();
            if (earlyRefresh != null && !earlyRefresh.isDone()) {
                pending = earlyRefresh; // join the fetch in flight
            } else if (lastEarlyRefreshMs != Long.MIN_VALUE && now - lastEarlyRefreshMs < timing.earlyRefreshIntervalMs()) {
                return Optional.empty();
            } else {
                lastEarlyRefreshMs = now;
                pending = new CompletableFuture<>();
                earlyRefresh = pending;
                LOG.log(Level.INFO, "A token names key id {0}, which the JWKS from {1} lacks: fetching it again",
                        printable(keyId), shown);
                try {
                    scheduler.execute(() -> {
                        try {
                            JsonWebKeySet fetched = fetch();
                            install(fetched);
                            pending.complete(fetched);
                        } catch (IOException | RuntimeException e) {
                            LOG.log(Level.WARNING, "Fetching the JWKS from {0} failed ({1}); keeping the keys read "
                                    + "before", shown, describe(e));
                            pending.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) { // closed meanwhile
                    return Optional.empty();
                }
            }
        } finally {
            lock.unlock();
        }
        try {
            return Optional.of(pending.get(timing.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** One scheduled fetch: the delay until the next (the refresh interval, or the backoff after a failure). */
    long refreshOnce() {
        try {
            install(fetch());
            lock.lock();
            try {
                failuresInARow = 0;
            } finally {
                lock.unlock();
            }
            return timing.refreshMs();
        } catch (IOException | RuntimeException e) {
            if (closed) {
                return timing.refreshMs(); // interrupted by close: nothing to report
            }
            int failures;
            lock.lock();
            try {
                failures = ++failuresInARow;
            } finally {
                lock.unlock();
            }
            long wait = timing.backoffMs(failures);
            LOG.log(Level.WARNING, "Fetching the JWKS from {0} failed ({1}, {2} time(s) in a row); keeping the keys "
                    + "read before and trying again in {3} ms", shown, describe(e), failures, String.valueOf(wait));
            return wait;
        }
    }

    private void schedule(long delayMs) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> schedule(refreshOnce()), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    private void install(JsonWebKeySet fetched) {
        JsonWebKeySet previous = keys;
        keys = fetched;
        if (!fetched.keys().equals(previous.keys())) {
            LOG.log(Level.INFO, "Fetched {0} JWKS key(s) from {1}: {2}", fetched.keys().size(), shown, fetched.keys());
            for (String why : fetched.skipped()) {
                LOG.log(Level.INFO, "JWKS {0}: {1}", shown, why);
            }
            if (fetched.isEmpty()) {
                LOG.log(Level.WARNING, "The JWKS from {0} holds no usable key: every OAUTHBEARER token is refused", shown);
            }
        }
    }

    /** One GET of the JWKS: status 200, at most the size limit, within the request timeout. */
    JsonWebKeySet fetch() throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(timing.requestTimeout())
                .header("Accept", "application/json, application/jwk-set+json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> call = client.sendAsync(request, info -> info.statusCode() == 200
                ? new CappedBody(JsonWebKeySet.MAX_DOCUMENT_LENGTH)
                : HttpResponse.BodySubscribers.replacing(null));
        HttpResponse<byte[]> response;
        try {
            response = call.get(timing.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IOException("no complete answer within " + timing.requestTimeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause), cause);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP status " + response.statusCode());
        }
        return JsonWebKeySet.parse(FileJwksSource.utf8(response.body()));
    }

    @Override
    public String location() {
        return shown;
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        client.shutdownNow();
        try {
            if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "The JWKS refresh of {0} did not stop within 5 s", shown);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + message;
    }

    private static String printable(String text) {
        String cut = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Collects a body up to a size, failing (and cancelling the download) beyond it. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int cap;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        CappedBody(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if ((long) out.size() + buffer.remaining() > cap) {
                    subscription.cancel();
                    body.completeExceptionally(new IOException("the JWKS is larger than " + cap + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(out.toByteArray());
        }
    }
}
