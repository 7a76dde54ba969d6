package dev.pgkafka.domain.config;

import java.util.ArrayList;
import java.util.List;

/** The value types of Kafka's configs, named as Kafka names them in DescribeConfigs. */
public enum ConfigType {
    BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD;

    /**
     * Parses a value as Kafka's {@code ConfigDef} does (surrounding whitespace ignored; lists split
     * on commas, the empty string being the empty list).
     *
     * @throws InvalidConfigValueException with Kafka's reason when the text is not of this type
     */
    public Object parse(String text) {
        String trimmed = text.trim();
        return switch (this) {
            case BOOLEAN -> {
                if (trimmed.equalsIgnoreCase("true")) {
                    yield Boolean.TRUE;
                }
                if (trimmed.equalsIgnoreCase("false")) {
                    yield Boolean.FALSE;
                }
                throw new InvalidConfigValueException("Expected value to be either true or false");
            }
            case INT -> {
                try {
                    yield Integer.parseInt(trimmed);
                } catch (NumberFormatException e) {
                    throw new InvalidConfigValueException("Not a number of type INT");
                }
            }
            case SHORT -> {
                try {
                    yield Short.parseShort(trimmed);
                } catch (NumberFormatException e) {
                    throw new InvalidConfigValueException("Not a number of type SHORT");
                }
            }
            case LONG -> {
                try {
                    yield Long.parseLong(trimmed);
                } catch (NumberFormatException e) {
                    throw new InvalidConfigValueException("Not a number of type LONG");
                }
            }
            case DOUBLE -> {
                try {
                    yield Double.parseDouble(trimmed);
                } catch (NumberFormatException e) {
                    throw new InvalidConfigValueException("Not a number of type DOUBLE");
                }
            }
            case LIST -> splitList(trimmed);
            case STRING, CLASS, PASSWORD -> trimmed;
        };
    }

    /** A comma-separated list, each element trimmed; the empty string is the empty list. */
    public static List<String> splitList(String text) {
        String trimmed = text.trim();
        List<String> items = new ArrayList<>();
        if (trimmed.isEmpty()) {
            return items;
        }
        for (String item : trimmed.split(",", -1)) {
            items.add(item.trim());
        }
        return items;
    }

    /** Why a value is not of its config's type (or not valid for it); the caller names value and config. */
    public static final class InvalidConfigValueException extends IllegalArgumentException {
        public InvalidConfigValueException(String reason) {
            super(reason);
        }
    }
}
