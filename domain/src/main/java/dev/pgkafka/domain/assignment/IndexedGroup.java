package dev.pgkafka.domain.assignment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * An {@link AssignmentSpec} numbered for the assignors: members 0..M-1 in member id order, topics
 * 0..T-1 in topic id order (only topics that exist and have a subscriber), subscriptions as sorted
 * index arrays. Sorting here is what makes every assignor independent of the spec's map order.
 * An assignment is {@code int[topic][partition] → member index}, {@code -1} for none.
 */
final class IndexedGroup {
    static final int NONE = -1;

    final String[] memberIds;
    final MemberSubscription[] members;
    final UUID[] topicIds;
    final int[] partitionCounts;
    /** Per member, the indices of the existing topics it subscribes to, ascending. */
    final int[][] subscriptions;
    /** Per topic, the indices of its subscribers, ascending. */
    final int[][] subscribers;

    private IndexedGroup(String[] memberIds, MemberSubscription[] members, UUID[] topicIds, int[] partitionCounts,
            int[][] subscriptions, int[][] subscribers) {
        this.memberIds = memberIds;
        this.members = members;
        this.topicIds = topicIds;
        this.partitionCounts = partitionCounts;
        this.subscriptions = subscriptions;
        this.subscribers = subscribers;
    }

    static IndexedGroup of(AssignmentSpec spec) {
        String[] memberIds = spec.members().keySet().toArray(String[]::new);
        Arrays.sort(memberIds);
        MemberSubscription[] members = new MemberSubscription[memberIds.length];
        TreeSet<UUID> subscribed = new TreeSet<>();
        for (int m = 0; m < memberIds.length; m++) {
            members[m] = spec.members().get(memberIds[m]);
            for (UUID topicId : members[m].subscribedTopicIds()) {
                if (spec.topics().containsKey(topicId)) {
                    subscribed.add(topicId);
                }
            }
        }
        UUID[] topicIds = subscribed.toArray(UUID[]::new);
        int[] partitionCounts = new int[topicIds.length];
        Map<UUID, Integer> topicIndex = new HashMap<>();
        for (int t = 0; t < topicIds.length; t++) {
            partitionCounts[t] = spec.topics().get(topicIds[t]).partitionCount();
            topicIndex.put(topicIds[t], t);
        }
        int[][] subscriptions = new int[memberIds.length][];
        int[] subscriberCounts = new int[topicIds.length];
        for (int m = 0; m < memberIds.length; m++) {
            subscriptions[m] = members[m].subscribedTopicIds().stream()
                    .map(topicIndex::get).filter(t -> t != null).mapToInt(Integer::intValue).sorted().toArray();
            for (int t : subscriptions[m]) {
                subscriberCounts[t]++;
            }
        }
        int[][] subscribers = new int[topicIds.length][];
        for (int t = 0; t < topicIds.length; t++) {
            subscribers[t] = new int[subscriberCounts[t]];
            subscriberCounts[t] = 0;
        }
        for (int m = 0; m < memberIds.length; m++) {
            for (int t : subscriptions[m]) {
                subscribers[t][subscriberCounts[t]++] = m;
            }
        }
        return new IndexedGroup(memberIds, members, topicIds, partitionCounts, subscriptions, subscribers);
    }

    int memberCount() {
        return memberIds.length;
    }

    int topicCount() {
        return topicIds.length;
    }

    boolean isSubscribed(int member, int topic) {
        return Arrays.binarySearch(subscriptions[member], topic) >= 0;
    }

    /** Members subscribed to at least one existing topic, ascending. */
    int[] subscribedMembers() {
        int[] result = new int[memberIds.length];
        int n = 0;
        for (int m = 0; m < memberIds.length; m++) {
            if (subscriptions[m].length > 0) {
                result[n++] = m;
            }
        }
        return Arrays.copyOf(result, n);
    }

    /** Whether all members that subscribe to anything subscribe to the same topics. */
    boolean isHomogeneous() {
        int[] first = null;
        for (int[] subscription : subscriptions) {
            if (subscription.length == 0) {
                continue;
            }
            if (first == null) {
                first = subscription;
            } else if (!Arrays.equals(first, subscription)) {
                return false;
            }
        }
        return true;
    }

    long totalPartitions() {
        long total = 0;
        for (int count : partitionCounts) {
            total += count;
        }
        return total;
    }

    /** An assignment in which no partition has an owner. */
    int[][] emptyAssignment() {
        int[][] owners = new int[topicIds.length][];
        for (int t = 0; t < topicIds.length; t++) {
            owners[t] = new int[partitionCounts[t]];
            Arrays.fill(owners[t], NONE);
        }
        return owners;
    }

    /**
     * The current assignment, cleaned: a partition counts as held only if it exists and its holder
     * subscribes to its topic. Should two members claim the same partition (the coordinator never
     * hands out such assignments), the first in member id order holds it.
     */
    int[][] currentOwners() {
        int[][] owners = emptyAssignment();
        Map<UUID, Integer> topicIndex = new HashMap<>();
        for (int t = 0; t < topicIds.length; t++) {
            topicIndex.put(topicIds[t], t);
        }
        for (int m = 0; m < memberIds.length; m++) {
            for (Map.Entry<UUID, Set<Integer>> held : members[m].currentAssignment().entrySet()) {
                Integer t = topicIndex.get(held.getKey());
                if (t == null || !isSubscribed(m, t)) {
                    continue;
                }
                for (int p : held.getValue()) {
                    if (p >= 0 && p < partitionCounts[t] && owners[t][p] == NONE) {
                        owners[t][p] = m;
                    }
                }
            }
        }
        return owners;
    }

    /** The assignment as the public value type; every member appears, with or without partitions. */
    GroupAssignment toAssignment(int[][] owners) {
        List<Map<UUID, Set<Integer>>> byMember = new ArrayList<>(memberIds.length);
        for (int m = 0; m < memberIds.length; m++) {
            byMember.add(new LinkedHashMap<>());
        }
        int[] counts = new int[memberIds.length];
        int[][] partitions = new int[memberIds.length][];
        for (int t = 0; t < topicIds.length; t++) {
            for (int owner : owners[t]) {
                if (owner != NONE) {
                    counts[owner]++;
                }
            }
            for (int m : subscribers[t]) {
                partitions[m] = new int[counts[m]];
                counts[m] = 0;
            }
            for (int p = 0; p < owners[t].length; p++) {
                int owner = owners[t][p];
                if (owner != NONE) {
                    partitions[owner][counts[owner]++] = p; // ascending, as p is
                }
            }
            for (int m : subscribers[t]) {
                if (counts[m] > 0) {
                    byMember.get(m).put(topicIds[t], PartitionSet.ofSorted(partitions[m]));
                }
                counts[m] = 0;
                partitions[m] = null;
            }
        }
        Map<String, Map<UUID, Set<Integer>>> result = new HashMap<>();
        for (int m = 0; m < memberIds.length; m++) {
            result.put(memberIds[m], byMember.get(m));
        }
        return new GroupAssignment(result);
    }
}
