package dev.pgkafka.domain.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The rules of {@link UniformAssignor} over random groups ({@link RandomGroups}). Seeded; the seed is
 * in every failure message: rerun one by changing the loop bounds.
 */
class UniformAssignorPropertyTest {
    private static final int SEEDS = 300;

    private final UniformAssignor uniform = new UniformAssignor();

    /**
     * Valid (see {@link AssignmentChecks#assertValid}); balanced: with identical subscriptions the
     * counts differ by at most one; otherwise no member holding a partition of topic t has two or more
     * than a subscriber of t, there is no improving chain of up to MAX_CHAIN transfers, and none at all
     * if the group has at most MAX_CHAIN distinct subscriptions.
     */
    @Test
    void everySubscribedPartitionIsAssignedOnceToASubscriberAndTheCountsAreBalanced() {
        for (long seed = 0; seed < SEEDS; seed++) {
            AssignmentSpec spec = RandomGroups.random(new Random(seed));
            String where = "seed " + seed;
            GroupAssignment a = uniform.assign(spec);
            assertValid(spec, a, where);
        }
    }

    /** The general builder alone, on groups the assignor would give to the homogeneous one. */
    @Test
    void theHeterogeneousBuilderAlsoBalancesIdenticalSubscriptionsToWithinOne() {
        for (long seed = 0; seed < SEEDS / 2; seed++) {
            AssignmentSpec spec = RandomGroups.random(new Random(seed), RandomGroups.Shape.IDENTICAL);
            String where = "seed " + seed;
            IndexedGroup group = IndexedGroup.of(spec);
            GroupAssignment a = group.toAssignment(UniformHeterogeneousBuilder.assign(group, group.currentOwners()));
            assertValid(spec, a, where);
            assertTrue(AssignmentChecks.spread(spec, a) <= 1, where + ": " + AssignmentChecks.loads(a));
        }
    }

    @Test
    void theResultDoesNotDependOnTheOrderOfTheInputsMapsAndSets() {
        for (long seed = 0; seed < SEEDS / 2; seed++) {
            Random random = new Random(seed);
            AssignmentSpec spec = RandomGroups.random(random);
            GroupAssignment a = uniform.assign(spec);
            for (int i = 0; i < 3; i++) {
                assertEquals(a, uniform.assign(RandomGroups.reordered(spec, random)), "seed " + seed);
            }
        }
    }

    /** Sticky at rest: assigning again from the result moves nothing. */
    @Test
    void reassigningFromTheResultChangesNothing() {
        for (long seed = 0; seed < SEEDS; seed++) {
            AssignmentSpec spec = RandomGroups.random(new Random(seed));
            GroupAssignment a = uniform.assign(spec);
            assertEquals(a, uniform.assign(Groups.afterAssignment(spec, a)), "seed " + seed);
        }
    }

    /**
     * Identical subscriptions, any valid current assignment: with P partitions over n members
     * (q = ⌊P/n⌋, r = P mod n) and member i validly holding c_i, the members keep exactly
     * Σ min(c_i, q) + min(r, #{i : c_i > q}) of their partitions: the most any assignment whose counts
     * differ by at most one allows (a member keeps at most its count, which is q or, for r members, q+1).
     */
    @Test
    void withIdenticalSubscriptionsMembersKeepTheMostThatBalanceAllows() {
        for (long seed = 0; seed < SEEDS; seed++) {
            AssignmentSpec spec = RandomGroups.random(new Random(seed), RandomGroups.Shape.IDENTICAL);
            String where = "seed " + seed;
            GroupAssignment a = uniform.assign(spec);

            List<String> members = new ArrayList<>();
            for (String m : spec.members().keySet()) {
                if (!Groups.effectiveSubscription(spec, m).isEmpty()) {
                    members.add(m);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            Set<UUID> topics = Groups.effectiveSubscription(spec, members.get(0));
            int total = topics.stream().mapToInt(t -> spec.topics().get(t).partitionCount()).sum();
            int q = total / members.size();
            int r = total % members.size();
            Map<String, Integer> held = validlyHeld(spec);
            int best = 0;
            int aboveQ = 0;
            for (String m : members) {
                best += Math.min(held.getOrDefault(m, 0), q);
                aboveQ += held.getOrDefault(m, 0) > q ? 1 : 0;
            }
            best += Math.min(r, aboveQ);
            assertEquals(best, kept(spec, a), where);
        }
    }

    /**
     * One member joins a balanced group of n members holding all P partitions: exactly ⌊P/(n+1)⌋
     * partitions move (so at most ⌈P/(n+1)⌉), all of them to the new member.
     */
    @Test
    void whenAMemberJoinsABalancedGroupOnlyItsShareMovesAndOnlyToIt() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec before = RandomGroups.balancedHomogeneous(random);
            String where = "seed " + seed;
            String newcomer = RandomGroups.randomMemberId(random);
            Set<UUID> subscription = before.members().values().iterator().next().subscribedTopicIds();
            AssignmentSpec spec = Groups.withMember(before, newcomer, MemberSubscription.of(subscription));
            GroupAssignment a = uniform.assign(spec);
            assertValid(spec, a, where);

            int n = before.members().size();
            int total = totalPartitions(before, subscription);
            assertEquals(total / (n + 1), AssignmentChecks.moved(spec, a), where + ": moved");
            assertEquals(total / (n + 1), a.partitionCount(newcomer), where + ": the newcomer's share");
        }
    }

