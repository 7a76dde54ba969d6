package dev.pgkafka.domain.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What is stored of a consumer group: everything a restarted broker needs for the group to carry on
 * without a reshuffle (Kafka's ConsumerGroupMetadata, member, target assignment and current assignment
 * records, as one document).
 *
 * @param members          in member id order
 * @param subscriptionHash a hash of the subscribed topics' ids, names and partition counts when the
 *                         group epoch last moved; a different hash at a heartbeat bumps the epoch
 */
public record ConsumerGroupSnapshot(String groupId, int groupEpoch, int assignmentEpoch, long subscriptionHash,
                                    List<ConsumerGroupMember> members,
                                    Map<String, Map<UUID, Set<Integer>>> targetAssignment) {
    public ConsumerGroupSnapshot {
        members = members.stream().sorted(java.util.Comparator.comparing(ConsumerGroupMember::memberId)).toList();
        Map<String, Map<UUID, Set<Integer>>> copy = new TreeMap<>();
        targetAssignment.forEach((id, partitions) -> copy.put(id, TopicPartitions.copy(partitions)));
        targetAssignment = java.util.Collections.unmodifiableMap(copy);
    }
}
