package dev.pgkafka.domain.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The rules of {@link RangeAssignor} over random groups ({@link RandomGroups}). Seeded; the seed is in
 * every failure message.
 */
class RangeAssignorPropertyTest {
    private static final int SEEDS = 300;

    /** Static members first, by instance id; then the others, by member id. */
    private static final Comparator<Map.Entry<String, MemberSubscription>> RANGE_ORDER = Comparator
            .comparing((Map.Entry<String, MemberSubscription> e) -> e.getValue().instanceId().isEmpty())
            .thenComparing(e -> e.getValue().instanceId().orElse(""))
            .thenComparing(Map.Entry::getKey);

    private final RangeAssignor range = new RangeAssignor();

    /**
     * Valid; and per topic, its subscribers taken in range order hold consecutive ranges that together
     * are 0..P-1 in order, each range at least as long as the next and at most one longer than any.
     */
    @Test
    void eachTopicIsCutIntoContiguousRangesInMemberOrder() {
        for (long seed = 0; seed < SEEDS; seed++) {
            AssignmentSpec spec = RandomGroups.random(new Random(seed));
            String where = "seed " + seed;
            GroupAssignment a = range.assign(spec);
            AssignmentChecks.assertValid(spec, a, where);
            for (UUID topic : spec.topics().keySet()) {
                List<String> subscribers = spec.members().entrySet().stream()
                        .filter(e -> Groups.effectiveSubscription(spec, e.getKey()).contains(topic))
                        .sorted(RANGE_ORDER).map(Map.Entry::getKey).toList();
                List<Integer> concatenated = new ArrayList<>();
                List<Integer> sizes = new ArrayList<>();
                for (String m : subscribers) {
                    Set<Integer> partitions = a.partitionsOf(m).getOrDefault(topic, Set.of());
                    concatenated.addAll(partitions); // ascending: GroupAssignment sorts
                    sizes.add(partitions.size());
                }
                if (subscribers.isEmpty()) {
                    continue;
                }
                assertEquals(IntStream.range(0, spec.topics().get(topic).partitionCount()).boxed().toList(),
                        concatenated, where + ": ranges of " + topic);
                for (int i = 1; i < sizes.size(); i++) {
                    assertTrue(sizes.get(i - 1) >= sizes.get(i), where + ": sizes " + sizes);
                }
                assertTrue(sizes.get(0) - sizes.get(sizes.size() - 1) <= 1, where + ": sizes " + sizes);
            }
        }
    }

    /** Two topics with the same partition count and the same subscribers: each member gets the same numbers. */
    @Test
    void topicsWithEqualPartitionCountsAndSubscribersAreCoPartitioned() {
        int pairs = 0;
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec spec = withCoPartitionedTopics(RandomGroups.random(random));
            String where = "seed " + seed;
            GroupAssignment a = range.assign(spec);
            Map<UUID, Set<String>> subscribers = new HashMap<>();
            AssignmentChecks.subscribers(spec).forEach((t, members) -> subscribers.put(t, Set.copyOf(members)));
            for (UUID t1 : spec.topics().keySet()) {
                for (UUID t2 : spec.topics().keySet()) {
                    if (t1.equals(t2) || spec.topics().get(t1).partitionCount() != spec.topics().get(t2).partitionCount()
                            || !subscribers.get(t1).equals(subscribers.get(t2)) || subscribers.get(t1).isEmpty()) {
                        continue;
                    }
                    pairs++;
                    for (String m : subscribers.get(t1)) {
                        assertEquals(a.partitionsOf(m).getOrDefault(t1, Set.of()), a.partitionsOf(m).getOrDefault(t2, Set.of()),
                                where + ": " + m + " on " + t1 + " and " + t2);
                    }
                }
            }
        }
        assertTrue(pairs > SEEDS / 2, "too few co-partitioned pairs generated: " + pairs);
    }

    @Test
    void theResultDependsNeitherOnOrderNorOnCurrentAssignments() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec spec = RandomGroups.random(random);
            GroupAssignment a = range.assign(spec);
            assertEquals(a, range.assign(RandomGroups.reordered(spec, random)), "seed " + seed + ": reordered");
            assertEquals(a, range.assign(Groups.afterAssignment(spec, GroupAssignment.EMPTY)), "seed " + seed + ": no holdings");
            assertEquals(a, range.assign(Groups.afterAssignment(spec, a)), "seed " + seed + ": holding the result");
        }
    }

    /** Every static member rejoins under a new member id: each instance id gets the same partitions. */
    @Test
    void staticMembersKeepTheirPartitionsAcrossNewMemberIds() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec spec = RandomGroups.random(random);
            GroupAssignment before = range.assign(spec);
            Map<String, MemberSubscription> members = new LinkedHashMap<>();
            Map<String, String> renamed = new HashMap<>();
            spec.members().forEach((id, m) -> {
                String newId = m.instanceId().isPresent() ? RandomGroups.randomMemberId(random) : id;
                renamed.put(id, newId);
                members.put(newId, m);
            });
            GroupAssignment after = range.assign(new AssignmentSpec(members, spec.topics()));
            for (Map.Entry<String, MemberSubscription> m : spec.members().entrySet()) {
                Optional<String> instance = m.getValue().instanceId();
                if (instance.isPresent()) {
                    assertEquals(before.partitionsOf(m.getKey()), after.partitionsOf(renamed.get(m.getKey())),
                            "seed " + seed + ": " + instance.get());
                }
            }
        }
    }

    /** Gives every topic the partition count of the first, so that co-partitioned pairs are common. */
    private static AssignmentSpec withCoPartitionedTopics(AssignmentSpec spec) {
        int count = spec.topics().values().iterator().next().partitionCount();
        Map<UUID, TopicMetadata> topics = new LinkedHashMap<>();
        spec.topics().keySet().forEach(t -> topics.put(t, TopicMetadata.withPartitions(count)));
        return new AssignmentSpec(spec.members(), topics);
    }
}
