package dev.pgkafka.domain.group.consumer;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiPredicate;

/**
 * Moves one member towards its target assignment, one step per heartbeat, so that no partition is ever
 * owned by two members (Kafka's {@code CurrentAssignmentBuilder}):
 * <ol>
 *   <li>Partitions the member holds but its target does not are revoked first: the member stays in its
 *       epoch ({@link MemberState#UNREVOKED_PARTITIONS}) until a heartbeat no longer reports them.</li>
 *   <li>Then it moves to the target epoch and gets the target's partitions that no other member owns;
 *       those still owned ({@link MemberState#UNRELEASED_PARTITIONS}) follow once released.</li>
 * </ol>
 */
public final class CurrentAssignmentBuilder {
    private CurrentAssignmentBuilder() {
    }

    /**
     * @param targetEpoch the group's assignment epoch
     * @param target      the member's target partitions
     * @param ownedByAnyone whether a partition is owned (assigned or pending revocation) by any member
     * @param reportedOwned the partitions the member reported in this heartbeat, or null when it did not say
     */
    public static ConsumerGroupMember reconcile(ConsumerGroupMember member, int targetEpoch,
                                                Map<UUID, Set<Integer>> target,
                                                BiPredicate<UUID, Integer> ownedByAnyone,
                                                Map<UUID, Set<Integer>> reportedOwned) {
        return switch (member.state()) {
            case STABLE -> member.memberEpoch() == targetEpoch ? member
                    : next(member, member.memberEpoch(), targetEpoch, target, ownedByAnyone);
            case UNREVOKED_PARTITIONS -> {
                if (reportedOwned == null || TopicPartitions.intersects(reportedOwned, member.partitionsPendingRevocation())) {
                    yield member;
                }
                yield next(member, member.memberEpoch() + 1, targetEpoch, target, ownedByAnyone);
            }
            case UNRELEASED_PARTITIONS -> next(member, member.memberEpoch(), targetEpoch, target, ownedByAnyone);
        };
    }

    private static ConsumerGroupMember next(ConsumerGroupMember member, int epochIfRevoking, int targetEpoch,
                                            Map<UUID, Set<Integer>> target, BiPredicate<UUID, Integer> ownedByAnyone) {
        Map<UUID, Set<Integer>> current = member.assignedPartitions();
        SortedMap<UUID, Set<Integer>> kept = new TreeMap<>();
        SortedMap<UUID, Set<Integer>> revoke = new TreeMap<>();
        SortedMap<UUID, Set<Integer>> add = new TreeMap<>();
        boolean unreleased = false;
        Set<UUID> topics = new HashSet<>(target.keySet());
        topics.addAll(current.keySet());
        for (UUID topicId : topics) {
            Set<Integer> wanted = target.getOrDefault(topicId, Set.of());
            Set<Integer> held = current.getOrDefault(topicId, Set.of());
            Set<Integer> keep = new TreeSet<>(held);
            keep.retainAll(wanted);
            Set<Integer> drop = new TreeSet<>(held);
            drop.removeAll(keep);
            Set<Integer> gain = new TreeSet<>(wanted);
            gain.removeAll(keep);
            unreleased |= gain.removeIf(p -> ownedByAnyone.test(topicId, p));
            kept.put(topicId, keep);
            revoke.put(topicId, drop);
            add.put(topicId, gain);
        }
        Map<UUID, Set<Integer>> toRevoke = TopicPartitions.copy(revoke);
        Map<UUID, Set<Integer>> toAdd = TopicPartitions.copy(add);
        if (!toRevoke.isEmpty()) {
            return member.reconciled(epochIfRevoking, MemberState.UNREVOKED_PARTITIONS, kept, toRevoke);
        }
        MemberState state = unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE;
        return member.reconciled(targetEpoch, state, TopicPartitions.union(kept, toAdd), Map.of());
    }
}
