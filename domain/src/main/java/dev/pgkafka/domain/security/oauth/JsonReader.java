package dev.pgkafka.domain.security.oauth;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonArray;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonBoolean;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNull;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNumber;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonObject;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonString;

/**
 * A strict JSON reader (RFC 8259) for what arrives from strangers: JWT headers and claims, and JWKS
 * documents. It accepts exactly the RFC's grammar (no comments, no trailing commas, no single quotes,
 * no NaN, no leading zeros, no unescaped control characters, no lone surrogates) and refuses an
 * object that names a member twice, as RFC 7515 allows a JWS parser to do, so that no two readers
 * of one token can disagree on its claims.
 *
 * <p>Hostile input is bounded: the document's length is checked before anything is read, nesting is
 * limited (the reader recurses once per level, so the limit also bounds its stack), and a number
 * literal may not be longer than {@value #MAX_NUMBER_LENGTH} characters. Immutable and thread-safe.
 */
public final class JsonReader {
    /** Longest number literal read; longer ones are refused rather than handed to BigDecimal. */
    public static final int MAX_NUMBER_LENGTH = 256;

    private final int maxLength;
    private final int maxDepth;

    /**
     * @param maxLength the longest document, in chars, read at all
     * @param maxDepth  how deeply arrays and objects may nest (1: a flat object)
     */
    public JsonReader(int maxLength, int maxDepth) {
        if (maxLength < 1 || maxDepth < 1) {
            throw new IllegalArgumentException("maxLength and maxDepth must be positive");
        }
        this.maxLength = maxLength;
        this.maxDepth = maxDepth;
    }

    /** Reads one JSON document (any value, surrounded by optional whitespace). */
    public JsonValue read(String text) {
        if (text.length() > maxLength) {
            throw new MalformedJsonException("JSON document of " + text.length()
                    + " characters exceeds the limit of " + maxLength);
        }
        Parse parse = new Parse(text);
        parse.skipWhitespace();
        JsonValue value = parse.value(0);
        parse.skipWhitespace();
        if (parse.pos != text.length()) {
            throw parse.error("unexpected " + parse.describeCurrent() + " after the end of the document");
        }
        return value;
    }

    /** Reads a UTF-8 document; malformed UTF-8 is refused, as RFC 8259 requires UTF-8. */
    public JsonValue read(byte[] utf8) {
        if (utf8.length > maxLength * 4L) { // no UTF-8 byte sequence yields fewer than 1 char per 4 bytes
            throw new MalformedJsonException("JSON document of " + utf8.length
                    + " bytes exceeds the limit of " + maxLength + " characters");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedJsonException("JSON document is not valid UTF-8");
        }
        return read(text);
    }

    /** Reads a document that must be an object (a JWT header or claims set, a JWKS). */
    public JsonObject readObject(String text) {
        JsonValue value = read(text);
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new MalformedJsonException("expected a JSON object but the document is " + article(value.kind()));
    }

    /** Reads a UTF-8 document that must be an object. */
    public JsonObject readObject(byte[] utf8) {
        JsonValue value = read(utf8);
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new MalformedJsonException("expected a JSON object but the document is " + article(value.kind()));
    }

    private static String article(String kind) {
        return (kind.startsWith("a") || kind.startsWith("o") ? "an " : "a ") + kind;
    }

    /** One pass over one document. */
    private final class Parse {
        private final String text;
        private int pos;

        Parse(String text) {
            this.text = text;
        }

