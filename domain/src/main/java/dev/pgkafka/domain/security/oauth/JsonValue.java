package dev.pgkafka.domain.security.oauth;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JSON value as {@link JsonReader} reads it (RFC 8259): the six kinds of JSON, nothing else. Objects
 * keep their members in document order; numbers keep their exact decimal value.
 */
public sealed interface JsonValue {

    /** The kind as RFC 8259 names it, for error messages: "object", "array", "string", ... */
    String kind();

    record JsonObject(Map<String, JsonValue> members) implements JsonValue {
        public JsonObject {
            members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
        }

        public Optional<JsonValue> get(String name) {
            return Optional.ofNullable(members.get(name));
        }

        /** The member's string value; empty when absent, a {@link MalformedJsonException} when not a string. */
        public Optional<String> string(String name) {
            JsonValue value = members.get(name);
            if (value == null) {
                return Optional.empty();
            }
            if (value instanceof JsonString s) {
                return Optional.of(s.value());
            }
            throw new MalformedJsonException("\"" + name + "\" must be a string, not " + value.kind());
        }

        @Override
        public String kind() {
            return "object";
        }
    }

    record JsonArray(List<JsonValue> elements) implements JsonValue {
        public JsonArray {
            elements = List.copyOf(elements);
        }

        @Override
        public String kind() {
            return "array";
        }
    }

    record JsonString(String value) implements JsonValue {
        public JsonString {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "string";
        }
    }

    /** A number with its exact decimal value ({@code 1.5e3} is 1500, {@code 1e400} stays representable). */
    record JsonNumber(BigDecimal value) implements JsonValue {
        public JsonNumber {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String kind() {
            return "number";
        }
    }

    record JsonBoolean(boolean value) implements JsonValue {
        @Override
        public String kind() {
            return "boolean";
        }
    }

    record JsonNull() implements JsonValue {
        public static final JsonNull INSTANCE = new JsonNull();

        @Override
        public String kind() {
            return "null";
        }
    }
}
