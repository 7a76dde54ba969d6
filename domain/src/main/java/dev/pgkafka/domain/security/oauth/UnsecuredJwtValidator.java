package dev.pgkafka.domain.security.oauth;

import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonArray;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNumber;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonString;

/**
 * Kafka's unsecured validator ({@code OAuthBearerUnsecuredValidatorCallbackHandler}): accepts only
 * tokens with {@code "alg":"none"} and an empty signature, checks {@code exp}, {@code iat} and the
 * required scope, and trusts the claims. Anyone can write such a token, so this is for development
 * only, and only ever used when configured explicitly. Immutable and thread-safe.
 */
public final class UnsecuredJwtValidator {
    private final UnsecuredRules rules;
    private final Clock clock;

    public UnsecuredJwtValidator(UnsecuredRules rules, Clock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public UnsecuredRules rules() {
        return rules;
    }

    /**
     * @throws InvalidTokenException why not; {@link InvalidTokenException.Reason#INSUFFICIENT_SCOPE} (answered
     *                               with the required scope) when a required scope is missing
     */
    public ValidatedJwt validate(String token) throws InvalidTokenException {
        Objects.requireNonNull(token, "token");
        if (token.contains("..")) {
            throw InvalidTokenException.malformed("Malformed compact serialization contains '..'");
        }
        if (token.chars().filter(c -> c == '.').count() != 2) {
            throw InvalidTokenException.malformed(
                    "Unsecured JWS compact serializations must have 3 dot-separated Base64URL-encoded values");
        }
        CompactJws jws = CompactJws.parse(token, rules.maxTokenLength());
        if (!"none".equals(jws.algorithm())) {
            throw InvalidTokenException.of(InvalidTokenException.Reason.ALGORITHM,
                    "Unsecured JWS must have 'none' for an algorithm");
        }
        if (jws.hasSignature()) {
            throw InvalidTokenException.malformed("Unsecured JWS must not contain a digital signature");
        }
        JwtClaims claims = new JwtClaims(jws.claims());
        Set<String> scope = scope(claims);
        OptionalLong exp = claims.numericDateMillis("exp");
        if (exp.isEmpty()) {
            throw InvalidTokenException.claims("No expiration time in JWT");
        }
        String principal = principal(claims);
        OptionalLong iat = claims.numericDateMillis("iat");

        long now = clock.millis();
        int skew = rules.allowableClockSkewMs();
        if (iat.isPresent() && iat.getAsLong() > now + skew) {
            throw InvalidTokenException.claims(String.format(Locale.ROOT,
                    "The Issued At value (%f seconds) was after the indicated time (%d ms) plus allowable clock "
                            + "skew (%d ms)", iat.getAsLong() / 1000.0, now, skew));
        }
        if (now - skew >= exp.getAsLong()) {
            throw InvalidTokenException.claims(String.format(Locale.ROOT,
                    "The indicated time (%d ms) minus allowable clock skew (%d ms) was on or after the Expiration "
                            + "Time value (%f seconds)", now, skew, exp.getAsLong() / 1000.0));
        }
        if (iat.isPresent() && exp.getAsLong() <= iat.getAsLong()) {
            throw InvalidTokenException.claims(String.format(Locale.ROOT,
                    "The Expiration Time time (%f seconds) was not after the Issued At time (%f seconds)",
                    exp.getAsLong() / 1000.0, iat.getAsLong() / 1000.0));
        }
        for (String required : rules.requiredScope()) {
            if (!scope.contains(required)) {
                throw InvalidTokenException.insufficientScope(String.format(
                        "The provided scope (%s) was missing a required scope (%s).  All required scope elements: %s",
                        scope, required, rules.requiredScope()), rules.requiredScope().toString());
            }
        }
        Optional<String> issuer = claims.raw("iss").filter(JsonString.class::isInstance)
                .map(v -> ((JsonString) v).value());
        return new ValidatedJwt(principal, exp.getAsLong(), iat, scope, issuer, Optional.empty());
    }

    private String principal(JwtClaims claims) throws InvalidTokenException {
        String name = rules.principalClaimName();
        Optional<JsonValue> value = claims.raw(name);
        if (value.isPresent() && !(value.get() instanceof JsonString)) {
            throw InvalidTokenException.malformed("The '" + name + "' claim was not of type String: "
                    + value.get().kind());
        }
        String principal = value.map(v -> ((JsonString) v).value()).orElse(null);
        if (principal == null || principal.isBlank()) {
            throw InvalidTokenException.claims("No principal name in JWT claim: " + name);
        }
        return principal;
    }

    /**
     * The token's scope as Kafka's unsecured JWS reads it (blank items dropped, items trimmed), except
     * that a string claim is split at spaces (RFC 6749) instead of being one item.
     */
    private Set<String> scope(JwtClaims claims) throws InvalidTokenException {
        String name = rules.scopeClaimName();
        Optional<JsonValue> value = claims.raw(name);
        Set<String> scope = new LinkedHashSet<>();
        if (value.isEmpty()) {
            return scope;
        }
        if (value.get() instanceof JsonString s) {
            for (String item : s.value().trim().split(" +")) {
                if (!item.isBlank()) {
                    scope.add(item.trim());
                }
            }
            return scope;
        }
        if (value.get() instanceof JsonArray array) {
            for (JsonValue element : array.elements()) {
                String item = switch (element) {
                    case JsonString s -> s.value();
                    case JsonNumber n -> n.value().toString(); // Kafka reads array items as text
                    default -> throw InvalidTokenException.malformed("The '" + name
                            + "' claim holds " + element.kind() + ", not strings");
                };
                if (!item.isBlank()) {
                    scope.add(item.trim());
                }
            }
            return scope;
        }
        throw InvalidTokenException.malformed("The '" + name + "' claim was not of type List: " + value.get().kind());
    }
}
