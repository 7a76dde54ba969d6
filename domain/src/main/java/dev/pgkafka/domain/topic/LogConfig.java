package dev.pgkafka.domain.topic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.domain.config.ConfigDef;
import dev.pgkafka.domain.config.ConfigLayers;
import dev.pgkafka.domain.config.ConfigType;
import dev.pgkafka.domain.config.TopicConfigs;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.TimestampType;

/**
 * The topic configs that shape appends, reads, retention and compaction, resolved from a topic's
 * overrides over the broker's config layers (Kafka's names and defaults, see {@link TopicConfigs}).
 *
 * @param compressionType      the codec fetches use, empty for "producer" (keep the batch's codec)
 * @param retentionMs          -1 for no time limit
 * @param retentionBytes       -1 (any negative) for no size limit
 * @param compact              cleanup.policy contains "compact"
 * @param delete               cleanup.policy contains "delete"
 */
public record LogConfig(int maxMessageBytes, TimestampType timestampType, Optional<Compression> compressionType,
                        int segmentBytes, long timestampAfterMaxMs, long timestampBeforeMaxMs,
                        long retentionMs, long retentionBytes, boolean compact, boolean delete,
                        long deleteRetentionMs, long minCompactionLagMs, long maxCompactionLagMs,
                        double minCleanableDirtyRatio) {
    public static final String MAX_MESSAGE_BYTES = TopicConfigs.MAX_MESSAGE_BYTES;
    public static final String MESSAGE_TIMESTAMP_TYPE = TopicConfigs.MESSAGE_TIMESTAMP_TYPE;
    public static final String COMPRESSION_TYPE = TopicConfigs.COMPRESSION_TYPE;

    /** Kafka's default {@code max.message.bytes}: 1 MiB plus batch overhead. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1048588;

    /** The configs of a topic with these overrides and only Kafka's defaults below them. */
    public static LogConfig of(Map<String, String> topicConfigs) {
        return of(topicConfigs, ConfigLayers.NONE);
    }

    public static LogConfig of(Topic topic) {
        return of(topic.configs());
    }

    /** The configs of a topic with these overrides over the broker's layers. */
    public static LogConfig of(Map<String, String> overrides, ConfigLayers layers) {
        Resolver r = new Resolver(overrides, layers);
        List<?> policy = (List<?>) r.value(TopicConfigs.CLEANUP_POLICY);
        return new LogConfig(
                (Integer) r.value(TopicConfigs.MAX_MESSAGE_BYTES),
                "LogAppendTime".equals(r.value(TopicConfigs.MESSAGE_TIMESTAMP_TYPE))
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                outboundCompression((String) r.value(TopicConfigs.COMPRESSION_TYPE)),
                (Integer) r.value(TopicConfigs.SEGMENT_BYTES),
                (Long) r.value(TopicConfigs.MESSAGE_TIMESTAMP_AFTER_MAX_MS),
                (Long) r.value(TopicConfigs.MESSAGE_TIMESTAMP_BEFORE_MAX_MS),
                (Long) r.value(TopicConfigs.RETENTION_MS),
                (Long) r.value(TopicConfigs.RETENTION_BYTES),
                policy.contains(TopicConfigs.POLICY_COMPACT),
                policy.contains(TopicConfigs.POLICY_DELETE),
                (Long) r.value(TopicConfigs.DELETE_RETENTION_MS),
                (Long) r.value(TopicConfigs.MIN_COMPACTION_LAG_MS),
                (Long) r.value(TopicConfigs.MAX_COMPACTION_LAG_MS),
                (Double) r.value(TopicConfigs.MIN_CLEANABLE_DIRTY_RATIO));
    }

    /** True when the cleaner has nothing to do for this topic: keep everything, compact nothing. */
    public boolean keepsEverything() {
        return !compact && (!delete || (retentionMs < 0 && retentionBytes < 0));
    }

    /** {@code compression.type}: empty for "producer" (keep the producer's codec), else the codec to fetch with. */
    private static Optional<Compression> outboundCompression(String value) {
        if (value.equals("producer")) {
            return Optional.empty();
        }
        for (Compression c : Compression.values()) {
            if (c.configName().equals(value)) {
                return Optional.of(c);
            }
        }
        throw new IllegalArgumentException("unknown compression.type " + value);
    }

    /** Parses resolved values; a stored value that no longer parses counts as the default. */
    private record Resolver(Map<String, String> overrides, ConfigLayers layers) {
        Object value(String name) {
            ConfigDef def = TopicConfigs.get(name);
            String text = layers.topicValue(def, overrides);
            if (text != null && def.problem(text).isEmpty()) {
                return def.type().parse(text);
            }
            return def.type() == ConfigType.LIST ? ConfigType.splitList(def.defaultValue()) : def.parse(null);
        }
    }
}
