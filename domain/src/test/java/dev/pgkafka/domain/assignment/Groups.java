package dev.pgkafka.domain.assignment;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Test fixture: readable groups for the example tests, and helpers shared by the property tests. */
final class Groups {
    static final UUID T1 = new UUID(0, 1);
    static final UUID T2 = new UUID(0, 2);
    static final UUID T3 = new UUID(0, 3);
    static final UUID MISSING = new UUID(0, 99);

    private final Map<UUID, Integer> topics = new LinkedHashMap<>();
    private final Map<String, MemberSubscription> members = new LinkedHashMap<>();

    static Groups group() {
        return new Groups();
    }

    Groups topic(UUID id, int partitions) {
        topics.put(id, partitions);
        return this;
    }

    Groups member(String id, Set<UUID> subscription) {
        return member(id, subscription, Map.of());
    }

    Groups member(String id, Set<UUID> subscription, Map<UUID, Set<Integer>> holds) {
        members.put(id, MemberSubscription.of(subscription).withCurrentAssignment(holds));
        return this;
    }

    Groups staticMember(String id, String instanceId, Set<UUID> subscription) {
        members.put(id, MemberSubscription.of(subscription).withInstanceId(instanceId));
        return this;
    }

    AssignmentSpec spec() {
        return AssignmentSpec.of(members, topics);
    }

    /** {T1 → {partitions}} */
    static Map<UUID, Set<Integer>> holds(UUID topic, Integer... partitions) {
        return Map.of(topic, Set.of(partitions));
    }

    /** The spec with every member holding what the assignment gave it (the next rebalance's input). */
    static AssignmentSpec afterAssignment(AssignmentSpec spec, GroupAssignment assignment) {
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        spec.members().forEach((id, member) ->
                members.put(id, member.withCurrentAssignment(assignment.partitionsOf(id))));
        return new AssignmentSpec(members, spec.topics());
    }

    static AssignmentSpec withoutMember(AssignmentSpec spec, String memberId) {
        Map<String, MemberSubscription> members = new LinkedHashMap<>(spec.members());
        members.remove(memberId);
        return new AssignmentSpec(members, spec.topics());
    }

    static AssignmentSpec withMember(AssignmentSpec spec, String memberId, MemberSubscription member) {
        Map<String, MemberSubscription> members = new LinkedHashMap<>(spec.members());
        members.put(memberId, member);
        return new AssignmentSpec(members, spec.topics());
    }

    /** The topics the member subscribes to that exist. */
    static Set<UUID> effectiveSubscription(AssignmentSpec spec, String memberId) {
        Set<UUID> topics = new TreeSet<>(spec.members().get(memberId).subscribedTopicIds());
        topics.retainAll(spec.topics().keySet());
        return topics;
    }

    /** Whether all members that subscribe to an existing topic subscribe to the same existing topics. */
    static boolean isHomogeneous(AssignmentSpec spec) {
        Optional<Set<UUID>> first = Optional.empty();
        for (String id : spec.members().keySet()) {
            Set<UUID> subscription = effectiveSubscription(spec, id);
            if (subscription.isEmpty()) {
                continue;
            }
            if (first.isEmpty()) {
                first = Optional.of(subscription);
            } else if (!first.get().equals(subscription)) {
                return false;
            }
        }
        return true;
    }

    /** "topic-partition" → owner, over all members. */
    static Map<String, String> owners(GroupAssignment assignment) {
        Map<String, String> owners = new HashMap<>();
        assignment.members().forEach((member, topics) -> topics.forEach((topic, partitions) -> {
            for (int p : partitions) {
                owners.put(topic + "-" + p, member);
            }
        }));
        return owners;
    }

    private Groups() {
    }
}
