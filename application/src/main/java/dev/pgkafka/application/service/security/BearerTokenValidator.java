package dev.pgkafka.application.service.security;

import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * Validates a bearer token (an OAUTHBEARER login's JWT, or an HTTP {@code Authorization: Bearer}
 * header) and tells who it names and until when.
 */
public interface BearerTokenValidator {

    ValidatedToken validate(String token) throws AuthenticationFailedException;

    /**
     * @param expiresAtMs the token's {@code exp}, in epoch milliseconds
     */
    record ValidatedToken(KafkaPrincipal principal, long expiresAtMs, java.util.Set<String> scopes) {
    }
}
