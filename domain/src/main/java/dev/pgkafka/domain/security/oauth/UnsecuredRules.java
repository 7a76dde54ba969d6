package dev.pgkafka.domain.security.oauth;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What Kafka's {@code OAuthBearerUnsecuredValidatorCallbackHandler} checks, from its JAAS options.
 *
 * @param principalClaimName   {@code unsecuredValidatorPrincipalClaimName} (default {@code sub})
 * @param scopeClaimName       {@code unsecuredValidatorScopeClaimName} (default {@code scope})
 * @param requiredScope        {@code unsecuredValidatorRequiredScope}, space-separated in the option
 * @param allowableClockSkewMs {@code unsecuredValidatorAllowableClockSkewMs} (default 0)
 * @param maxTokenLength       the longest token read, in chars
 */
public record UnsecuredRules(String principalClaimName, String scopeClaimName, List<String> requiredScope,
                             int allowableClockSkewMs, int maxTokenLength) {
    /** RFC 6749's scope-token characters: printable ASCII but space, quote and backslash. */
    private static final Pattern SCOPE_ITEM = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");

    public UnsecuredRules {
        if (principalClaimName == null || principalClaimName.isBlank()) {
            throw new IllegalArgumentException("Must specify a non-blank principal claim name");
        }
        if (scopeClaimName == null || scopeClaimName.isBlank()) {
            throw new IllegalArgumentException("Must specify a non-blank scope claim name");
        }
        principalClaimName = principalClaimName.trim();
        scopeClaimName = scopeClaimName.trim();
        requiredScope = List.copyOf(requiredScope);
        for (String item : requiredScope) {
            if (!SCOPE_ITEM.matcher(item).matches()) {
                throw new IllegalArgumentException("Invalid scope value: " + item);
            }
        }
        if (allowableClockSkewMs < 0) {
            throw new IllegalArgumentException("Allowable clock skew millis must not be negative: "
                    + allowableClockSkewMs);
        }
        if (maxTokenLength < 1) {
            throw new IllegalArgumentException("maxTokenLength must be positive");
        }
    }

    /** Kafka's defaults: {@code sub}, {@code scope}, no required scope, no skew. */
    public static UnsecuredRules defaults() {
        return new UnsecuredRules("sub", "scope", List.of(), 0, CompactJws.DEFAULT_MAX_LENGTH);
    }

    /** Splits a space-separated scope as Kafka's {@code OAuthBearerScopeUtils.parseScope} does. */
    public static List<String> parseScope(String spaceDelimited) {
        return java.util.Arrays.stream(spaceDelimited.split(" ")).filter(s -> !s.isEmpty()).toList();
    }
}
