package dev.pgkafka.domain.config;

/**
 * Where a config value comes from, from the most to the least specific; named as Kafka's
 * DescribeConfigs names the sources, so the wire adapter translates by name.
 */
public enum ConfigSource {
    /** An override set on the topic. */
    TOPIC_CONFIG,
    /** Set dynamically for this broker (resource BROKER with the node id). */
    DYNAMIC_BROKER_CONFIG,
    /** Set dynamically as the cluster-wide default (resource BROKER with the empty name). */
    DYNAMIC_DEFAULT_BROKER_CONFIG,
    /** Set by the broker's own options at start. */
    STATIC_BROKER_CONFIG,
    /** Kafka's default. */
    DEFAULT_CONFIG
}
