package dev.pgkafka.domain.assignment;

import static dev.pgkafka.domain.assignment.Groups.MISSING;
import static dev.pgkafka.domain.assignment.Groups.T1;
import static dev.pgkafka.domain.assignment.Groups.T2;
import static dev.pgkafka.domain.assignment.Groups.T3;
import static dev.pgkafka.domain.assignment.Groups.group;
import static dev.pgkafka.domain.assignment.Groups.holds;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RangeAssignorTest {
    private final RangeAssignor range = new RangeAssignor();

    @Test
    void oneTwoAndThreeMembersOnSixPartitions() {
        assertEquals(holds(T1, 0, 1, 2, 3, 4, 5),
                range.assign(group().topic(T1, 6).member("a", Set.of(T1)).spec()).partitionsOf("a"));

        GroupAssignment two = range.assign(group().topic(T1, 6).member("b", Set.of(T1)).member("a", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 1, 2), two.partitionsOf("a"));
        assertEquals(holds(T1, 3, 4, 5), two.partitionsOf("b"));

        GroupAssignment three = range.assign(group().topic(T1, 6)
                .member("c", Set.of(T1)).member("a", Set.of(T1)).member("b", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 1), three.partitionsOf("a"));
        assertEquals(holds(T1, 2, 3), three.partitionsOf("b"));
        assertEquals(holds(T1, 4, 5), three.partitionsOf("c"));
    }

    @Test
    void theFirstMembersGetTheLongerRanges() {
        GroupAssignment a = range.assign(group().topic(T1, 7)
                .member("a", Set.of(T1)).member("b", Set.of(T1)).member("c", Set.of(T1)).spec());
        assertEquals(holds(T1, 0, 1, 2), a.partitionsOf("a"));
        assertEquals(holds(T1, 3, 4), a.partitionsOf("b"));
        assertEquals(holds(T1, 5, 6), a.partitionsOf("c"));
    }

    /** The example of Kafka's RangeAssignor javadoc. */
    @Test
    void topicsWithEqualPartitionCountsAreCoPartitioned() {
        GroupAssignment a = range.assign(group().topic(T1, 3).topic(T2, 3)
                .member("m0", Set.of(T1, T2)).member("m1", Set.of(T1, T2)).spec());
        assertEquals(Map.of(T1, Set.of(0, 1), T2, Set.of(0, 1)), a.partitionsOf("m0"));
        assertEquals(Map.of(T1, Set.of(2), T2, Set.of(2)), a.partitionsOf("m1"));
    }

    @Test
    void eachTopicIsSplitAmongItsOwnSubscribers() {
        GroupAssignment a = range.assign(group().topic(T1, 4).topic(T2, 4).topic(T3, 2)
                .member("a", Set.of(T1)).member("b", Set.of(T1, T2)).member("c", Set.of(T2, T3)).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(Map.of(T1, Set.of(2, 3), T2, Set.of(0, 1)), a.partitionsOf("b"));
        assertEquals(Map.of(T2, Set.of(2, 3), T3, Set.of(0, 1)), a.partitionsOf("c"));
    }

    @Test
    void moreMembersThanPartitionsLeavesTheLastOnesEmpty() {
        GroupAssignment a = range.assign(group().topic(T1, 2)
                .member("a", Set.of(T1)).member("b", Set.of(T1)).member("c", Set.of(T1)).spec());
        assertEquals(holds(T1, 0), a.partitionsOf("a"));
        assertEquals(holds(T1, 1), a.partitionsOf("b"));
        assertEquals(Map.of(), a.partitionsOf("c"));
    }

    @Test
    void staticMembersComeFirstInInstanceIdOrderAndKeepTheirRangesUnderNewMemberIds() {
        AssignmentSpec before = group().topic(T1, 6)
                .staticMember("z1", "i-1", Set.of(T1)).staticMember("a2", "i-2", Set.of(T1)).member("m", Set.of(T1))
                .spec();
        GroupAssignment a = range.assign(before);
        assertEquals(holds(T1, 0, 1), a.partitionsOf("z1"));
        assertEquals(holds(T1, 2, 3), a.partitionsOf("a2"));
        assertEquals(holds(T1, 4, 5), a.partitionsOf("m"));

        // both static members restart and rejoin with new member ids
        GroupAssignment after = range.assign(group().topic(T1, 6)
                .staticMember("b7", "i-1", Set.of(T1)).staticMember("a1", "i-2", Set.of(T1)).member("m", Set.of(T1))
                .spec());
        assertEquals(holds(T1, 0, 1), after.partitionsOf("b7"));
        assertEquals(holds(T1, 2, 3), after.partitionsOf("a1"));
    }

    @Test
    void currentAssignmentsDoNotMatter() {
        GroupAssignment a = range.assign(group().topic(T1, 4)
                .member("a", Set.of(T1), holds(T1, 2, 3)).member("b", Set.of(T1), holds(T1, 0, 1)).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(holds(T1, 2, 3), a.partitionsOf("b"));
    }

    @Test
    void unknownTopicsEmptySubscriptionsAndEmptyGroups() {
        GroupAssignment a = range.assign(group().topic(T1, 2).topic(T2, 2)
                .member("a", Set.of(T1, MISSING)).member("b", Set.of()).spec());
        assertEquals(holds(T1, 0, 1), a.partitionsOf("a"));
        assertEquals(Map.of(), a.partitionsOf("b"));
        assertEquals(GroupAssignment.EMPTY, range.assign(group().topic(T1, 2).spec()));
    }
}
