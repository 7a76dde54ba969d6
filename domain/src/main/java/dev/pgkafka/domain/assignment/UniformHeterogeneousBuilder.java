package dev.pgkafka.domain.assignment;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * {@code uniform} for a group whose members subscribe to different topics.
 * <ol>
 *   <li>Keep: every member keeps every partition it holds (of a topic it still subscribes to).</li>
 *   <li>Fill: the unheld partitions go, topic by topic, each to the subscriber holding the fewest.
 *       Topics with the most partitions per subscriber go first, then those with fewer subscribers,
 *       then by topic id (Kafka's order: the topics with the least choice first).</li>
 *   <li>Even out each topic: while a subscriber holds at least two fewer partitions than a holder of
 *       one of the topic's partitions, move one across. Repeated over the topics a bounded number of
 *       times: this does the bulk of the moves cheaply.</li>
 *   <li>Remove improving chains: while some member C can reach a member A holding at least two fewer
 *       in at most {@value #MAX_CHAIN} transfers (C gives a partition of topic t to a subscriber B of
 *       t, B one of topic t' to a subscriber of t', ... to A), shift one partition along a shortest
 *       such chain: C loses one, A gains one, the members between keep their counts.</li>
 * </ol>
 * Every move lowers the sum of squared partition counts by at least two, so this ends.
 *
 * <p>A shortest improving chain never passes two members with equal subscriptions (whoever gives to
 * the first could give straight to the second), so it has at most D transfers, D being the number of
 * distinct subscriptions. Hence with D ≤ {@value #MAX_CHAIN} no improving chain of any length is left,
 * which means the least sum of squared counts any valid assignment has (the optimality condition of
 * semi-matchings: Harvey, Ladner, Lovász, Tamir 2003), and the counts sorted largest first are the
 * lexicographically smallest (the property tests check this by enumeration). The bound keeps a shift
 * from moving more than {@value #MAX_CHAIN} partitions: with hundreds of distinct subscriptions
 * (a "staircase") global optimality can cost moving nearly every partition for a count of one less.
 * Kafka stops after step 3, which leaves chains even of two transfers (ADR 0009).
 */
final class UniformHeterogeneousBuilder {
    /** Rounds of step 3; step 4 finishes whatever they leave, so the bound costs balance nothing. */
    private static final int TOPIC_ROUNDS = 16;
    /** The most transfers in one improving chain; one transfer is a single move. */
    static final int MAX_CHAIN = 4;

    private final IndexedGroup group;
    private final int[][] owners;
    private final int[] loads;
    /** held[m][k]: member m's partitions of topic subscriptions[m][k], most recently received last. */
    private final PartitionStack[][] held;

    private UniformHeterogeneousBuilder(IndexedGroup group) {
        this.group = group;
        this.owners = group.emptyAssignment();
        this.loads = new int[group.memberCount()];
        this.held = new PartitionStack[group.memberCount()][];
        for (int m = 0; m < group.memberCount(); m++) {
            held[m] = new PartitionStack[group.subscriptions[m].length];
        }
    }

    static int[][] assign(IndexedGroup group, int[][] current) {
        UniformHeterogeneousBuilder builder = new UniformHeterogeneousBuilder(group);
        builder.keep(current);
        builder.fill();
        builder.evenOutTopics();
        builder.removeImprovingChains();
        return builder.owners;
    }

    private void keep(int[][] current) {
        for (int t = 0; t < current.length; t++) {
            for (int p = 0; p < current[t].length; p++) {
                if (current[t][p] != IndexedGroup.NONE) {
                    give(t, p, current[t][p]);
                }
            }
        }
    }

    private void fill() {
        for (int t : topicsLeastChoiceFirst()) {
            PriorityQueue<Long> subscribers = new PriorityQueue<>();
            for (int m : group.subscribers[t]) {
                subscribers.add(loadKey(m));
            }
            for (int p = 0; p < owners[t].length; p++) {
                if (owners[t][p] == IndexedGroup.NONE) {
                    int m = memberOf(subscribers.remove());
                    give(t, p, m);
                    subscribers.add(loadKey(m));
                }
            }
        }
    }

    private void evenOutTopics() {
        int[] topics = topicsLeastChoiceFirst();
        for (int round = 0; round < TOPIC_ROUNDS; round++) {
            int moves = 0;
            for (int t : topics) {
                moves += evenOut(t);
            }
            if (moves == 0) {
                return;
            }
        }
    }

    /** Moves partitions of topic t from its heaviest holders to its lightest subscribers; returns how many. */
    private int evenOut(int t) {
        int[] subscribers = group.subscribers[t];
        if (subscribers.length < 2) {
            return 0;
        }
        TreeSet<Long> byLoad = new TreeSet<>();
        TreeSet<Long> holdersByLoad = new TreeSet<>();
        for (int m : subscribers) {
            byLoad.add(loadKey(m));
            if (holds(m, t)) {
                holdersByLoad.add(loadKey(m));
            }
        }
        int moves = 0;
        while (!holdersByLoad.isEmpty()) {
            int giver = memberOf(holdersByLoad.last());
            int taker = memberOf(byLoad.first());
            if (loads[giver] - loads[taker] < 2) {
                return moves;
            }
            byLoad.remove(loadKey(giver));
            byLoad.remove(loadKey(taker));
            holdersByLoad.remove(loadKey(giver));
            holdersByLoad.remove(loadKey(taker));
            move(t, giver, taker);
            moves++;
            byLoad.add(loadKey(giver));
            byLoad.add(loadKey(taker));
            holdersByLoad.add(loadKey(taker));
            if (holds(giver, t)) {
                holdersByLoad.add(loadKey(giver));
            }
        }
        return moves;
    }

    /**
     * Step 4, heaviest members first. Only members holding at least two more than the lightest can
     * start a chain; the lightest count never drops (a giver stays above its taker), so it is a floor
     * for a whole pass. The loop ends after a pass without moves.
     */
    private void removeImprovingChains() {
        int[] members = group.subscribedMembers();
        if (members.length == 0) {
            return;
        }
        ChainSearch search = new ChainSearch();
        boolean moved = true;
        while (moved) {
            moved = false;
            Integer[] heaviestFirst = Arrays.stream(members).boxed().toArray(Integer[]::new);
            Arrays.sort(heaviestFirst, Comparator.comparingInt((Integer m) -> -loads[m]).thenComparingInt(m -> m));
            int floor = loads[heaviestFirst[heaviestFirst.length - 1]];
            for (int c : heaviestFirst) {
                if (loads[c] < floor + 2) {
                    break;
                }
                for (int target = search.nearestTwoLighter(c); target != IndexedGroup.NONE;
                        target = search.nearestTwoLighter(c)) {
                    search.shiftAlongChain(c, target);
                    moved = true;
                }
            }
        }
    }

    /**
     * Breadth-first search over "member holds a partition of topic t" → "member subscribes to t", at
     * most {@link #MAX_CHAIN} transfers deep.
     */
    private final class ChainSearch {
        private final int[] memberSeen = new int[group.memberCount()];
        private final int[] memberVia = new int[group.memberCount()];
        private final int[] depth = new int[group.memberCount()];
        private final int[] topicSeen = new int[group.topicCount()];
        private final int[] topicVia = new int[group.topicCount()];
        private final int[] queue = new int[group.memberCount()];
        private int epoch;

        /** The nearest member c reaches that holds at least two fewer, or NONE. */
        int nearestTwoLighter(int c) {
            epoch++;
            memberSeen[c] = epoch;
            depth[c] = 0;
            queue[0] = c;
            int reached = 1;
            for (int head = 0; head < reached; head++) {
                int m = queue[head];
                if (depth[m] == MAX_CHAIN) {
                    continue;
                }
                int[] topics = group.subscriptions[m];
                for (int k = 0; k < topics.length; k++) {
                    int t = topics[k];
                    if (held[m][k] == null || held[m][k].isEmpty() || topicSeen[t] == epoch) {
                        continue;
                    }
                    topicSeen[t] = epoch;
                    topicVia[t] = m;
                    for (int b : group.subscribers[t]) {
                        if (memberSeen[b] != epoch) {
                            memberSeen[b] = epoch;
                            memberVia[b] = t;
                            depth[b] = depth[m] + 1;
                            queue[reached++] = b;
                            if (loads[b] <= loads[c] - 2) {
                                return b;
                            }
                        }
                    }
                }
            }
            return IndexedGroup.NONE;
        }

        /** Each member on the chain from c to target gives one partition to the next: c -1, target +1. */
        void shiftAlongChain(int c, int target) {
            for (int taker = target; taker != c; ) {
                int t = memberVia[taker];
                int giver = topicVia[t];
                move(t, giver, taker);
                taker = giver;
            }
        }
    }

    /** Topics by partitions per subscriber descending, then subscriber count ascending, then topic id. */
    private int[] topicsLeastChoiceFirst() {
        Integer[] topics = new Integer[group.topicCount()];
        Arrays.setAll(topics, t -> t);
        Arrays.sort(topics, (a, b) -> {
            // partitions[a] / subscribers[a] against partitions[b] / subscribers[b], without division
            long scaledA = (long) group.partitionCounts[a] * group.subscribers[b].length;
            long scaledB = (long) group.partitionCounts[b] * group.subscribers[a].length;
            int order = Long.compare(scaledB, scaledA);
            if (order == 0) {
                order = Integer.compare(group.subscribers[a].length, group.subscribers[b].length);
            }
            return order != 0 ? order : Integer.compare(a, b);
        });
        return Arrays.stream(topics).mapToInt(Integer::intValue).toArray();
    }

    private void give(int t, int p, int m) {
        int k = slot(m, t);
        if (held[m][k] == null) {
            held[m][k] = new PartitionStack();
        }
        held[m][k].push(p);
        owners[t][p] = m;
        loads[m]++;
    }

    /** Moves the giver's most recently received partition of topic t to the taker. */
    private void move(int t, int giver, int taker) {
        int p = held[giver][slot(giver, t)].pop();
        loads[giver]--;
        give(t, p, taker);
    }

    private boolean holds(int m, int t) {
        PartitionStack partitions = held[m][slot(m, t)];
        return partitions != null && !partitions.isEmpty();
    }

    private int slot(int m, int t) {
        int k = Arrays.binarySearch(group.subscriptions[m], t);
        if (k < 0) {
            throw new IllegalStateException("member " + group.memberIds[m] + " does not subscribe to topic "
                    + group.topicIds[t]);
        }
        return k;
    }

    /** Orders members by load, then index: the key of a member changes whenever its load does. */
    private long loadKey(int m) {
        return ((long) loads[m] << 32) | m;
    }

    private static int memberOf(long loadKey) {
        return (int) loadKey;
    }

    private static final class PartitionStack {
        private int[] partitions = new int[4];
        private int size;

        void push(int p) {
            if (size == partitions.length) {
                partitions = Arrays.copyOf(partitions, size * 2);
            }
            partitions[size++] = p;
        }

        int pop() {
            return partitions[--size];
        }

        boolean isEmpty() {
            return size == 0;
        }
    }
}
