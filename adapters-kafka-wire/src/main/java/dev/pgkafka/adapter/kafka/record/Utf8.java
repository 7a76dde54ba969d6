package dev.pgkafka.adapter.kafka.record;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Header keys as UTF-8, without allocating for the usual all-ASCII key. */
final class Utf8 {
    private Utf8() {
    }

    /** Encoded length, as {@code key.getBytes(UTF_8).length}. */
    static int length(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return n;
    }

    /** Writes the encoding of {@code s}, whose length is {@code encodedLength}; returns the end position. */
    static int write(String s, int encodedLength, byte[] a, int at) {
        int n = s.length();
        if (encodedLength == n) {
            for (int i = 0; i < n; i++) {
                a[at + i] = (byte) s.charAt(i);
            }
        } else {
            System.arraycopy(s.getBytes(StandardCharsets.UTF_8), 0, a, at, encodedLength);
        }
        return at + encodedLength;
    }

    /** Decodes strictly; null when the bytes are not valid UTF-8. */
    static String decode(byte[] a, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (a[i] < 0) {
                try {
                    return StandardCharsets.UTF_8.newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(a, off, len))
                            .toString();
                } catch (CharacterCodingException e) {
                    return null;
                }
            }
        }
        return new String(a, off, len, StandardCharsets.US_ASCII);
    }
}
