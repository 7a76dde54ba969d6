package dev.pgkafka.application.service.security.oauth;

import java.nio.file.Path;
import java.time.Clock;

import dev.pgkafka.application.service.security.BearerTokenValidator;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;

/**
 * A listener's OAUTHBEARER token validator: signed tokens against a JWKS, or Kafka's unsecured
 * tokens. One per listener, shared by its logins (and by the HTTP admin API's bearer authentication);
 * thread-safe. {@link #close()} stops the background refresh of the keys.
 */
public sealed interface OAuthBearerTokenValidator extends BearerTokenValidator, AutoCloseable
        permits JwtBearerTokenValidator, UnsecuredBearerTokenValidator {

    /**
     * Validates a token, saying why not in the terms Kafka answers an OAUTHBEARER client with. The
     * reason is logged here (with the token's key id, issuer and subject at most, never the token).
     */
    ValidatedToken check(String token) throws InvalidTokenException;

    /**
     * {@inheritDoc}
     *
     * <p>A refused token's message is the JSON an OAUTHBEARER client is answered with, such as
     * {@code {"status":"invalid_token"}}; the reason is in the broker's log only.
     */
    @Override
    default ValidatedToken validate(String token) throws AuthenticationFailedException {
        try {
            return check(token);
        } catch (InvalidTokenException e) {
            throw new AuthenticationFailedException(e.errorResponse());
        }
    }

    /** Stops refreshing keys (JWKS mode); validation goes on with the keys last read. */
    @Override
    void close();

    /**
     * The validator the settings describe: for a JWKS, the key set is read first (from the file, or
     * fetched with retries) and then kept fresh in the background.
     *
     * @throws JwksUnavailableException when the key set cannot be read
     */
    static OAuthBearerTokenValidator open(OAuthBearerSettings settings, Clock clock) {
        return switch (settings.mode()) {
            case UNSECURED -> new UnsecuredBearerTokenValidator(settings.unsecured(), clock);
            case JWKS -> new JwtBearerTokenValidator(settings.jwtRules(), openJwks(settings, clock), clock);
        };
    }

    /** The key source of a JWKS-mode listener, started. */
    static JwksSource openJwks(OAuthBearerSettings settings, Clock clock) {
        java.net.URI uri = settings.jwksEndpointUrl().orElseThrow();
        if ("file".equalsIgnoreCase(uri.getScheme())) {
            return new FileJwksSource(Path.of(OAuthBearerSettings.filePath(uri)), clock);
        }
        HttpJwksSource.Timing timing = HttpJwksSource.Timing.of(settings);
        return new HttpJwksSource(uri, timing, clock).start();
    }
}
