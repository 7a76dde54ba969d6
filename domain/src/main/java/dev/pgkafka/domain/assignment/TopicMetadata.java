package dev.pgkafka.domain.assignment;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What an assignor knows about a topic: its partition count and, optionally, the racks holding each
 * partition's replicas. The built-in assignors do not use racks yet (see ADR 0009); the field carries
 * what Kafka's {@code SubscribedTopicDescriber} offers so that rack-aware placement needs no new input.
 */
public record TopicMetadata(int partitionCount, Map<Integer, Set<String>> partitionRacks) {
    public TopicMetadata {
        if (partitionCount < 0) {
            throw new IllegalArgumentException("negative partition count " + partitionCount);
        }
        Map<Integer, Set<String>> racks = new HashMap<>();
        partitionRacks.forEach((partition, replicaRacks) -> racks.put(partition, Set.copyOf(replicaRacks)));
        partitionRacks = Map.copyOf(racks);
    }

    public static TopicMetadata withPartitions(int partitionCount) {
        return new TopicMetadata(partitionCount, Map.of());
    }

    /** The racks of the partition's replicas; empty if unknown. */
    public Set<String> racksOf(int partition) {
        return partitionRacks.getOrDefault(partition, Set.of());
    }
}
