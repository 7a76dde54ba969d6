package dev.pgkafka.domain.assignment;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The input of an assignor: the group's members by member id, and the topics that exist by topic id.
 * The maps keep the caller's order; assignors must not depend on it.
 */
public record AssignmentSpec(Map<String, MemberSubscription> members, Map<UUID, TopicMetadata> topics) {
    public AssignmentSpec {
        members = Collections.unmodifiableMap(checkedCopy(members));
        topics = Collections.unmodifiableMap(checkedCopy(topics));
    }

    /** A spec whose topics carry partition counts only. */
    public static AssignmentSpec of(Map<String, MemberSubscription> members, Map<UUID, Integer> partitionCounts) {
        Map<UUID, TopicMetadata> topics = new LinkedHashMap<>();
        partitionCounts.forEach((id, count) -> topics.put(id, TopicMetadata.withPartitions(count)));
        return new AssignmentSpec(members, topics);
    }

    private static <K, V> Map<K, V> checkedCopy(Map<K, V> map) {
        Map<K, V> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key), Objects.requireNonNull(value)));
        return copy;
    }
}
