package dev.pgkafka.domain.assignment;

import static dev.pgkafka.domain.assignment.Groups.T1;
import static dev.pgkafka.domain.assignment.Groups.T2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.pgkafka.domain.topic.TopicIdPartition;
import org.junit.jupiter.api.Test;

class GroupAssignmentTest {
    @Test
    void isAnImmutableSortedCopyWithoutEmptyTopics() {
        Map<UUID, Set<Integer>> partitions = new HashMap<>();
        partitions.put(T2, new HashSet<>(List.of(5, 1, 3)));
        partitions.put(T1, Set.of());
        Map<String, Map<UUID, Set<Integer>>> members = new HashMap<>();
        members.put("b", partitions);
        members.put("a", Map.of());
        GroupAssignment a = new GroupAssignment(members);
        partitions.get(T2).add(7);

        assertEquals(List.of("a", "b"), List.copyOf(a.members().keySet()));
        assertEquals(Map.of(T2, Set.of(1, 3, 5)), a.partitionsOf("b"));
        assertEquals(List.of(1, 3, 5), List.copyOf(a.partitionsOf("b").get(T2)));
        assertEquals(3, a.partitionCount("b"));
        assertEquals(0, a.partitionCount("a"));
        assertEquals(Map.of(), a.partitionsOf("nobody"));
        assertEquals(Set.of(new TopicIdPartition(T2, 1), new TopicIdPartition(T2, 3), new TopicIdPartition(T2, 5)),
                a.topicIdPartitionsOf("b"));
        assertThrows(UnsupportedOperationException.class, () -> a.members().remove("a"));
        assertThrows(UnsupportedOperationException.class, () -> a.partitionsOf("b").get(T2).add(9));
        assertThrows(UnsupportedOperationException.class, () -> a.partitionsOf("b").get(T2).clear());
        assertEquals("{a={}, b={" + T2 + "=[1, 3, 5]}}", a.members().toString());
    }

    @Test
    void partitionSetsEqualOtherSetsWithTheSameElements() {
        Set<Integer> set = PartitionSet.of(List.of(3, 1, 3, 2));
        assertEquals(Set.of(1, 2, 3), set);
        assertEquals(set, Set.of(1, 2, 3));
        assertEquals(Set.of(1, 2, 3).hashCode(), set.hashCode());
        assertEquals(3, set.size());
        assertEquals(false, set.contains(4));
        assertEquals(false, set.contains("1"));
    }
}
