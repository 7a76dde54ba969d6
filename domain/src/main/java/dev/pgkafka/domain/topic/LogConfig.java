package dev.pgkafka.domain.topic;

import java.util.Map;
import java.util.Optional;

import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.TimestampType;

/**
 * The topic configs that shape appends and reads, resolved from a topic's overrides over the
 * broker's defaults (Kafka's names and defaults).
 */
public record LogConfig(int maxMessageBytes, TimestampType timestampType, Optional<Compression> compressionType) {
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String COMPRESSION_TYPE = "compression.type";

    /** Kafka's default {@code max.message.bytes}: 1 MiB plus batch overhead. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048588;

    public static LogConfig of(Map<String, String> topicConfigs) {
        String max = topicConfigs.get(MAX_MESSAGE_BYTES);
        String type = topicConfigs.get(MESSAGE_TIMESTAMP_TYPE);
        return new LogConfig(
                max == null ? DEFAULT_MAX_MESSAGE_BYTES : Integer.parseInt(max.trim()),
                "LogAppendTime".equals(type == null ? null : type.trim())
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                outboundCompression(topicConfigs.get(COMPRESSION_TYPE)));
    }

    /** {@code compression.type}: empty for "producer" (keep the producer's codec), else the codec to fetch with. */
    private static Optional<Compression> outboundCompression(String value) {
        if (value == null || value.trim().equals("producer")) {
            return Optional.empty();
        }
        for (Compression c : Compression.values()) {
            if (c.configName().equals(value.trim())) {
                return Optional.of(c);
            }
        }
        throw new IllegalArgumentException("unknown compression.type " + value);
    }

    public static LogConfig of(Topic topic) {
        return of(topic.configs());
    }
}
