package dev.pgkafka.domain.security.oauth;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A token that passed validation: who it names and until when.
 *
 * @param principalName the subject (or the configured claim), trimmed
 * @param expiresAtMs   {@code exp} in epoch milliseconds
 * @param issuedAtMs    {@code iat} in epoch milliseconds, when present
 * @param scopes        the token's scopes (empty when it has none)
 * @param issuer        {@code iss}, when present, for the log
 * @param keyId         the {@code kid} of the key that verified it, for the log
 */
public record ValidatedJwt(String principalName, long expiresAtMs, OptionalLong issuedAtMs, Set<String> scopes,
                           Optional<String> issuer, Optional<String> keyId) {
    public ValidatedJwt {
        Objects.requireNonNull(principalName, "principalName");
        Objects.requireNonNull(issuedAtMs, "issuedAtMs");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(keyId, "keyId");
    }
}
