package dev.pgkafka.domain.security.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonArray;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonBoolean;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNull;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonNumber;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonObject;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonString;

/** The strict reader against RFC 8259's grammar, and against input written to hurt it. */
class JsonReaderTest {
    private final JsonReader reader = new JsonReader(10_000, 16);

    @Test
    void readsEveryKindOfValue() {
        JsonObject o = reader.readObject("""
                { "s": "x", "n": -12.5e2, "i": 0, "t": true, "f": false, "z": null,
                  "a": [1, [], {}], "o": {"k": "v"} }
                """);
        assertEquals(new JsonString("x"), o.members().get("s"));
        assertEquals(new BigDecimal("-1250"), ((JsonNumber) o.members().get("n")).value().stripTrailingZeros()
                .setScale(0));
        assertEquals(new JsonNumber(BigDecimal.ZERO), o.members().get("i"));
        assertEquals(new JsonBoolean(true), o.members().get("t"));
        assertEquals(new JsonBoolean(false), o.members().get("f"));
        assertEquals(JsonNull.INSTANCE, o.members().get("z"));
        JsonArray a = (JsonArray) o.members().get("a");
        assertEquals(3, a.elements().size());
        assertEquals(List.of("s", "n", "i", "t", "f", "z", "a", "o"), List.copyOf(o.members().keySet()),
                "members keep document order");
        assertEquals(new JsonString("v"), ((JsonObject) o.members().get("o")).members().get("k"));
    }

    @Test
    void readsAnyValueAtTopLevelWithSurroundingWhitespace() {
        assertEquals(new JsonString("a"), reader.read(" \t\r\n\"a\"\n"));
        assertEquals(new JsonNumber(new BigDecimal("42")), reader.read("42"));
        assertEquals(JsonNull.INSTANCE, reader.read("null"));
    }

    @Test
    void decodesEscapesAndSurrogatePairs() {
        JsonString s = (JsonString) reader.read("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\ude00\"");
        assertEquals("\" \\ / \b \f \n \r \t \u00e9 \uD83D\uDE00", s.value());
    }

    @Test
    void readsUtf8BytesAndRefusesMalformedUtf8() {
        byte[] utf8 = "{\"name\":\"Jos\u00e9 \uD83D\uDE00\"}".getBytes(StandardCharsets.UTF_8);
        assertEquals("Jos\u00e9 \uD83D\uDE00", reader.readObject(utf8).string("name").orElseThrow());

        byte[] overlong = {'"', (byte) 0xC0, (byte) 0xAF, '"'};
        assertMessage("not valid UTF-8", () -> reader.read(overlong));
        byte[] encodedSurrogate = {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'};
        assertMessage("not valid UTF-8", () -> reader.read(encodedSurrogate));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", " ", "{", "}", "[", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{\"a\":}", "{a:1}",
            "{'a':1}", "[1 2]", "01", "-", "-01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "Infinity",
            "-Infinity", "tru", "nul", "True", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "[1]]",
            "{} {}", "// comment\n{}", "/* c */ {}", "\u00a0{}", "\ufeff{}", "[\"a\"\u2028]", "\"tab\there\"",
            "\"nl\nhere\"", "\"\\uD800\"", "\"\\uDC00\"", "\"\\uD800\\u0041\"", "\"\\uD800x\"", "[1,,2]",
            "{\"a\":1 \"b\":2}", "\"\\u\uff11\uff12\uff13\uff14\""})
    void refusesWhatRfc8259DoesNotAllow(String text) {
        assertThrows(MalformedJsonException.class, () -> reader.read(text));
    }

    @Test
    void refusesALoneSurrogateInAJavaString() {
        assertMessage("lone surrogate", () -> reader.read("\"\uD800\""));
        assertEquals("\uD83D\uDE00", ((JsonString) reader.read("\"\uD83D\uDE00\"")).value());
    }

    @Test
    void refusesDuplicateMemberNames() {
        assertMessage("duplicate member name \"sub\"", () -> reader.read("{\"sub\":\"alice\",\"sub\":\"admin\"}"));
        // the same name written with an escape is the same name
        assertMessage("duplicate member name \"sub\"", () -> reader.read("{\"sub\":1,\"s\\u0075b\":2}"));
        // nested objects have their own names
        assertEquals(2, reader.readObject("{\"a\":{\"a\":1},\"b\":{\"a\":2}}").members().size());
    }

    @Test
    void messagesSayWhereAndWhat() {
        assertMessage("malformed JSON at offset 6: unexpected '}', expected a value",
                () -> reader.read("{\"a\": }"));
        assertMessage("malformed JSON at offset 3: unexpected end of input, expected ',' or ']' in an array",
                () -> reader.read("[1 "));
        assertMessage("unexpected 'x' after the end of the document", () -> reader.read("{} x"));
        assertMessage("unterminated string starting at offset 1", () -> reader.read("[\"abc"));
        assertMessage("leading zeros", () -> reader.read("007"));
        assertMessage("unescaped control character U+000A in a string", () -> reader.read("\"a\nb\""));
    }

    @Test
    void refusesDocumentsOverTheLengthLimitBeforeReadingThem() {
        JsonReader small = new JsonReader(10, 4);
        assertEquals(new JsonString("12345678"), small.read("\"12345678\""));
        assertMessage("JSON document of 11 characters exceeds the limit of 10", () -> small.read("\"123456789\""));
        assertMessage("exceeds the limit of 10", () -> small.read(new byte[41]));
    }

    @Test
    void boundsNestingSoDeepDocumentsCannotExhaustTheStack() {
        JsonReader shallow = new JsonReader(10_000_000, 4);
        assertInstanceOf(JsonArray.class, shallow.read("[[[[1]]]]"));
        assertMessage("nest deeper than 4 levels", () -> shallow.read("[[[[[1]]]]]"));
        assertMessage("nest deeper than 4 levels", () -> shallow.read("{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}"));
        // a million open brackets: refused at the fifth, without recursing a million times
        assertMessage("nest deeper than 4 levels", () -> shallow.read("[".repeat(1_000_000)));
        assertMessage("nest deeper than 16 levels", () -> reader.read("[".repeat(5_000)));
    }

    @Test
    void boundsNumberLiterals() {
        assertTrue(reader.read("1" + "0".repeat(200)) instanceof JsonNumber);
        assertMessage("longer than 256 characters", () -> reader.read("1".repeat(300)));
        assertMessage("out of range", () -> reader.read("1e99999999999"));
        // a huge exponent within int range is kept exactly, not expanded
        assertEquals(new BigDecimal("1e999999999"), ((JsonNumber) reader.read("1e999999999")).value());
    }

    @Test
    void readObjectRefusesOtherKinds() {
        assertMessage("expected a JSON object but the document is an array", () -> reader.readObject("[]"));
        assertMessage("expected a JSON object but the document is a string", () -> reader.readObject("\"x\""));
    }

    @Test
    void stringAccessorChecksTheKind() {
        JsonObject o = reader.readObject("{\"kid\": 7}");
        assertMessage("\"kid\" must be a string, not number", () -> o.string("kid"));
        assertTrue(o.string("alg").isEmpty());
    }

    private static void assertMessage(String expectedPart, org.junit.jupiter.api.function.Executable call) {
        MalformedJsonException e = assertThrows(MalformedJsonException.class, call);
        assertTrue(e.getMessage().contains(expectedPart), () -> "message was: " + e.getMessage());
    }
}
