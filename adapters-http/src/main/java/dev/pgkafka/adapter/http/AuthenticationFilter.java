package dev.pgkafka.adapter.http;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Finds out who sends each request, before any route runs (so unknown paths are no way around it).
 * With authentication required, a request must carry HTTP Basic credentials (checked against the
 * same users as SASL PLAIN and SCRAM) or a bearer JWT (checked as OAUTHBEARER tokens are), else it
 * is answered 401; only the health probes may come without, so orchestrators can probe. Without
 * authentication every request is {@code User:ANONYMOUS} and credentials are not looked at.
 */
final class AuthenticationFilter implements Filter {
    private static final System.Logger LOG = System.getLogger(AuthenticationFilter.class.getName());
    /** Both schemes we take, in one header, so a client or browser knows its options. */
    static final String CHALLENGE = "Basic realm=\"pgkafka\", Bearer realm=\"pgkafka\"";
    /** Exactly these paths: anything looser could let a crafted path reach another route. */
    static final Set<String> PROBES = Set.of("/health", "/health/live", "/health/ready");

    private final boolean required;
    private final AuthenticationUseCase authentication;
    private final Duration failureDelay;

    AuthenticationFilter(HttpAdminSettings settings) {
        this.required = settings.authenticationRequired();
        this.authentication = settings.authentication();
        this.failureDelay = settings.failedAuthenticationDelay();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String host = Caller.clientHost(req);
        if (!required) {
            proceed(chain, req, Caller.anonymous(host));
            return;
        }
        List<String> header = req.headers().contains(HeaderNames.AUTHORIZATION)
                ? req.headers().get(HeaderNames.AUTHORIZATION).allValues() : List.of();
        switch (Credentials.of(header)) {
            case Credentials.Missing ignored -> {
                if (PROBES.contains(req.prologue().uriPath().path())) {
                    proceed(chain, req, Caller.anonymous(host));
                } else {
                    // no guess was made, so no delay: a client's first try without credentials is normal
                    unauthorized(res, "AUTHENTICATION_REQUIRED",
                            "This API needs HTTP Basic credentials or a bearer token");
                }
            }
            case Credentials.Malformed malformed -> {
                LOG.log(Level.INFO, "HTTP admin: failed authentication from " + host + ": " + malformed.reason());
                refuse(res, "Authentication failed: " + malformed.reason());
            }
            case Credentials.Password password -> {
                try {
                    KafkaPrincipal principal = authentication.authenticatePassword(password.username(),
                            password.password());
                    proceed(chain, req, new Caller(new Requester(principal, host), true));
                } catch (AuthenticationFailedException e) {
                    String message = withoutSecret(e.getMessage(), password.password());
                    LOG.log(Level.INFO, "HTTP admin: failed authentication from " + host + " as user '"
                            + printable(password.username()) + "' (HTTP Basic): " + message);
                    refuse(res, message);
                }
            }
            case Credentials.BearerToken bearer -> {
                try {
                    KafkaPrincipal principal = authentication.authenticateBearer(bearer.token());
                    proceed(chain, req, new Caller(new Requester(principal, host), true));
                } catch (AuthenticationFailedException e) {
                    String message = withoutSecret(e.getMessage(), bearer.token());
                    LOG.log(Level.INFO, "HTTP admin: failed authentication from " + host + " with a bearer token: "
                            + message);
                    refuse(res, message);
                }
            }
        }
    }

    private static void proceed(FilterChain chain, RoutingRequest req, Caller caller) {
        req.context().register(caller);
        chain.proceed();
    }

    /** A failed login: answered only after the delay, to slow down guessing. */
    private void refuse(RoutingResponse res, String message) {
        try {
            Thread.sleep(failureDelay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        unauthorized(res, "AUTHENTICATION_FAILED", message);
    }

    private static void unauthorized(RoutingResponse res, String error, String message) {
        res.header(HeaderNames.WWW_AUTHENTICATE, CHALLENGE)
                .header(HeaderNames.CACHE_CONTROL, "no-store");
        JsonResponses.send(res, Status.UNAUTHORIZED_401, error, message);
    }

    /**
     * The use case's message is meant for clients and carries no secret; should one ever echo what it
     * was given, the client and the log get a generic message instead.
     */
    private static String withoutSecret(String message, String secret) {
        if (message == null || message.isBlank()) {
            return "Authentication failed";
        }
        return !secret.isEmpty() && message.contains(secret) ? "Authentication failed" : message;
    }

    /** A user name for a log line: control characters (a forged line break) shown escaped. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 128));
        text.codePoints().limit(128).forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.codePointCount(0, text.length()) > 128 ? out.append("...").toString() : out.toString();
    }
}
