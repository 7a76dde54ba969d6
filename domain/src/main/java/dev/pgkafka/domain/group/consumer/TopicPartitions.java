package dev.pgkafka.domain.group.consumer;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Operations on partitions grouped by topic id ({@code topic id → partitions}), the shape in which
 * KIP-848 carries assignments. Every result is immutable, sorted and without empty topics, so equal
 * assignments are {@code equals} and print alike.
 */
public final class TopicPartitions {
    private TopicPartitions() {
    }

    public static Map<UUID, Set<Integer>> copy(Map<UUID, ? extends Set<Integer>> partitions) {
        if (partitions == null || partitions.isEmpty()) {
            return Collections.emptySortedMap();
        }
        SortedMap<UUID, Set<Integer>> copy = new TreeMap<>();
        partitions.forEach((topicId, set) -> {
            if (set != null && !set.isEmpty()) {
                copy.put(Objects.requireNonNull(topicId, "topic id"), Collections.unmodifiableSortedSet(new TreeSet<>(set)));
            }
        });
        return Collections.unmodifiableSortedMap(copy);
    }

    /** {@code a} without the partitions of {@code b}. */
    public static Map<UUID, Set<Integer>> minus(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        SortedMap<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topicId, partitions) -> {
            SortedSet<Integer> left = new TreeSet<>(partitions);
            left.removeAll(b.getOrDefault(topicId, Set.of()));
            result.put(topicId, left);
        });
        return copy(result);
    }

    /** The partitions in both. */
    public static Map<UUID, Set<Integer>> intersection(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        SortedMap<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topicId, partitions) -> {
            SortedSet<Integer> both = new TreeSet<>(partitions);
            both.retainAll(b.getOrDefault(topicId, Set.of()));
            result.put(topicId, both);
        });
        return copy(result);
    }

    /** The partitions in either. */
    public static Map<UUID, Set<Integer>> union(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        SortedMap<UUID, Set<Integer>> result = new TreeMap<>();
        a.forEach((topicId, partitions) -> result.computeIfAbsent(topicId, t -> new TreeSet<>()).addAll(partitions));
        b.forEach((topicId, partitions) -> result.computeIfAbsent(topicId, t -> new TreeSet<>()).addAll(partitions));
        return copy(result);
    }

    /** Whether {@code a} shares a partition with {@code b}. */
    public static boolean intersects(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        for (Map.Entry<UUID, Set<Integer>> e : a.entrySet()) {
            Set<Integer> other = b.get(e.getKey());
            if (other != null) {
                for (Integer p : e.getValue()) {
                    if (other.contains(p)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether every partition of {@code a} is in {@code b}. */
    public static boolean isSubset(Map<UUID, Set<Integer>> a, Map<UUID, Set<Integer>> b) {
        for (Map.Entry<UUID, Set<Integer>> e : a.entrySet()) {
            if (!b.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    public static int count(Map<UUID, Set<Integer>> partitions) {
        int n = 0;
        for (Set<Integer> set : partitions.values()) {
            n += set.size();
        }
        return n;
    }
}