        JsonValue value(int depth) {
            if (pos >= text.length()) {
                throw error("unexpected end of input, expected a value");
            }
            char c = text.charAt(pos);
            return switch (c) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> new JsonString(string());
                case 't' -> literal("true", new JsonBoolean(true));
                case 'f' -> literal("false", new JsonBoolean(false));
                case 'n' -> literal("null", JsonNull.INSTANCE);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected " + describeCurrent() + ", expected a value");
                }
            };
        }

        private JsonObject object(int depth) {
            checkDepth(depth);
            pos++; // '{'
            Map<String, JsonValue> members = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}') {
                pos++;
                return new JsonObject(members);
            }
            while (true) {
                skipWhitespace();
                if (peek() != '"') {
                    throw error("unexpected " + describeCurrent() + ", expected a member name in double quotes");
                }
                int nameAt = pos;
                String name = string();
                skipWhitespace();
                expect(':', "after a member name");
                skipWhitespace();
                JsonValue value = value(depth);
                if (members.putIfAbsent(name, value) != null) {
                    throw new MalformedJsonException("duplicate member name " + quoteShort(name)
                            + " at offset " + nameAt);
                }
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == '}') {
                    pos++;
                    return new JsonObject(members);
                } else {
                    throw error("unexpected " + describeCurrent() + ", expected ',' or '}' in an object");
                }
            }
        }

        private JsonArray array(int depth) {
            checkDepth(depth);
            pos++; // '['
            List<JsonValue> elements = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']') {
                pos++;
                return new JsonArray(elements);
            }
            while (true) {
                skipWhitespace();
                elements.add(value(depth));
                skipWhitespace();
                char c = peek();
                if (c == ',') {
                    pos++;
                } else if (c == ']') {
                    pos++;
                    return new JsonArray(elements);
                } else {
                    throw error("unexpected " + describeCurrent() + ", expected ',' or ']' in an array");
                }
            }
        }

        private String string() {
            int start = pos;
            pos++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw new MalformedJsonException("unterminated string starting at offset " + start);
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    pos++;
                    return out.toString();
                }
                if (c == '\\') {
                    escape(out);
                } else if (c < 0x20) {
                    throw error("unescaped control character " + describeCurrent() + " in a string");
                } else if (Character.isSurrogate(c)) {
                    // Only reachable from a String built elsewhere: decoded UTF-8 holds only valid pairs.
                    if (Character.isHighSurrogate(c) && pos + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(pos + 1))) {
                        out.append(c).append(text.charAt(pos + 1));
                        pos += 2;
                    } else {
                        throw error("lone surrogate " + describeCurrent() + " in a string");
                    }
                } else {
                    out.append(c);
                    pos++;
                }
            }
        }

        private void escape(StringBuilder out) {
            int at = pos;
            pos++; // backslash
            if (pos >= text.length()) {
                throw error("unterminated escape sequence");
            }
            char c = text.charAt(pos++);
            switch (c) {
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case '/' -> out.append('/');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    char unit = hex4(at);
                    if (Character.isHighSurrogate(unit)) {
                        if (pos + 1 < text.length() && text.charAt(pos) == '\\' && text.charAt(pos + 1) == 'u') {
                            int lowAt = pos;
                            pos += 2;
                            char low = hex4(lowAt);
                            if (!Character.isLowSurrogate(low)) {
                                throw new MalformedJsonException("high surrogate escape at offset " + at
                                        + " is not followed by a low surrogate escape");
                            }
                            out.append(unit).append(low);
                        } else {
                            throw new MalformedJsonException("high surrogate escape at offset " + at
                                    + " is not followed by a low surrogate escape");
                        }
                    } else if (Character.isLowSurrogate(unit)) {
                        throw new MalformedJsonException("lone low surrogate escape at offset " + at);
                    } else {
                        out.append(unit);
                    }
                }
                default -> {
                    pos--;
                    throw error("invalid escape sequence \\" + describeCurrent());
                }
            }
        }

        private char hex4(int escapeAt) {
            if (pos + 4 > text.length()) {
                throw new MalformedJsonException("truncated \\u escape at offset " + escapeAt);
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = hexDigit(text.charAt(pos + i));
                if (digit < 0) {
                    throw new MalformedJsonException("invalid \\u escape at offset " + escapeAt
                            + ": expected four hex digits");
                }
                value = value * 16 + digit;
            }
            pos += 4;
            return (char) value;
        }

        private JsonNumber number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
                if (isDigit(peek())) {
                    throw error("leading zeros are not allowed in a number");
                }
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw error("unexpected " + describeCurrent() + ", expected a digit");
            }
            if (peek() == '.') {
                pos++;
                if (!isDigit(peek())) {
                    throw error("unexpected " + describeCurrent() + ", expected a digit after the decimal point");
                }
                digits();
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!isDigit(peek())) {
                    throw error("unexpected " + describeCurrent() + ", expected a digit in the exponent");
                }
                digits();
            }
            if (pos - start > MAX_NUMBER_LENGTH) {
                throw new MalformedJsonException("number at offset " + start + " is longer than "
                        + MAX_NUMBER_LENGTH + " characters");
            }
            try {
                return new JsonNumber(new BigDecimal(text.substring(start, pos)));
            } catch (NumberFormatException e) { // an exponent beyond the range of int
                throw new MalformedJsonException("number at offset " + start + " is out of range");
            }
        }

        private static int hexDigit(char c) {
            if (c >= '0' && c <= '9') {
                return c - '0';
            }
            if (c >= 'a' && c <= 'f') {
                return c - 'a' + 10;
            }
            if (c >= 'A' && c <= 'F') {
                return c - 'A' + 10;
            }
            return -1;
        }

        private void digits() {
            while (isDigit(peek())) {
                pos++;
            }
        }

        private JsonValue literal(String word, JsonValue value) {
            if (!text.startsWith(word, pos)) {
                throw error("unexpected " + describeCurrent() + ", expected a value");
            }
            pos += word.length();
            return value;
        }

        private void checkDepth(int depth) {
            if (depth > maxDepth) {
                throw error("arrays and objects nest deeper than " + maxDepth + " levels");
            }
        }

        private void expect(char c, String where) {
            if (peek() != c) {
                throw error("unexpected " + describeCurrent() + ", expected '" + c + "' " + where);
            }
            pos++;
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        /** The current char, or NUL at the end (NUL is never valid where peek's answer is tested). */
        private char peek() {
            return pos < text.length() ? text.charAt(pos) : '\0';
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        String describeCurrent() {
            if (pos >= text.length()) {
                return "end of input";
            }
            char c = text.charAt(pos);
            if (c >= 0x20 && c < 0x7f) {
                return "'" + c + "'";
            }
            return String.format("U+%04X", (int) c);
        }

        MalformedJsonException error(String what) {
            return new MalformedJsonException("malformed JSON at offset " + pos + ": " + what);
        }
    }

    private static String quoteShort(String name) {
        return name.length() <= 40 ? "\"" + name + "\"" : "\"" + name.substring(0, 40) + "...\"";
    }
}
