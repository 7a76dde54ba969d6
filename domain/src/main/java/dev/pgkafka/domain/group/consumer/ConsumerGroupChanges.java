package dev.pgkafka.domain.group.consumer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What changed in a consumer group since it was last stored, so that a heartbeat that moves one member
 * writes that member, not the whole group: the group's epochs always, the members that joined or changed
 * ({@code upserted}), the members that left ({@code removed}), and the target assignment when it changed.
 *
 * @param upserted members to store as they are now, in member id order
 * @param removed  member ids to forget (a member may also be upserted: it was replaced under the same id)
 * @param targetAssignment the whole new target assignment, or null when unchanged
 */
public record ConsumerGroupChanges(String groupId, int groupEpoch, int assignmentEpoch, long subscriptionHash,
                                   List<ConsumerGroupMember> upserted, Set<String> removed,
                                   Map<String, Map<UUID, Set<Integer>>> targetAssignment) {
    public ConsumerGroupChanges {
        upserted = List.copyOf(upserted);
        removed = Collections.unmodifiableSet(new TreeSet<>(removed));
        if (targetAssignment != null) {
            Map<String, Map<UUID, Set<Integer>>> copy = new TreeMap<>();
            targetAssignment.forEach((id, partitions) -> copy.put(id, TopicPartitions.copy(partitions)));
            targetAssignment = Collections.unmodifiableMap(copy);
        }
    }

    /** The stored group after these changes (what a storage adapter without partial writes may do). */
    public ConsumerGroupSnapshot applyTo(ConsumerGroupSnapshot stored) {
        Map<String, ConsumerGroupMember> members = new TreeMap<>();
        if (stored != null) {
            stored.members().forEach(m -> members.put(m.memberId(), m));
        }
        removed.forEach(members::remove);
        upserted.forEach(m -> members.put(m.memberId(), m));
        Map<String, Map<UUID, Set<Integer>>> target = targetAssignment != null ? targetAssignment
                : stored == null ? Map.of() : stored.targetAssignment();
        return new ConsumerGroupSnapshot(groupId, groupEpoch, assignmentEpoch, subscriptionHash,
                new ArrayList<>(members.values()), target);
    }

    public boolean touchesMembers() {
        return !upserted.isEmpty() || !removed.isEmpty();
    }
}
