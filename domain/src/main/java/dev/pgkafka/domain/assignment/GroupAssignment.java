package dev.pgkafka.domain.assignment;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * An assignor's result: member id → topic id → partitions. Immutable and sorted throughout (members by
 * id, topics by id, partitions ascending), so that equal assignments also print and serialise alike.
 * Topics with no partitions are left out; members with no partitions map to an empty map.
 */
public record GroupAssignment(Map<String, Map<UUID, Set<Integer>>> members) {
    public static final GroupAssignment EMPTY = new GroupAssignment(Map.of());

    public GroupAssignment {
        SortedMap<String, Map<UUID, Set<Integer>>> copy = new TreeMap<>();
        members.forEach((memberId, partitions) ->
                copy.put(Objects.requireNonNull(memberId, "member id"), copyTopicPartitions(partitions)));
        members = Collections.unmodifiableSortedMap(copy);
    }

    /** The member's partitions by topic; empty for a member that gets none or is not in the group. */
    public Map<UUID, Set<Integer>> partitionsOf(String memberId) {
        return members.getOrDefault(memberId, Map.of());
    }

    /** How many partitions the member gets, over all topics. */
    public int partitionCount(String memberId) {
        int count = 0;
        for (Set<Integer> partitions : partitionsOf(memberId).values()) {
            count += partitions.size();
        }
        return count;
    }

    /** The member's partitions as one sorted set. */
    public Set<TopicIdPartition> topicIdPartitionsOf(String memberId) {
        Set<TopicIdPartition> result = new TreeSet<>();
        partitionsOf(memberId).forEach((topicId, partitions) -> {
            for (int p : partitions) {
                result.add(new TopicIdPartition(topicId, p));
            }
        });
        return Collections.unmodifiableSet(result);
    }

    /** An immutable, sorted copy of topic id → partitions, without empty entries. */
    static Map<UUID, Set<Integer>> copyTopicPartitions(Map<UUID, Set<Integer>> partitions) {
        if (partitions.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<UUID, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((topicId, set) -> {
            PartitionSet copied = PartitionSet.of(set);
            if (!copied.isEmpty()) {
                copy.put(Objects.requireNonNull(topicId, "topic id"), copied);
            }
        });
        return Collections.unmodifiableSortedMap(copy);
    }
}
