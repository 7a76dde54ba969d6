package dev.pgkafka.adapter.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What an {@code Authorization} header claims: a user name and password (RFC 7617 Basic, UTF-8) or a
 * bearer token (RFC 6750), or why the header cannot be read. {@link #toString()} never shows a secret,
 * so a record printed by accident leaks nothing.
 */
sealed interface Credentials {
    /** Longer headers are refused unread: no JWT or password the broker checks comes close. */
    int MAX_HEADER_LENGTH = 8 * 1024;
    /** RFC 7235's token68, the characters a JWT is written in. */
    Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

    /** HTTP Basic. */
    record Password(String username, String password) implements Credentials {
        @Override
        public String toString() {
            return "Password[username=" + username + "]";
        }
    }

    /** A bearer token, a JWT as OAUTHBEARER validates it. */
    record BearerToken(String token) implements Credentials {
        @Override
        public String toString() {
            return "BearerToken";
        }
    }

    /** No credentials came. */
    record Missing() implements Credentials {
    }

    /** The header was there but is no credentials we read; {@code reason} is safe to show the client. */
    record Malformed(String reason) implements Credentials {
    }

    /** The credentials of a request's {@code Authorization} header values (one value expected). */
    static Credentials of(List<String> headerValues) {
        if (headerValues.isEmpty()) {
            return new Missing();
        }
        if (headerValues.size() > 1) {
            return new Malformed("more than one Authorization header");
        }
        return parse(headerValues.getFirst());
    }

    /** One {@code Authorization} header value: {@code scheme SP credentials}, the scheme in any case. */
    static Credentials parse(String header) {
        if (header.length() > MAX_HEADER_LENGTH) {
            return new Malformed("the Authorization header is longer than " + MAX_HEADER_LENGTH + " characters");
        }
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space <= 0) {
            return new Malformed("the Authorization header is not 'Basic <credentials>' or 'Bearer <token>'");
        }
        String scheme = value.substring(0, space).toLowerCase(Locale.ROOT);
        String rest = value.substring(space + 1).strip();
        return switch (scheme) {
            case "basic" -> basic(rest);
            case "bearer" -> bearer(rest);
            default -> new Malformed("the authentication scheme is not Basic or Bearer");
        };
    }

    private static Credentials basic(String encoded) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return new Malformed("the Basic credentials are not Base64");
        }
        String text;
        try {
            // strict: a password that is not UTF-8 must fail, not be silently changed into another one
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return new Malformed("the Basic credentials are not UTF-8");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Malformed("the Basic credentials are not 'user:password'");
        }
        if (colon == 0) {
            return new Malformed("the Basic credentials have no user name");
        }
        return new Password(text.substring(0, colon), text.substring(colon + 1));
    }

    private static Credentials bearer(String token) {
        if (!TOKEN68.matcher(token).matches()) {
            return new Malformed("the Bearer credentials are not one token");
        }
        return new BearerToken(token);
    }
}
