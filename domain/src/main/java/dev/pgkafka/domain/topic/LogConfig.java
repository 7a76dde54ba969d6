package dev.pgkafka.domain.topic;

import java.util.Map;

import dev.pgkafka.domain.log.TimestampType;

/**
 * The topic configs that shape appends and reads, resolved from a topic's overrides over the
 * broker's defaults (Kafka's names and defaults).
 */
public record LogConfig(int maxMessageBytes, TimestampType timestampType) {
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";

    /** Kafka's default {@code max.message.bytes}: 1 MiB plus batch overhead. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048588;

    public static LogConfig of(Map<String, String> topicConfigs) {
        String max = topicConfigs.get(MAX_MESSAGE_BYTES);
        String type = topicConfigs.get(MESSAGE_TIMESTAMP_TYPE);
        return new LogConfig(
                max == null ? DEFAULT_MAX_MESSAGE_BYTES : Integer.parseInt(max.trim()),
                "LogAppendTime".equals(type == null ? null : type.trim())
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME);
    }

    public static LogConfig of(Topic topic) {
        return of(topic.configs());
    }
}
