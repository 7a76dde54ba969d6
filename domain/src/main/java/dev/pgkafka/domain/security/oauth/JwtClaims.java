package dev.pgkafka.domain.security.oauth;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonArray;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNumber;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonObject;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonString;

/** Typed reads of a JWT claims set (RFC 7519 section 4); a claim of the wrong type makes the token malformed. */
final class JwtClaims {
    /** Seconds beyond which a NumericDate no longer fits epoch milliseconds in a long. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(Long.MAX_VALUE / 1000);

    private final JsonObject claims;

    JwtClaims(JsonObject claims) {
        this.claims = claims;
    }

    Optional<JsonValue> raw(String name) {
        return claims.get(name);
    }

    /** A NumericDate claim (seconds since the epoch, fractions allowed) in epoch milliseconds. */
    OptionalLong numericDateMillis(String name) throws InvalidTokenException {
        Optional<JsonValue> value = claims.get(name);
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        if (!(value.get() instanceof JsonNumber number)) {
            throw InvalidTokenException.malformed("The value of the '" + name
                    + "' claim is not a NumericDate (a number of seconds) but " + value.get().kind());
        }
        if (number.value().abs().compareTo(MAX_SECONDS) > 0) {
            throw InvalidTokenException.malformed("The value of the '" + name + "' claim is out of range");
        }
        return OptionalLong.of(number.value().movePointRight(3).setScale(0, RoundingMode.FLOOR).longValueExact());
    }

    /** A string claim, or empty when absent. */
    Optional<String> string(String name) throws InvalidTokenException {
        Optional<JsonValue> value = claims.get(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get() instanceof JsonString s) {
            return Optional.of(s.value());
        }
        throw InvalidTokenException.malformed("Could not extract the '" + name
                + "' claim from the access token: it is " + value.get().kind() + ", not a string");
    }

    /** {@code aud}: one string or an array of strings (RFC 7519 section 4.1.3); empty when absent. */
    Optional<List<String>> audiences() throws InvalidTokenException {
        Optional<JsonValue> value = claims.get("aud");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.get() instanceof JsonString s) {
            return Optional.of(List.of(s.value()));
        }
        if (value.get() instanceof JsonArray array) {
            List<String> audiences = new ArrayList<>();
            for (JsonValue element : array.elements()) {
                if (!(element instanceof JsonString s)) {
                    throw InvalidTokenException.malformed(
                            "The value of the 'aud' claim is not a string or an array of strings");
                }
                audiences.add(s.value());
            }
            return Optional.of(audiences);
        }
        throw InvalidTokenException.malformed("The value of the 'aud' claim is not a string or an array of strings");
    }

    /**
     * The scope claim's items, before validation: a string is split at spaces (RFC 6749 section 3.3,
     * RFC 9068), an array gives its strings; absent or of another type, none (as Kafka reads it).
     */
    List<String> scopeItems(String name) throws InvalidTokenException {
        Optional<JsonValue> value = claims.get(name);
        if (value.isEmpty()) {
            return List.of();
        }
        if (value.get() instanceof JsonString s) {
            String trimmed = s.value().trim();
            return trimmed.isEmpty() ? List.of(s.value()) : List.of(trimmed.split(" +"));
        }
        if (value.get() instanceof JsonArray array) {
            List<String> items = new ArrayList<>();
            for (JsonValue element : array.elements()) {
                if (!(element instanceof JsonString s)) {
                    throw InvalidTokenException.malformed("Could not extract the '" + name
                            + "' claim from the access token: it holds " + element.kind() + ", not strings");
                }
                items.add(s.value());
            }
            return items;
        }
        return List.of();
    }

    /**
     * Kafka's {@code ClaimValidationUtils.validateScopes}: every item non-blank (trimmed), no duplicates.
     */
    static Set<String> validateScopes(String claimName, List<String> items) throws InvalidTokenException {
        Set<String> scopes = new LinkedHashSet<>();
        for (String item : items) {
            String scope = validateString(claimName, item);
            if (!scopes.add(scope)) {
                throw InvalidTokenException.claims(claimName + " value must not contain duplicates - " + scope
                        + " already present");
            }
        }
        return scopes;
    }

    /** Kafka's {@code ClaimValidationUtils.validateString}: non-null, non-empty, not only whitespace; trimmed. */
    static String validateString(String claimName, String value) throws InvalidTokenException {
        if (value == null) {
            throw InvalidTokenException.claims(claimName + " value must be non-null");
        }
        if (value.isEmpty()) {
            throw InvalidTokenException.claims(claimName + " value must be non-empty");
        }
        String trimmed = value.trim();
        if (trimmed.isEmpty()) {
            throw InvalidTokenException.claims(claimName + " value must not contain only whitespace");
        }
        return trimmed;
    }
}
