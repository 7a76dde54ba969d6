package dev.pgkafka.domain.security.oauth;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonObject;

/**
 * A JWS in compact serialization (RFC 7515 section 7.1), taken apart but not yet trusted:
 * {@code base64url(header) . base64url(payload) . base64url(signature)}, exactly three parts, each
 * unpadded base64url, header and payload JSON objects. The payload is read as a JWT claims set.
 */
public final class CompactJws {
    /** Longest token accepted by default (Azure AD tokens with group claims run to a few KiB). */
    public static final int DEFAULT_MAX_LENGTH = 64 * 1024;
    /** JWT headers and claims nest a few levels at most (Keycloak's resource_access is three). */
    private static final int MAX_JSON_DEPTH = 16;

    private final JsonObject header;
    private final JsonObject claims;
    private final String algorithm;
    private final String keyId;
    private final byte[] signingInput;
    private final byte[] signature;

    private CompactJws(JsonObject header, JsonObject claims, String algorithm, String keyId,
                       byte[] signingInput, byte[] signature) {
        this.header = header;
        this.claims = claims;
        this.algorithm = algorithm;
        this.keyId = keyId;
        this.signingInput = signingInput;
        this.signature = signature;
    }

    /**
     * Takes a token apart. Surrounding whitespace is trimmed, as Kafka's {@code SerializedJwt} does; the
     * signature part may be empty (an unsecured JWS), the header and payload may not. Messages never
     * quote the token.
     *
     * @param maxLength the longest token accepted, in chars
     * @throws InvalidTokenException ({@link InvalidTokenException.Reason#MALFORMED}) when it is not one
     */
    public static CompactJws parse(String token, int maxLength) throws InvalidTokenException {
        String jwt = token == null ? "" : token.trim();
        if (jwt.isEmpty()) {
            throw InvalidTokenException.malformed(
                    "Empty JWT provided; expected three sections (header, payload, and signature)");
        }
        if (jwt.length() > maxLength) {
            throw InvalidTokenException.malformed("JWT of " + jwt.length()
                    + " characters is longer than the limit of " + maxLength);
        }
        int firstDot = jwt.indexOf('.');
        int secondDot = firstDot < 0 ? -1 : jwt.indexOf('.', firstDot + 1);
        if (secondDot < 0 || jwt.indexOf('.', secondDot + 1) >= 0) {
            long sections = jwt.chars().filter(c -> c == '.').count() + 1;
            throw InvalidTokenException.malformed("Malformed JWT provided; expected three sections "
                    + "(header, payload, and signature), but " + sections + " sections provided");
        }
        String headerPart = jwt.substring(0, firstDot);
        String payloadPart = jwt.substring(firstDot + 1, secondDot);
        String signaturePart = jwt.substring(secondDot + 1);
        requirePresent(headerPart, "header");
        requirePresent(payloadPart, "payload");

        JsonReader reader = new JsonReader(maxLength, MAX_JSON_DEPTH);
        JsonObject header = json(reader, headerPart, "header");
        JsonObject claims = json(reader, payloadPart, "payload");
        byte[] signature = decode(signaturePart, "signature");

        String algorithm;
        String keyId;
        try {
            algorithm = header.string("alg").orElseThrow(
                    () -> InvalidTokenException.malformed("The JWS header has no algorithm (alg)"));
            keyId = header.string("kid").orElse(null);
        } catch (MalformedJsonException e) {
            throw InvalidTokenException.malformed("Malformed JWS header: " + e.getMessage());
        }
        if (header.get("crit").isPresent()) {
            // RFC 7515 section 4.1.11: extensions we do not understand make the JWS invalid.
            throw InvalidTokenException.malformed(
                    "The JWS header marks extensions as critical (crit), which are not supported");
        }
        byte[] signingInput = jwt.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
        return new CompactJws(header, claims, algorithm, keyId, signingInput, signature);
    }

    private static void requirePresent(String part, String name) throws InvalidTokenException {
        if (part.isEmpty()) {
            throw InvalidTokenException.malformed("Malformed JWT provided; expected at least three sections "
                    + "(header, payload, and signature), but " + name + " section missing");
        }
    }

    private static byte[] decode(String part, String name) throws InvalidTokenException {
        try {
            return Base64Url.decode(part);
        } catch (IllegalArgumentException e) {
            throw InvalidTokenException.malformed("Malformed JWT provided; the " + name
                    + " section is not base64url: " + e.getMessage());
        }
    }

    private static JsonObject json(JsonReader reader, String part, String name) throws InvalidTokenException {
        byte[] bytes = decode(part, name);
        try {
            return reader.readObject(bytes);
        } catch (MalformedJsonException e) {
            throw InvalidTokenException.malformed("Malformed JWT provided; the " + name
                    + " section is not a JSON object: " + e.getMessage());
        }
    }

    /**
     * What a token says about itself, unverified, for a log line about it: its {@code alg}, {@code kid},
     * {@code iss} and {@code sub}, shortened and with control characters escaped; never the token.
     */
    public static String describe(String token) {
        CompactJws jws;
        try {
            jws = parse(token, DEFAULT_MAX_LENGTH);
        } catch (InvalidTokenException e) {
            return "not a readable JWS";
        }
        StringBuilder out = new StringBuilder("alg ").append(JwtValidator.shorten(jws.algorithm()));
        jws.keyId().ifPresent(kid -> out.append(", kid ").append(JwtValidator.shorten(kid)));
        for (String claim : new String[] {"iss", "sub"}) {
            if (jws.claims().get(claim).orElse(null) instanceof JsonValue.JsonString s) {
                out.append(", ").append(claim).append(' ').append(JwtValidator.shorten(s.value()));
            }
        }
        return out.toString();
    }

    public JsonObject header() {
        return header;
    }

    /** The payload, as a JWT claims set. */
    public JsonObject claims() {
        return claims;
    }

    /** The header's {@code alg}, as written. */
    public String algorithm() {
        return algorithm;
    }

    /** The header's {@code kid}. */
    public Optional<String> keyId() {
        return Optional.ofNullable(keyId);
    }

    /** The bytes the signature covers: the first two parts and the dot between them, as ASCII. */
    public byte[] signingInput() {
        return signingInput.clone();
    }

    /** The decoded signature; empty for an unsecured JWS. */
    public byte[] signature() {
        return signature.clone();
    }

    boolean hasSignature() {
        return signature.length > 0;
    }

    byte[] signingInputView() {
        return signingInput;
    }

    byte[] signatureView() {
        return signature;
    }
}
