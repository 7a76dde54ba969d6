package dev.pgkafka.domain.assignment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/**
 * Kafka's server-side {@code range} assignor: per topic, the partitions are cut into contiguous ranges,
 * one per subscriber, in member order; the first {@code partitions % subscribers} members get one more.
 * Member order is static members first, by instance id, then the others by member id.
 *
 * <p>So topics with the same partition count and the same subscribers are co-partitioned: a member
 * gets the same partition numbers of each (what stream joins need). Like Kafka's, it ignores current
 * assignments: its stickiness comes from the order alone, and a static member that rejoins under a
 * new member id gets its ranges back as long as the members, subscriptions and partition counts stay.
 */
public final class RangeAssignor implements PartitionAssignor {
    public static final String NAME = "range";

    private static final Comparator<MemberSubscription> STATIC_FIRST = Comparator.comparing(
            MemberSubscription::instanceId, Comparator.comparing((Optional<String> id) -> id.isEmpty())
                    .thenComparing(id -> id.orElse("")));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GroupAssignment assign(AssignmentSpec spec) {
        IndexedGroup group = IndexedGroup.of(spec);
        int[] rank = rankMembers(group);
        int[][] owners = group.emptyAssignment();
        for (int t = 0; t < group.topicCount(); t++) {
            int[] subscribers = Arrays.stream(group.subscribers[t]).boxed()
                    .sorted(Comparator.comparingInt(m -> rank[m])).mapToInt(Integer::intValue).toArray();
            int partitions = group.partitionCounts[t];
            int quota = partitions / subscribers.length;
            int extra = partitions % subscribers.length;
            int next = 0;
            for (int i = 0; i < subscribers.length; i++) {
                int end = next + quota + (i < extra ? 1 : 0);
                Arrays.fill(owners[t], next, end, subscribers[i]);
                next = end;
            }
        }
        return group.toAssignment(owners);
    }

    /** rank[member] = its position in range order; member indices already follow member id order. */
    private static int[] rankMembers(IndexedGroup group) {
        Integer[] order = new Integer[group.memberCount()];
        Arrays.setAll(order, m -> m);
        Arrays.sort(order, Comparator.comparing((Integer m) -> group.members[m], STATIC_FIRST)
                .thenComparingInt(m -> m));
        int[] rank = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            rank[order[i]] = i;
        }
        return rank;
    }
}
