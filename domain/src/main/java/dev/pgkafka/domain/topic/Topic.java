package dev.pgkafka.domain.topic;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A topic: its Kafka topic id, name, number of partitions, and the configs set on it (only the
 * overrides; defaults come from the broker).
 */
public record Topic(UUID id, String name, int partitionCount, Map<String, String> configs) {
    public Topic {
        Objects.requireNonNull(id, "topic id");
        Objects.requireNonNull(name, "topic name");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("a topic has at least one partition");
        }
        configs = configs == null ? Map.of() : Map.copyOf(configs);
    }

    public boolean hasPartition(int partition) {
        return partition >= 0 && partition < partitionCount;
    }

    public TopicIdPartition partition(int partition) {
        return new TopicIdPartition(id, partition);
    }

    /** Internal topics are the ones Kafka prefixes with a double underscore. */
    public boolean isInternal() {
        return name.startsWith("__");
    }
}
