package dev.pgkafka.application.service;

/**
 * Broker-wide settings the services need.
 *
 * @param nodeId            this broker's node id in metadata answers
 * @param autoCreateTopics  Kafka's {@code auto.create.topics.enable}
 * @param defaultPartitions Kafka's {@code num.partitions}: partitions of auto-created topics and of
 *                          topics created without a count
 */
public record BrokerSettings(int nodeId, boolean autoCreateTopics, int defaultPartitions) {
    public BrokerSettings {
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("default partitions must be at least 1, was " + defaultPartitions);
        }
    }

    public static BrokerSettings defaults() {
        return new BrokerSettings(1, true, 1);
    }
}
