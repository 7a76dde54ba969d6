package dev.pgkafka.domain.security.oauth;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client's first (and only) message of an OAUTHBEARER login (RFC 7628 section 3.1), read as
 * Kafka's {@code OAuthBearerClientInitialResponse} reads it:
 * <pre>
 * "n," ["a=" saslname] "," %x01 *(key "=" value %x01) %x01
 * </pre>
 * where one of the pairs is {@code auth=Bearer <token>} and the others are SASL extensions (KIP-342).
 * Like Kafka, the authorization id is kept as sent ({@code =2C} and {@code =3D} are not decoded) and a
 * repeated key keeps its last value.
 *
 * @param authorizationId the GS2 authorization id, or empty
 * @param token           the bearer token
 * @param extensions      the other key/value pairs, in order
 */
public record ClientInitialResponse(String authorizationId, String token, Map<String, String> extensions) {
    static final byte SEPARATOR = 0x01;
    public static final String AUTH_KEY = "auth";
    /** The {@code auth} value: a scheme, spaces, and an RFC 6750 b64token. */
    private static final Pattern AUTH_VALUE = Pattern.compile("(?<scheme>\\w+) +(?<token>[-_~+/.a-zA-Z0-9]+=*)");

    public static final String INVALID = "Invalid OAUTHBEARER client first message";

    public ClientInitialResponse {
        Objects.requireNonNull(authorizationId, "authorizationId");
        Objects.requireNonNull(token, "token");
        extensions = Map.copyOf(extensions);
    }

    /**
     * @throws IllegalArgumentException with Kafka's message when the message is not a client initial
     *                                  response or has no bearer token; the message never holds the token
     */
    public static ClientInitialResponse parse(byte[] message) {
        Scan scan = new Scan(message);
        scan.expect('n');
        scan.expect(',');
        String authzid = "";
        if (scan.at('a')) {
            scan.expect('a');
            scan.expect('=');
            authzid = scan.saslName();
        }
        scan.expect(',');
        scan.expect(SEPARATOR);
        Map<String, String> pairs = new LinkedHashMap<>();
        while (!scan.atLastSeparator()) {
            String key = scan.key();
            scan.expect('=');
            String value = scan.value();
            scan.expect(SEPARATOR);
            pairs.remove(key); // a repeated key keeps its last value, at its last place
            pairs.put(key, value);
        }
        String auth = pairs.remove(AUTH_KEY);
        if (auth == null) {
            throw new IllegalArgumentException(INVALID + ": 'auth' not specified");
        }
        Matcher matcher = AUTH_VALUE.matcher(auth);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(INVALID + ": invalid 'auth' format");
        }
        if (!"bearer".equalsIgnoreCase(matcher.group("scheme"))) {
            throw new IllegalArgumentException("Invalid scheme in OAUTHBEARER client first message: "
                    + matcher.group("scheme"));
        }
        return new ClientInitialResponse(authzid, matcher.group("token"), pairs);
    }

    /** The message a Kafka client sends for this response (as {@code OAuthBearerClientInitialResponse.toBytes}). */
    public byte[] toBytes() {
        StringBuilder out = new StringBuilder("n,");
        if (!authorizationId.isEmpty()) {
            out.append("a=").append(authorizationId);
        }
        out.append(',').append((char) SEPARATOR).append(AUTH_KEY).append("=Bearer ").append(token);
        extensions.forEach((k, v) -> out.append((char) SEPARATOR).append(k).append('=').append(v));
        out.append((char) SEPARATOR).append((char) SEPARATOR);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() { // the token is a credential
        return "ClientInitialResponse[authorizationId=" + authorizationId + ", extensions=" + extensions.keySet() + "]";
    }

    /** A cursor over the message bytes; any byte outside the grammar ends the parse. */
    private static final class Scan {
        private final byte[] bytes;
        private int pos;

        Scan(byte[] bytes) {
            this.bytes = bytes;
        }

        boolean at(char c) {
            return pos < bytes.length && bytes[pos] == c;
        }

        void expect(char c) {
            expect((byte) c);
        }

        void expect(byte b) {
            if (pos >= bytes.length || bytes[pos] != b) {
                throw new IllegalArgumentException(INVALID);
            }
            pos++;
        }

        /** The closing %x01: the last byte of the message, right after a pair's separator. */
        boolean atLastSeparator() {
            if (pos == bytes.length - 1 && bytes[pos] == SEPARATOR) {
                pos++;
                return true;
            }
            return false;
        }

        /** RFC 5801's saslname: 1*(UTF8-char-safe / "=2C" / "=3D"), ASCII only as Kafka reads it. */
        String saslName() {
            int start = pos;
            while (pos < bytes.length && bytes[pos] != ',') {
                byte b = bytes[pos];
                if (b == '=') {
                    if (pos + 2 < bytes.length && bytes[pos + 1] == '3' && bytes[pos + 2] == 'D'
                            || pos + 2 < bytes.length && bytes[pos + 1] == '2' && bytes[pos + 2] == 'C') {
                        pos += 3;
                        continue;
                    }
                    throw new IllegalArgumentException(INVALID);
                }
                if (b < 0x01) { // bytes above 0x7F are negative
                    throw new IllegalArgumentException(INVALID);
                }
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException(INVALID);
            }
            return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
        }

        /** 1*ALPHA */
        String key() {
            int start = pos;
            while (pos < bytes.length && ((bytes[pos] >= 'a' && bytes[pos] <= 'z') || (bytes[pos] >= 'A' && bytes[pos] <= 'Z'))) {
                pos++;
            }
            if (pos == start) {
                throw new IllegalArgumentException(INVALID);
            }
            return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
        }

        /** 1*(%x21-7E / SP / HTAB / CR / LF) */
        String value() {
            int start = pos;
            while (pos < bytes.length) {
                byte b = bytes[pos];
                if ((b >= 0x21 && b <= 0x7E) || b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                    pos++;
                } else {
                    break;
                }
            }
            if (pos == start) {
                throw new IllegalArgumentException(INVALID);
            }
            return new String(bytes, start, pos - start, StandardCharsets.US_ASCII);
        }
    }
}
