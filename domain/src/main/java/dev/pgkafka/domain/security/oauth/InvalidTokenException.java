package dev.pgkafka.domain.security.oauth;

import java.util.Objects;
import java.util.Optional;

/**
 * A bearer token was refused. The message says why, for the broker's log: it may name the token's
 * key id, issuer, subject or claims, never the token itself. The client is told only
 * {@link #errorResponse()}, the JSON error of RFC 7628 section 3.2.2 as Kafka writes it.
 */
public final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why, in broad terms: the application refreshes its keys on {@link #UNKNOWN_KEY}. */
    public enum Reason {
        /** Not a compact JWS, not base64url, not JSON, too long, or a claim of the wrong type. */
        MALFORMED,
        /** An algorithm the validator does not accept ({@code none}, HS256, anything but RS256/ES256). */
        ALGORITHM,
        /** The token names a key id ({@code kid}) that is not in the key set. */
        UNKNOWN_KEY,
        /** No key in the set may verify this token (wrong key type, algorithm, use or key_ops). */
        NO_SUITABLE_KEY,
        /** No suitable key verifies the signature. */
        SIGNATURE,
        /** Expired, not yet valid, wrong issuer or audience, missing subject. */
        CLAIMS,
        /** Valid, but lacks a scope the broker requires (unsecured validator only). */
        INSUFFICIENT_SCOPE
    }

    /** RFC 6750's error codes, as Kafka's validators answer them. */
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";

    private final Reason reason;
    private final String errorScope;
    private final String keyId;

    private InvalidTokenException(Reason reason, String message, String errorScope, String keyId) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.errorScope = errorScope;
        this.keyId = keyId;
    }

    public static InvalidTokenException of(Reason reason, String message) {
        if (reason == Reason.INSUFFICIENT_SCOPE || reason == Reason.UNKNOWN_KEY) {
            throw new IllegalArgumentException(reason + " has its own factory");
        }
        return new InvalidTokenException(reason, message, null, null);
    }

    public static InvalidTokenException malformed(String message) {
        return of(Reason.MALFORMED, message);
    }

    public static InvalidTokenException claims(String message) {
        return of(Reason.CLAIMS, message);
    }

    /** The token's {@code kid} is not in the key set (a refresh of the set may find it). */
    public static InvalidTokenException unknownKey(String keyId, String message) {
        return new InvalidTokenException(Reason.UNKNOWN_KEY, message, null, Objects.requireNonNull(keyId));
    }

    /**
     * @param requiredScope the scope the client is told it needs, as Kafka writes it ({@code [a, b]})
     */
    public static InvalidTokenException insufficientScope(String message, String requiredScope) {
        return new InvalidTokenException(Reason.INSUFFICIENT_SCOPE, message,
                Objects.requireNonNull(requiredScope, "requiredScope"), null);
    }

    public Reason reason() {
        return reason;
    }

    /** The key id of an {@link Reason#UNKNOWN_KEY} failure. */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    /** RFC 6750's error code: {@value #INSUFFICIENT_SCOPE} or {@value #INVALID_TOKEN}. */
    public String errorStatus() {
        return reason == Reason.INSUFFICIENT_SCOPE ? INSUFFICIENT_SCOPE : INVALID_TOKEN;
    }

    public Optional<String> errorScope() {
        return Optional.ofNullable(errorScope);
    }

    /**
     * What the server answers the client's initial response with, byte for byte as Kafka's
     * {@code OAuthBearerSaslServer} writes it: {@code {"status":"invalid_token"}}, or with a scope
     * {@code {"status":"insufficient_scope", "scope":"[a, b]"}} (Kafka's separator has a space).
     * Scope items cannot contain a quote or backslash, so nothing needs escaping.
     */
    public String errorResponse() {
        StringBuilder json = new StringBuilder("{\"status\":\"").append(errorStatus()).append('"');
        if (errorScope != null) {
            json.append(", \"scope\":\"").append(errorScope).append('"');
        }
        return json.append('}').toString();
    }
}
