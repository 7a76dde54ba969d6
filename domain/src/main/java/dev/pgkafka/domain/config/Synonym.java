package dev.pgkafka.domain.config;

/**
 * A broker config that provides a topic config's default, and the factor that converts its value
 * to the topic config's unit ({@code log.retention.hours} to {@code retention.ms}: 3,600,000).
 */
public record Synonym(String name, long factor) {
    public static Synonym of(String name) {
        return new Synonym(name, 1);
    }

    /** The synonym's value in the topic config's unit. */
    public String convert(String value) {
        if (factor == 1) {
            return value;
        }
        return Long.toString(Long.parseLong(value.trim()) * factor);
    }
}
