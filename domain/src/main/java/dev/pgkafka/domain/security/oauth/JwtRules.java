package dev.pgkafka.domain.security.oauth;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a signed JWT must satisfy beyond its signature, in the terms of Kafka's
 * {@code sasl.oauthbearer.*} broker settings.
 *
 * @param clockSkewSeconds   {@code sasl.oauthbearer.clock.skew.seconds}: leeway for exp, nbf and iat
 * @param expectedAudiences  {@code sasl.oauthbearer.expected.audience}: the token's {@code aud} must name
 *                           one of them; when empty, a token that has an {@code aud} is refused (jose4j's
 *                           default, and so Kafka's)
 * @param expectedIssuer     {@code sasl.oauthbearer.expected.issuer}: the token's {@code iss} must equal it
 * @param subClaimName       {@code sasl.oauthbearer.sub.claim.name}: the claim naming the principal
 * @param scopeClaimName     {@code sasl.oauthbearer.scope.claim.name}: the claim holding the scopes
 * @param maxTokenLength     the longest token read, in chars
 */
public record JwtRules(int clockSkewSeconds, Set<String> expectedAudiences, Optional<String> expectedIssuer,
                       String subClaimName, String scopeClaimName, int maxTokenLength) {
    public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
    public static final String DEFAULT_SUB_CLAIM_NAME = "sub";
    public static final String DEFAULT_SCOPE_CLAIM_NAME = "scope";

    public JwtRules {
        if (clockSkewSeconds < 0) {
            throw new IllegalArgumentException("clock skew must not be negative: " + clockSkewSeconds);
        }
        expectedAudiences = Set.copyOf(expectedAudiences);
        Objects.requireNonNull(expectedIssuer, "expectedIssuer");
        requireName(subClaimName, "sub claim name");
        requireName(scopeClaimName, "scope claim name");
        if (maxTokenLength < 1) {
            throw new IllegalArgumentException("maxTokenLength must be positive");
        }
    }

    /** Kafka's defaults: 30 s of skew, no audience or issuer expected, {@code sub} and {@code scope}. */
    public static JwtRules defaults() {
        return new JwtRules(DEFAULT_CLOCK_SKEW_SECONDS, Set.of(), Optional.empty(), DEFAULT_SUB_CLAIM_NAME,
                DEFAULT_SCOPE_CLAIM_NAME, CompactJws.DEFAULT_MAX_LENGTH);
    }

    public JwtRules withExpectedAudiences(Set<String> audiences) {
        return new JwtRules(clockSkewSeconds, audiences, expectedIssuer, subClaimName, scopeClaimName, maxTokenLength);
    }

    public JwtRules withExpectedIssuer(String issuer) {
        return new JwtRules(clockSkewSeconds, expectedAudiences, Optional.of(issuer), subClaimName, scopeClaimName,
                maxTokenLength);
    }

    public JwtRules withClockSkewSeconds(int seconds) {
        return new JwtRules(seconds, expectedAudiences, expectedIssuer, subClaimName, scopeClaimName, maxTokenLength);
    }

    public JwtRules withClaimNames(String sub, String scope) {
        return new JwtRules(clockSkewSeconds, expectedAudiences, expectedIssuer, sub, scope, maxTokenLength);
    }

    private static void requireName(String name, String what) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the " + what + " must not be blank");
        }
    }
}
