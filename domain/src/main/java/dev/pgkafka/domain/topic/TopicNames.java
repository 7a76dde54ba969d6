package dev.pgkafka.domain.topic;

import java.util.Optional;

/** Kafka's rules for legal topic names, with the reasons Kafka 4.x gives. */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Why {@code name} is not a legal topic name ("Topic name is invalid: ..."), or empty when it is. */
    public static Optional<String> problem(String name) {
        String reason = reason(name);
        return reason == null ? Optional.empty() : Optional.of("Topic name is invalid: " + reason);
    }

    private static String reason(String name) {
        if (name == null || name.isEmpty()) {
            return "the empty string is not allowed";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' is not allowed";
        }
        if (name.length() > MAX_LENGTH) {
            return "the length of '" + name + "' is longer than the max allowed length " + MAX_LENGTH;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!legal) {
                return "'" + name + "' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'";
            }
        }
        return null;
    }

    public static boolean isValid(String name) {
        return reason(name) == null;
    }

    /**
     * True when the two names differ only in '.' versus '_' at the same places: Kafka refuses such a
     * pair because their metric names would collide.
     */
    public static boolean collide(String a, String b) {
        return !a.equals(b) && a.replace('.', '_').equals(b.replace('.', '_'));
    }
}
