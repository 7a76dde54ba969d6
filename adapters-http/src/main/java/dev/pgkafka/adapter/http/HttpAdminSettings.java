package dev.pgkafka.adapter.http;

import java.time.Duration;
import java.util.Objects;

import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.AuthorizationUseCase;

/**
 * How the HTTP admin listener serves: where, over HTTP or HTTPS, and who may ask what.
 *
 * @param host                      the address to bind
 * @param port                      0 picks a free port
 * @param tls                       HTTPS settings, or null for plain HTTP
 * @param authenticationRequired    whether every request but the health probes must carry HTTP Basic
 *                                  or Bearer credentials ({@code pgkafka.http.authentication=required});
 *                                  without it every request is {@code User:ANONYMOUS}
 * @param authentication            checks the credentials; required when authentication is
 * @param authorization             decides what a principal may see ({@link AuthorizationUseCase#ALLOW_ALL}
 *                                  shows everything)
 * @param failedAuthenticationDelay how long a failed login waits before its 401, to slow down
 *                                  password guessing (Kafka's {@code connection.failed.authentication.delay.ms})
 */
public record HttpAdminSettings(String host, int port, HttpTlsSettings tls, boolean authenticationRequired,
                                AuthenticationUseCase authentication, AuthorizationUseCase authorization,
                                Duration failedAuthenticationDelay) {
    /** Kafka's default {@code connection.failed.authentication.delay.ms}. */
    public static final Duration DEFAULT_FAILED_AUTHENTICATION_DELAY = Duration.ofMillis(100);

    public HttpAdminSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is not a TCP port");
        }
        if (authenticationRequired && authentication == null) {
            throw new IllegalArgumentException("authentication is required but nothing checks credentials");
        }
        authorization = authorization == null ? AuthorizationUseCase.ALLOW_ALL : authorization;
        failedAuthenticationDelay = failedAuthenticationDelay == null ? DEFAULT_FAILED_AUTHENTICATION_DELAY
                : failedAuthenticationDelay;
        if (failedAuthenticationDelay.isNegative()) {
            throw new IllegalArgumentException("the failed authentication delay must not be negative");
        }
    }

    /** Plain HTTP, no authentication, everything visible: what the admin API does without security. */
    public static HttpAdminSettings plain(String host, int port) {
        return new HttpAdminSettings(host, port, null, false, null, AuthorizationUseCase.ALLOW_ALL,
                DEFAULT_FAILED_AUTHENTICATION_DELAY);
    }

    /** The same settings serving HTTPS. */
    public HttpAdminSettings withTls(HttpTlsSettings tls) {
        return new HttpAdminSettings(host, port, tls, authenticationRequired, authentication, authorization,
                failedAuthenticationDelay);
    }

    /** The same settings checking credentials with {@code authentication}, when {@code required}. */
    public HttpAdminSettings withAuthentication(AuthenticationUseCase authentication, boolean required) {
        return new HttpAdminSettings(host, port, tls, required, authentication, authorization,
                failedAuthenticationDelay);
    }

    /** The same settings showing only what {@code authorization} lets a principal DESCRIBE. */
    public HttpAdminSettings withAuthorization(AuthorizationUseCase authorization) {
        return new HttpAdminSettings(host, port, tls, authenticationRequired, authentication, authorization,
                failedAuthenticationDelay);
    }

    /** The same settings with another delay before a failed login is answered. */
    public HttpAdminSettings withFailedAuthenticationDelay(Duration delay) {
        return new HttpAdminSettings(host, port, tls, authenticationRequired, authentication, authorization, delay);
    }

    /** Whether the listener serves HTTPS. */
    public boolean isHttps() {
        return tls != null;
    }
}
