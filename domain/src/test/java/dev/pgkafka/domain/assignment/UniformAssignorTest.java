package dev.pgkafka.domain.assignment;

import static dev.pgkafka.domain.assignment.Groups.MISSING;
import static dev.pgkafka.domain.assignment.Groups.T1;
import static dev.pgkafka.domain.assignment.Groups.T2;
import static dev.pgkafka.domain.assignment.Groups.T3;
import static dev.pgkafka.domain.assignment.Groups.group;
import static dev.pgkafka.domain.assignment.Groups.holds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class UniformAssignorTest {
    private final UniformAssignor uniform = new UniformAssignor();

    @Test
    void oneMemberGetsEverything() {
        GroupAssignment a = uniform.assign(group().topic(T1, 6).member("a", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 1, 2, 3, 4, 5), a.partitionsOf("a"));
    }

    @Test
    void freshGroupsAreDealtRoundRobin() {
        GroupAssignment two = uniform.assign(group().topic(T1, 6).member("a", Set.of(T1)).member("b", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 2, 4), two.partitionsOf("a"));
        assertEquals(holds(T1, 1, 3, 5), two.partitionsOf("b"));

        GroupAssignment three = uniform.assign(group().topic(T1, 6)
                .member("c", Set.of(T1)).member("a", Set.of(T1)).member("b", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 3), three.partitionsOf("a"));
        assertEquals(holds(T1, 1, 4), three.partitionsOf("b"));
        assertEquals(holds(T1, 2, 5), three.partitionsOf("c"));
    }

    @Test
    void eachMemberGetsPartitionsOfEveryTopic() {
        GroupAssignment a = uniform.assign(group().topic(T1, 3).topic(T2, 3)
                .member("a", Set.of(T1, T2)).member("b", Set.of(T1, T2)).member("c", Set.of(T1, T2)).spec());
        assertEquals(Map.of(T1, Set.of(0), T2, Set.of(0)), a.partitionsOf("a"));
        assertEquals(Map.of(T1, Set.of(1), T2, Set.of(1)), a.partitionsOf("b"));
        assertEquals(Map.of(T1, Set.of(2), T2, Set.of(2)), a.partitionsOf("c"));
    }

    @Test
    void aJoiningMemberTakesOnlyWhatBalanceNeeds() {
        GroupAssignment a = uniform.assign(group().topic(T1, 6)
                .member("a", Set.of(T1), holds(T1, 0, 1, 2))
                .member("b", Set.of(T1), holds(T1, 3, 4, 5))
                .member("c", Set.of(T1)).spec());
        // each keeps its lowest two; the newcomer gets the two they shed: ⌊6/3⌋ moves
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(holds(T1, 3, 4), a.partitionsOf("b"));
        assertEquals(holds(T1, 2, 5), a.partitionsOf("c"));
    }

    @Test
    void aLeavingMembersPartitionsAreTheOnlyOnesToMove() {
        GroupAssignment a = uniform.assign(group().topic(T1, 6)
                .member("a", Set.of(T1), holds(T1, 0, 3))
                .member("b", Set.of(T1), holds(T1, 1, 4)).spec()); // c, which held 2 and 5, left
        assertEquals(holds(T1, 0, 2, 3), a.partitionsOf("a"));
        assertEquals(holds(T1, 1, 4, 5), a.partitionsOf("b"));
    }

    @Test
    void newPartitionsGoToTheMembersWithRoomWithoutMovingOthers() {
        GroupAssignment a = uniform.assign(group().topic(T1, 8)
                .member("a", Set.of(T1), holds(T1, 0, 2, 4))
                .member("b", Set.of(T1), holds(T1, 1, 3, 5)).spec());
        assertEquals(holds(T1, 0, 2, 4, 6), a.partitionsOf("a"));
        assertEquals(holds(T1, 1, 3, 5, 7), a.partitionsOf("b"));
    }

    @Test
    void aNewTopicIsSpreadWithoutMovingOthers() {
        GroupAssignment a = uniform.assign(group().topic(T1, 4).topic(T2, 2)
                .member("a", Set.of(T1, T2), holds(T1, 0, 1))
                .member("b", Set.of(T1, T2), holds(T1, 2, 3)).spec());
        assertEquals(Map.of(T1, Set.of(0, 1), T2, Set.of(0)), a.partitionsOf("a"));
        assertEquals(Map.of(T1, Set.of(2, 3), T2, Set.of(1)), a.partitionsOf("b"));
    }

    @Test
    void aSubscriptionChangeRevokesTheDroppedTopicAndRebalances() {
        // a switches from T1 to T2: its T1 partitions go to b, and b, now the heavier, hands T2 over
        GroupAssignment a = uniform.assign(group().topic(T1, 4).topic(T2, 4)
                .member("a", Set.of(T2), holds(T1, 0, 1))
                .member("b", Set.of(T1, T2), Map.of(T1, Set.of(2, 3), T2, Set.of(0, 1, 2, 3))).spec());
        assertEquals(Map.of(T1, Set.of(0, 1, 2, 3)), a.partitionsOf("b"));
        assertEquals(Map.of(T2, Set.of(0, 1, 2, 3)), a.partitionsOf("a"));
    }

    @Test
    void heterogeneousSubscriptionsAreBalancedAsFarAsTheyAllow() {
        AssignmentSpec spec = group().topic(T1, 6).topic(T2, 2).topic(T3, 1)
                .member("a", Set.of(T1)).member("b", Set.of(T1, T2)).member("c", Set.of(T2, T3)).member("d", Set.of(T3))
                .spec();
        GroupAssignment a = uniform.assign(spec);
        AssignmentChecks.assertValid(spec, a, "example");
        assertEquals(Map.of("a", 3, "b", 3, "c", 2, "d", 1), AssignmentChecks.loads(a));
    }

    /**
     * Kafka's heterogeneous builder stops here (its javadoc example): no single move helps, since a
     * (9) cannot take T2 and c (11) cannot take T1. The chain c → b → a can: two moves make it 10/10/10.
     */
    @Test
    void anImprovingChainIsShiftedEvenWhenNoSingleMoveHelps() {
        Set<Integer> t1Of9 = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8);
        Set<Integer> t1Of10 = Set.of(9, 10, 11, 12, 13, 14, 15, 16, 17, 18);
        Set<Integer> t2Of11 = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        AssignmentSpec spec = group().topic(T1, 19).topic(T2, 11)
                .member("a", Set.of(T1), Map.of(T1, t1Of9))
                .member("b", Set.of(T1, T2), Map.of(T1, t1Of10))
                .member("c", Set.of(T2), Map.of(T2, t2Of11)).spec();
        GroupAssignment a = uniform.assign(spec);
        assertEquals(Map.of("a", 10, "b", 10, "c", 10), AssignmentChecks.loads(a));
        assertEquals(2, AssignmentChecks.moved(spec, a));
    }

    /**
     * A staircase of six distinct subscriptions: only a chain of five transfers (m0 → m1 → ... → m5)
     * would even out 6/5/5/5/5/4. Chains are bounded at four transfers, so nothing moves.
     */
    @Test
    void chainsLongerThanTheBoundAreLeftAlone() {
        UUID t1 = new UUID(1, 1);
        UUID t2 = new UUID(1, 2);
        UUID t3 = new UUID(1, 3);
        UUID t4 = new UUID(1, 4);
        UUID t5 = new UUID(1, 5);
        AssignmentSpec spec = group().topic(t1, 6).topic(t2, 5).topic(t3, 5).topic(t4, 5).topic(t5, 9)
                .member("m0", Set.of(t1), holds(t1, 0, 1, 2, 3, 4, 5))
                .member("m1", Set.of(t1, t2), holds(t2, 0, 1, 2, 3, 4))
                .member("m2", Set.of(t2, t3), holds(t3, 0, 1, 2, 3, 4))
                .member("m3", Set.of(t3, t4), holds(t4, 0, 1, 2, 3, 4))
                .member("m4", Set.of(t4, t5), holds(t5, 0, 1, 2, 3, 4))
                .member("m5", Set.of(t5), holds(t5, 5, 6, 7, 8)).spec();
        assertEquals(5, UniformHeterogeneousBuilder.MAX_CHAIN + 1);
        GroupAssignment a = uniform.assign(spec);
        assertEquals(0, AssignmentChecks.moved(spec, a));
        assertEquals(Map.of("m0", 6, "m1", 5, "m2", 5, "m3", 5, "m4", 5, "m5", 4), AssignmentChecks.loads(a));
    }

    @Test
    void unknownTopicsAndMembersWithoutSubscriptionGetNothing() {
        GroupAssignment a = uniform.assign(group().topic(T1, 2)
                .member("a", Set.of(T1, MISSING)).member("b", Set.of()).member("c", Set.of(MISSING)).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(Map.of(), a.partitionsOf("b"));
        assertEquals(Map.of(), a.partitionsOf("c"));
        assertEquals(Set.of("a", "b", "c"), a.members().keySet());
    }

    @Test
    void partitionsNobodySubscribesToStayUnassigned() {
        GroupAssignment a = uniform.assign(group().topic(T1, 2).topic(T2, 3).member("a", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
    }

    @Test
    void anEmptyGroupGetsAnEmptyAssignment() {
        assertEquals(GroupAssignment.EMPTY, uniform.assign(group().topic(T1, 3).spec()));
        assertEquals(GroupAssignment.EMPTY, uniform.assign(group().spec()));
    }

    @Test
    void heldPartitionsThatNoLongerExistOrAreNoLongerSubscribedAreDropped() {
        UUID deleted = new UUID(7, 7);
        GroupAssignment a = uniform.assign(group().topic(T1, 2).topic(T2, 2)
                .member("a", Set.of(T1), Map.of(T1, Set.of(1, 5, -1), T2, Set.of(0), deleted, Set.of(0)))
                .member("b", Set.of(T2)).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(holds(T2, 0, 1), a.partitionsOf("b"));
    }

    @Test
    void aPartitionClaimedTwiceIsKeptByTheFirstMemberInIdOrder() {
        GroupAssignment a = uniform.assign(group().topic(T1, 2)
                .member("b", Set.of(T1), holds(T1, 0))
                .member("a", Set.of(T1), holds(T1, 0)).spec());
        assertEquals(holds(T1, 0), a.partitionsOf("a"));
        assertEquals(holds(T1, 1), a.partitionsOf("b"));
    }

    @Test
    void moreMembersThanPartitions() {
        GroupAssignment a = uniform.assign(group().topic(T1, 2)
                .member("a", Set.of(T1)).member("b", Set.of(T1)).member("c", Set.of(T1), holds(T1, 1)).spec());
        assertEquals(holds(T1, 1), a.partitionsOf("c"), "c keeps what it holds");
        assertEquals(1, a.partitionCount("a") + a.partitionCount("b"));
        assertTrue(a.partitionsOf("a").equals(holds(T1, 0)), "the extra slot goes to the first member in id order");
    }
}
