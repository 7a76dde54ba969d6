package dev.pgkafka.domain.security.oauth;

import java.util.Base64;

/**
 * base64url without padding (RFC 7515 section 2), strictly: only the 64 URL-safe characters, no
 * {@code =}, no whitespace, no line breaks.
 */
final class Base64Url {
    private Base64Url() {
    }

    /**
     * @throws IllegalArgumentException when the text is not unpadded base64url
     */
    static byte[] decode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                throw new IllegalArgumentException(c == '='
                        ? "padding is not allowed in base64url"
                        : "character " + describe(c) + " at index " + i + " is not base64url");
            }
        }
        if (text.length() % 4 == 1) {
            throw new IllegalArgumentException("base64url text of length " + text.length() + " is truncated");
        }
        return Base64.getUrlDecoder().decode(text);
    }

    private static String describe(char c) {
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
