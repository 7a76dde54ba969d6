package dev.pgkafka.domain.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The properties of an assignment, checked from the spec and the result alone (written independently
 * of the assignors, in the plainest way). Every failure names {@code where}, which carries the seed.
 */
final class AssignmentChecks {
    private AssignmentChecks() {
    }

    /**
     * Every member of the spec appears; every partition of a topic with a subscriber is assigned exactly
     * once, to a member subscribed to it; nothing else (other topics, missing partitions) is assigned.
     */
    static void assertValid(AssignmentSpec spec, GroupAssignment assignment, String where) {
        assertEquals(spec.members().keySet(), assignment.members().keySet(), where + ": the members");
        Map<UUID, int[]> times = new HashMap<>();
        spec.topics().forEach((topic, metadata) -> times.put(topic, new int[metadata.partitionCount()]));
        Map<UUID, List<String>> subscribers = subscribers(spec);
        assignment.members().forEach((member, topics) -> topics.forEach((topic, partitions) -> {
            if (!subscribers.getOrDefault(topic, List.of()).contains(member)) {
                fail(where + ": " + member + " got " + topic + " without subscribing to it (or it does not exist)");
            }
            for (int p : partitions) {
                if (p < 0 || p >= times.get(topic).length) {
                    fail(where + ": " + member + " got " + topic + "-" + p + ", which does not exist");
                }
                times.get(topic)[p]++;
            }
        }));
        times.forEach((topic, counts) -> {
            int expected = subscribers.get(topic).isEmpty() ? 0 : 1;
            for (int p = 0; p < counts.length; p++) {
                if (counts[p] != expected) {
                    fail(where + ": " + topic + "-" + p + " assigned " + counts[p] + " times, expected " + expected);
                }
            }
        });
    }

    static Map<String, Integer> loads(GroupAssignment assignment) {
        Map<String, Integer> loads = new HashMap<>();
        assignment.members().keySet().forEach(m -> loads.put(m, assignment.partitionCount(m)));
        return loads;
    }

    /** Among members that subscribe to an existing topic: the largest count minus the smallest. */
    static int spread(AssignmentSpec spec, GroupAssignment assignment) {
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (String m : spec.members().keySet()) {
            if (!Groups.effectiveSubscription(spec, m).isEmpty()) {
                min = Math.min(min, assignment.partitionCount(m));
                max = Math.max(max, assignment.partitionCount(m));
            }
        }
        return min == Integer.MAX_VALUE ? 0 : max - min;
    }

    /**
     * The balance rule as the brief states it: a member B holding a partition of topic t and a member A
     * subscribed to t with count(B) ≥ count(A) + 2 (A could take it from B and improve the balance).
     */
    static Optional<String> singleMoveImprovement(AssignmentSpec spec, GroupAssignment assignment) {
        Map<String, Integer> loads = loads(assignment);
        for (Map.Entry<UUID, List<String>> topic : subscribers(spec).entrySet()) {
            Optional<String> a = topic.getValue().stream().min(Comparator.comparing(loads::get));
            for (String b : topic.getValue()) {
                if (assignment.partitionsOf(b).containsKey(topic.getKey()) && loads.get(b) >= loads.get(a.get()) + 2) {
                    return Optional.of(a.get() + " (" + loads.get(a.get()) + ") could take a partition of "
                            + topic.getKey() + " from " + b + " (" + loads.get(b) + ")");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The stronger rule: a chain C → ... → A of at most {@code maxTransfers} transfers, each member
     * giving a partition of a topic it holds to a subscriber of that topic, with count(C) ≥ count(A) + 2.
     * Shifting one partition along it would improve the balance while the members between keep their
     * counts.
     */
    static Optional<String> improvingChain(AssignmentSpec spec, GroupAssignment assignment, int maxTransfers) {
        Map<String, Integer> loads = loads(assignment);
        Map<UUID, List<String>> subscribers = subscribers(spec);
        int min = loads.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        for (String c : spec.members().keySet()) {
            int load = loads.get(c);
            if (load < min + 2) {
                continue; // nobody is two lighter
            }
            Map<String, Integer> depth = new HashMap<>();
            depth.put(c, 0);
            ArrayDeque<String> queue = new ArrayDeque<>(List.of(c));
            Set<UUID> topicsSeen = new HashSet<>();
            while (!queue.isEmpty()) {
                String giver = queue.remove();
                if (loads.get(giver) <= load - 2) {
                    return Optional.of("chain of " + depth.get(giver) + " from " + c + " (" + load + ") to "
                            + giver + " (" + loads.get(giver) + ")");
                }
                if (depth.get(giver) == maxTransfers) {
                    continue;
                }
                for (UUID topic : assignment.partitionsOf(giver).keySet()) {
                    if (!topicsSeen.add(topic)) {
                        continue; // its subscribers are queued already
                    }
                    for (String taker : subscribers.get(topic)) {
                        if (depth.putIfAbsent(taker, depth.get(giver) + 1) == null) {
                            queue.add(taker);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** How many different non-empty subscriptions (to existing topics) the members have. */
    static int distinctSubscriptions(AssignmentSpec spec) {
        Set<Set<UUID>> distinct = new HashSet<>();
        for (String m : spec.members().keySet()) {
            Set<UUID> subscription = Groups.effectiveSubscription(spec, m);
            if (!subscription.isEmpty()) {
                distinct.add(subscription);
            }
        }
        return distinct.size();
    }

    /** Topic → the members subscribed to it (existing topics only). */
    static Map<UUID, List<String>> subscribers(AssignmentSpec spec) {
        Map<UUID, List<String>> subscribers = new HashMap<>();
        spec.topics().keySet().forEach(t -> subscribers.put(t, new ArrayList<>()));
        for (String m : spec.members().keySet()) {
            for (UUID topic : spec.members().get(m).subscribedTopicIds()) {
                if (subscribers.containsKey(topic)) {
                    subscribers.get(topic).add(m);
                }
            }
        }
        return subscribers;
    }

    /** How many partitions held before (validly: existing, subscribed) have a different owner now. */
    static int moved(AssignmentSpec before, GroupAssignment after) {
        Map<String, String> owners = Groups.owners(after);
        int moved = 0;
        for (Map.Entry<String, MemberSubscription> member : before.members().entrySet()) {
            for (Map.Entry<UUID, Set<Integer>> held : member.getValue().currentAssignment().entrySet()) {
                for (int p : held.getValue()) {
                    String owner = owners.get(held.getKey() + "-" + p);
                    if (owner != null && !owner.equals(member.getKey())) {
                        moved++;
                    }
                }
            }
        }
        return moved;
    }
}