    /** One member leaves a balanced group: exactly its partitions move, nobody else's. */
    @Test
    void whenAMemberLeavesABalancedGroupOnlyItsPartitionsMove() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec before = RandomGroups.balancedHomogeneous(random);
            if (before.members().size() < 2) {
                continue;
            }
            String where = "seed " + seed;
            List<String> ids = new ArrayList<>(before.members().keySet());
            String leaver = ids.get(random.nextInt(ids.size()));
            AssignmentSpec spec = Groups.withoutMember(before, leaver);
            GroupAssignment a = uniform.assign(spec);
            assertValid(spec, a, where);
            assertEquals(0, AssignmentChecks.moved(spec, a), where + ": a partition of a remaining member moved");
            int leaverHeld = before.members().get(leaver).currentAssignment().values().stream().mapToInt(Set::size).sum();
            assertEquals(kept(spec, a) + leaverHeld, totalPartitions(before,
                    before.members().get(leaver).subscribedTopicIds()), where);
        }
    }

    /** Partitions added to a balanced group's topics: every held partition stays where it is. */
    @Test
    void whenPartitionsAreAddedNoHeldPartitionMoves() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            AssignmentSpec before = RandomGroups.balancedHomogeneous(random);
            String where = "seed " + seed;
            Map<UUID, TopicMetadata> topics = new LinkedHashMap<>();
            before.topics().forEach((id, t) ->
                    topics.put(id, TopicMetadata.withPartitions(t.partitionCount() + random.nextInt(20))));
            AssignmentSpec spec = new AssignmentSpec(before.members(), topics);
            GroupAssignment a = uniform.assign(spec);
            assertValid(spec, a, where);
            assertEquals(0, AssignmentChecks.moved(spec, a), where);
        }
    }

    /**
     * Small groups, every valid assignment enumerated: the counts the assignor produces, sorted from
     * largest, are the lexicographically smallest of all (what "no improving chain" promises).
     */
    @Test
    void onSmallGroupsTheCountsAreTheBestOfAllValidAssignments() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            String where = "seed " + seed;
            AssignmentSpec spec = smallRandomGroup(random);
            GroupAssignment a = uniform.assign(spec);
            int[] best = bestSortedCounts(spec);
            int[] actual = spec.members().keySet().stream().mapToInt(a::partitionCount)
                    .boxed().sorted((x, y) -> y - x).mapToInt(Integer::intValue).toArray();
            assertEquals(Arrays.toString(best), Arrays.toString(actual), where + " " + spec);
        }
    }

    private static void assertValid(AssignmentSpec spec, GroupAssignment a, String where) {
        AssignmentChecks.assertValid(spec, a, where);
        if (Groups.isHomogeneous(spec) && AssignmentChecks.spread(spec, a) > 1) {
            fail(where + ": identical subscriptions, counts " + AssignmentChecks.loads(a));
        }
        AssignmentChecks.singleMoveImprovement(spec, a).ifPresent(s -> fail(where + ": " + s));
        AssignmentChecks.improvingChain(spec, a, UniformHeterogeneousBuilder.MAX_CHAIN)
                .ifPresent(s -> fail(where + ": " + s));
        if (AssignmentChecks.distinctSubscriptions(spec) <= UniformHeterogeneousBuilder.MAX_CHAIN) {
            AssignmentChecks.improvingChain(spec, a, Integer.MAX_VALUE)
                    .ifPresent(s -> fail(where + ": few distinct subscriptions, yet " + s));
        }
    }

    /** How many partitions members validly held (existing, subscribed, first claim) and still hold. */
    private static int kept(AssignmentSpec spec, GroupAssignment a) {
        int kept = 0;
        for (var member : spec.members().entrySet()) {
            Map<UUID, Set<Integer>> now = a.partitionsOf(member.getKey());
            for (var held : member.getValue().currentAssignment().entrySet()) {
                for (int p : held.getValue()) {
                    if (now.getOrDefault(held.getKey(), Set.of()).contains(p)) {
                        kept++;
                    }
                }
            }
        }
        return kept;
    }

    /** Per member, how many partitions it validly holds: existing, of a topic it subscribes to. */
    private static Map<String, Integer> validlyHeld(AssignmentSpec spec) {
        Map<String, Integer> held = new HashMap<>();
        for (var member : spec.members().entrySet()) {
            Set<UUID> subscription = Groups.effectiveSubscription(spec, member.getKey());
            for (var topic : member.getValue().currentAssignment().entrySet()) {
                if (!subscription.contains(topic.getKey())) {
                    continue;
                }
                int count = spec.topics().get(topic.getKey()).partitionCount();
                held.merge(member.getKey(),
                        (int) topic.getValue().stream().filter(p -> p >= 0 && p < count).count(), Integer::sum);
            }
        }
        return held; // RandomGroups never lets two members claim one partition
    }

    private static int totalPartitions(AssignmentSpec spec, Set<UUID> topics) {
        return topics.stream().filter(spec.topics()::containsKey)
                .mapToInt(t -> spec.topics().get(t).partitionCount()).sum();
    }

    /**
     * 1–4 members, 1–3 topics of 1–3 partitions (at most 7 in all), random subscriptions (half of the
     * time banded: member i takes topics i-1 and i of the row, as in Kafka's example of an imbalance
     * no single move fixes) and random holdings favouring the first members.
     */
    private static AssignmentSpec smallRandomGroup(Random random) {
        Map<UUID, Integer> topics = new LinkedHashMap<>();
        int topicCount = 1 + random.nextInt(3);
        int total = 0;
        for (int t = 0; t < topicCount && total < 7; t++) {
            int partitions = Math.min(1 + random.nextInt(3), 7 - total);
            topics.put(new UUID(1, t), partitions);
            total += partitions;
        }
        List<UUID> ids = new ArrayList<>(topics.keySet());
        boolean banded = random.nextBoolean();
        Map<String, MemberSubscription> members = new LinkedHashMap<>();
        int memberCount = 1 + random.nextInt(4);
        for (int m = 0; m < memberCount; m++) {
            Set<UUID> subscription = new HashSet<>();
            for (int t = 0; t < ids.size(); t++) {
                if (banded ? t == Math.min(m, ids.size() - 1) || t == m - 1 : random.nextBoolean()) {
                    subscription.add(ids.get(t));
                }
            }
            members.put("m" + m, MemberSubscription.of(subscription));
        }
        Map<String, Map<UUID, Set<Integer>>> holds = new HashMap<>();
        for (UUID t : ids) {
            for (int p = 0; p < topics.get(t); p++) {
                if (random.nextInt(5) > 0) {
                    String m = "m" + Math.min(random.nextInt(memberCount), random.nextInt(memberCount));
                    holds.computeIfAbsent(m, x -> new HashMap<>()).computeIfAbsent(t, x -> new HashSet<>()).add(p);
                }
            }
        }
        members.replaceAll((m, s) -> s.withCurrentAssignment(holds.getOrDefault(m, Map.of())));
        return AssignmentSpec.of(members, topics);
    }

    /** Enumerates every valid assignment; the lexicographically smallest counts, sorted largest first. */
    private static int[] bestSortedCounts(AssignmentSpec spec) {
        List<String> members = new ArrayList<>(spec.members().keySet());
        List<int[]> choices = new ArrayList<>(); // per assignable partition: the indices of its subscribers
        for (UUID topic : spec.topics().keySet()) {
            int[] subscribers = IntStream.range(0, members.size())
                    .filter(m -> Groups.effectiveSubscription(spec, members.get(m)).contains(topic)).toArray();
            if (subscribers.length > 0) {
                for (int p = 0; p < spec.topics().get(topic).partitionCount(); p++) {
                    choices.add(subscribers);
                }
            }
        }
        int[][] best = {null};
        enumerate(choices, 0, new int[members.size()], best);
        return best[0];
    }

    private static void enumerate(List<int[]> choices, int i, int[] counts, int[][] best) {
        if (i == choices.size()) {
            int[] sorted = Arrays.stream(counts).boxed().sorted((x, y) -> y - x).mapToInt(Integer::intValue).toArray();
            if (best[0] == null || Arrays.compare(sorted, best[0]) < 0) {
                best[0] = sorted;
            }
            return;
        }
        for (int m : choices.get(i)) {
            counts[m]++;
            enumerate(choices, i + 1, counts, best);
            counts[m]--;
        }
    }
}
