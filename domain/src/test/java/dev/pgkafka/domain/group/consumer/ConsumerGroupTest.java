package dev.pgkafka.domain.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.regex.ClientRegex;
import dev.pgkafka.domain.regex.JdkRegexEngine;
import dev.pgkafka.domain.regex.RegexEngine;
import dev.pgkafka.domain.topic.Topic;

class ConsumerGroupTest {
    static final UUID ORDERS_ID = new UUID(0, 1);
    static final Topic ORDERS = new Topic(ORDERS_ID, "orders", 6, Map.of());
    static final ConsumerGroupConfig CONFIG = new ConsumerGroupConfig(10_000, 1_000, 100);
    static final RegexEngine REGEX = JdkRegexEngine.INSTANCE;

    TopicImage image = new TopicImage(List.of(ORDERS));
    ConsumerGroup group = new ConsumerGroup("g", CONFIG, REGEX);

    @Test
    void theFirstMemberGetsEveryPartitionAtEpochOne() {
        Client a = new Client("a", null, List.of("orders"));
        ConsumerGroup.Outcome outcome = a.join(group, image, 0);
        assertEquals(ErrorCode.NONE, outcome.result().error());
        assertEquals(1, outcome.result().memberEpoch());
        assertEquals(1_000, outcome.result().heartbeatIntervalMs());
        assertEquals(Map.of(ORDERS_ID, Set.of(0, 1, 2, 3, 4, 5)), outcome.result().assignment());
        assertTrue(outcome.changed());
        assertEquals(ConsumerGroupState.STABLE, group.state());
        assertEquals(1, group.groupEpoch());
        assertEquals(1, group.assignmentEpoch());
    }

    @Test
    void aJoiningMemberGetsPartitionsOnlyAfterTheOwnerRevokedThem() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        a.join(group, image, 0);
        ConsumerGroup.Outcome joined = b.join(group, image, 1);
        assertEquals(2, group.groupEpoch());
        assertEquals(2, joined.result().memberEpoch(), "the newcomer moves to the target epoch at once");
        assertEquals(Map.of(), joined.result().assignment(), "but every partition of its target is still owned by a");
        assertEquals(ConsumerGroupState.RECONCILING, group.state());
        assertEquals(3, TopicPartitions.count(group.targetOf("b")));

        ConsumerGroup.Outcome revoke = a.heartbeat(group, image, 2);
        assertEquals(1, revoke.result().memberEpoch(), "a stays in its epoch until it revoked");
        assertEquals(3, TopicPartitions.count(revoke.result().assignment()));
        // b asks again: a has not acknowledged yet (it reports its new, smaller set only at its next heartbeat)
        b.heartbeat(group, image, 3);
        assertEquals(Map.of(), b.owned);

        ConsumerGroup.Outcome acked = a.heartbeat(group, image, 4);
        assertEquals(2, acked.result().memberEpoch());
        ConsumerGroup.Outcome assigned = b.heartbeat(group, image, 5);
        assertEquals(group.targetOf("b"), assigned.result().assignment());
        assertEquals(ConsumerGroupState.STABLE, group.state());
        assertTrue(TopicPartitions.intersection(a.owned, b.owned).isEmpty());
    }

    @Test
    void aMemberThatStillReportsRevokedPartitionsKeepsItsEpoch() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        a.join(group, image, 0);
        Map<UUID, Set<Integer>> all = a.owned;
        b.join(group, image, 1);
        a.heartbeat(group, image, 2);
        a.owned = all; // still busy revoking
        assertEquals(1, a.heartbeat(group, image, 3).result().memberEpoch());
        ConsumerGroupMember member = group.members().stream().filter(m -> m.memberId().equals("a")).findFirst().orElseThrow();
        assertEquals(MemberState.UNREVOKED_PARTITIONS, member.state());
        assertEquals(3, TopicPartitions.count(member.partitionsPendingRevocation()));
    }

    @Test
    void leavingBumpsTheEpochAndTheOthersTakeOver() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        settle(List.of(a, b));
        ConsumerGroup.Outcome left = b.leave(group, image, 10);
        assertEquals(-1, left.result().memberEpoch());
        assertEquals(3, group.groupEpoch());
        assertEquals(ConsumerGroupState.ASSIGNING, group.state());
        ConsumerGroup.Outcome after = a.heartbeat(group, image, 11);
        assertEquals(3, after.result().memberEpoch());
        assertEquals(6, TopicPartitions.count(after.result().assignment()));
        assertEquals(ConsumerGroupState.STABLE, group.state());
    }

    @Test
    void epochsOtherThanTheMembersAreFencedExceptThePreviousOneWithASubset() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        settle(List.of(a, b));
        int epoch = a.epoch;
        a.epoch = epoch + 1;
        assertEquals(ErrorCode.FENCED_MEMBER_EPOCH, a.heartbeat(group, image, 20).result().error());
        Client again = new Client("a", null, List.of("orders"));
        again.epoch = epoch - 1;
        again.owned = Map.of();
        ConsumerGroupMember member = group.members().stream().filter(m -> m.memberId().equals("a")).findFirst().orElseThrow();
        ConsumerHeartbeatResult lost = again.heartbeat(group, image, 21).result();
        if (member.previousMemberEpoch() == epoch - 1) {
            assertEquals(ErrorCode.NONE, lost.error(), "the previous epoch with a subset is a lost answer");
        } else {
            assertEquals(ErrorCode.FENCED_MEMBER_EPOCH, lost.error());
        }
        Client stranger = new Client("nobody", null, List.of("orders"));
        stranger.epoch = 3;
        assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, stranger.heartbeat(group, image, 22).result().error());
    }

    @Test
    void malformedFirstHeartbeatsAndUnknownAssignorsAreRefused() {
        PartitionAssignors assignors = PartitionAssignors.builtIn();
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("", join("m", List.of("t"), null), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", join("", List.of("t"), null), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", join("m", List.of(), null), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", new ConsumerHeartbeat("m", 0, null, null, -1,
                List.of("t"), null, null, Map.of(), "c", "h", true), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", new ConsumerHeartbeat("m", 0, null, null, 1000,
                List.of("t"), null, null, Map.of(ORDERS_ID, Set.of(1)), "c", "h", true), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", new ConsumerHeartbeat("m", -2, null, null, -1,
                null, null, null, null, "c", "h", true), assignors, REGEX));
        assertError(ErrorCode.INVALID_REQUEST, ConsumerGroup.validate("g", new ConsumerHeartbeat("m", -3, null, null, -1,
                null, null, null, null, "c", "h", true), assignors, REGEX));
        assertError(ErrorCode.INVALID_REGULAR_EXPRESSION, ConsumerGroup.validate("g", join("m", null, "orders-("), assignors, REGEX));
        assertError(ErrorCode.INVALID_REGULAR_EXPRESSION, ConsumerGroup.validate("g",
                join("m", null, "o".repeat(ClientRegex.MAX_LENGTH) + ".*"), assignors, REGEX));
        ConsumerHeartbeat sticky = new ConsumerHeartbeat("m", 0, null, null, 1000, List.of("t"), null, "sticky", Map.of(),
                "c", "h", true);
        assertError(ErrorCode.UNSUPPORTED_ASSIGNOR, ConsumerGroup.validate("g", sticky, assignors, REGEX));
        assertTrue(ConsumerGroup.validate("g", join("", List.of("t"), null).withV0(), assignors, REGEX).isEmpty(),
                "v0 lets the coordinator choose the member id");
        assertTrue(ConsumerGroup.validate("g", join("m", null, "orders-.*"), assignors, REGEX).isEmpty());
    }

    @Test
    void aStaticMemberThatLeftTemporarilyGetsItsPartitionsBackUnderANewMemberId() {
        Client a = new Client("a1", "instance-a", List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        settle(List.of(a, b));
        Map<UUID, Set<Integer>> before = a.owned;
        int epoch = group.groupEpoch();
        assertEquals(-2, a.leave(group, image, 30).result().memberEpoch());
        assertEquals(epoch, group.groupEpoch(), "a temporary leave moves nothing");
        Client stillB = b;
        stillB.heartbeat(group, image, 31);
        assertEquals(3, TopicPartitions.count(stillB.owned), "b does not get a's partitions meanwhile");

        Client successor = new Client("a2", "instance-a", List.of("orders"));
        ConsumerGroup.Outcome back = successor.join(group, image, 33);
        assertEquals(ErrorCode.NONE, back.result().error());
        assertEquals(before, back.result().assignment());
        assertEquals(epoch, group.groupEpoch(), "nor does the return");
        assertEquals(List.of("a2", "b"), group.members().stream().map(ConsumerGroupMember::memberId).toList());
    }

    @Test
    void aStaticMemberThatLeftTemporarilyMayComeBackUnderItsOwnMemberId() {
        Client a = new Client("a1", "instance-a", List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        settle(List.of(a, b));
        int epoch = a.epoch;
        a.leave(group, image, 40);
        Client c = new Client("c", null, List.of("orders"));
        c.join(group, image, 41); // the target moves on while a is away: a must give something up
        ConsumerGroup.Outcome back = a.join(group, image, 42);
        assertEquals(ErrorCode.NONE, back.result().error());
        assertEquals(epoch, back.result().memberEpoch(), "the epoch it left with, not the -2 of its temporary leave");
        assertEquals(2, TopicPartitions.count(back.result().assignment()), "three partitions, one to revoke");
        for (int i = 0; i < 3; i++) {
            for (Client client : List.of(a, b, c)) {
                client.heartbeat(group, image, 43 + i);
            }
        }
        assertEquals(ConsumerGroupState.STABLE, group.state());
        assertEquals(2, TopicPartitions.count(a.owned));
    }

    @Test
    void aSecondLiveMemberWithTheSameInstanceIdIsRefused() {
        Client a = new Client("a1", "instance-a", List.of("orders"));
        a.join(group, image, 0);
        Client twin = new Client("a2", "instance-a", List.of("orders"));
        assertEquals(ErrorCode.UNRELEASED_INSTANCE_ID, twin.join(group, image, 1).result().error());
        Client wrongId = new Client("a2", "instance-a", List.of("orders"));
        wrongId.epoch = 1;
        assertEquals(ErrorCode.FENCED_INSTANCE_ID, wrongId.heartbeat(group, image, 2).result().error());
    }

    @Test
    void membersWithoutHeartbeatsOrRevocationsAreRemovedAtTheirDeadline() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        a.join(group, image, 0);
        b.join(group, image, 0);
        a.heartbeat(group, image, 0); // a must now revoke three partitions, within its rebalance timeout (30 s)
        b.heartbeat(group, image, 9_000);
        assertEquals(10_000, group.nextDeadline());
        ConsumerGroup.Outcome expired = group.tick(10_000);
        assertTrue(expired.changed());
        assertEquals(List.of("b"), group.members().stream().map(ConsumerGroupMember::memberId).toList());
        assertTrue(expired.events().getFirst().contains("session"), expired.events().toString());
        ConsumerGroup.Outcome taken = b.heartbeat(group, image, 10_001);
        assertEquals(6, TopicPartitions.count(taken.result().assignment()));

        ConsumerGroup revoking = new ConsumerGroup("r", new ConsumerGroupConfig(100_000, 1_000, 100), REGEX);
        Client c = new Client("c", null, List.of("orders"));
        Client d = new Client("d", null, List.of("orders"));
        c.join(revoking, image, 0);
        d.join(revoking, image, 0);
        Map<UUID, Set<Integer>> all = c.owned;
        c.heartbeat(revoking, image, 0);
        c.owned = all; // it never revokes
        c.heartbeat(revoking, image, 29_000);
        assertTrue(revoking.tick(30_000).events().getFirst().contains("did not revoke"));
        assertEquals(List.of("d"), revoking.members().stream().map(ConsumerGroupMember::memberId).toList());
    }

    @Test
    void newPartitionsAndNewTopicsMatchingARegexBumpTheEpoch() {
        Client a = new Client("a", null, null);
        a.regex = "orders.*";
        a.topics = null;
        a.join(group, image, 0);
        assertEquals(6, TopicPartitions.count(a.owned));
        assertEquals(1, group.groupEpoch());
        a.heartbeat(group, image, 1);
        assertEquals(1, group.groupEpoch(), "nothing changed");

        UUID eu = new UUID(0, 2);
        TopicImage more = new TopicImage(List.of(new Topic(ORDERS_ID, "orders", 8, Map.of()), new Topic(eu, "orders-eu", 2,
                Map.of()), new Topic(new UUID(0, 3), "payments", 3, Map.of())));
        ConsumerGroup.Outcome grown = a.heartbeat(group, more, 2);
        assertEquals(2, group.groupEpoch());
        assertEquals(Map.of(ORDERS_ID, Set.of(0, 1, 2, 3, 4, 5, 6, 7), eu, Set.of(0, 1)), grown.result().assignment());
    }

    @Test
    void aRegexResolvesOnlyToTheTopicsItsMemberMaySee() {
        UUID eu = new UUID(0, 2);
        UUID us = new UUID(0, 3);
        TopicImage three = new TopicImage(List.of(ORDERS, new Topic(eu, "orders-eu", 2, Map.of()),
                new Topic(us, "orders-us", 2, Map.of())));
        Client a = new Client("a", null, null);
        a.regex = "orders.*";
        a.visibleTopics = name -> !name.equals("orders-us");
        a.join(group, three, 0);
        assertEquals(Set.of(ORDERS_ID, eu), a.owned.keySet(), "orders-us is not the member's to see");
        assertTrue(group.isSubscribedTo(ORDERS));
        assertFalse(group.isSubscribedTo(three.find("orders-us").orElseThrow()));

        // another member's view is its own: it sees only orders-us, and brings it into the group
        Client b = new Client("b", null, null);
        b.regex = "orders.*";
        b.visibleTopics = name -> name.equals("orders-us");
        b.join(group, three, 1);
        for (int i = 2; i < 10; i++) {
            a.heartbeat(group, three, i);
            b.heartbeat(group, three, i);
        }
        assertEquals(ConsumerGroupState.STABLE, group.state());
        assertEquals(Map.of(us, Set.of(0, 1)), b.owned);
        assertEquals(Set.of(ORDERS_ID, eu), a.owned.keySet());
        int epoch = group.groupEpoch();
        a.heartbeat(group, three, 10);
        b.heartbeat(group, three, 11);
        assertEquals(epoch, group.groupEpoch(), "views that do not change do not move the epoch");
    }

    @Test
    void theRangeAssignorIsUsedWhenTheMembersAskForIt() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        a.assignor = "range";
        b.assignor = "range";
        settle(List.of(a, b));
        assertEquals(Map.of(ORDERS_ID, Set.of(0, 1, 2)), a.owned);
        assertEquals(Map.of(ORDERS_ID, Set.of(3, 4, 5)), b.owned);
        assertEquals("range", group.describe(PartitionAssignors.builtIn()).assignorName());
        assertEquals("uniform", new ConsumerGroup("x", CONFIG, REGEX).describe(PartitionAssignors.builtIn()).assignorName());
    }

    @Test
    void aRestoredGroupCarriesOnWithoutANewEpoch() {
        Client a = new Client("a", null, List.of("orders"));
        Client b = new Client("b", null, List.of("orders"));
        settle(List.of(a, b));
        ConsumerGroup restored = ConsumerGroup.restore(group.snapshot(), CONFIG, REGEX, 1_000_000);
        assertEquals(group.snapshot(), restored.snapshot());
        Map<UUID, Set<Integer>> owned = a.owned;
        ConsumerGroup.Outcome carriedOn = a.heartbeat(restored, image, 1_000_001);
        assertEquals(ErrorCode.NONE, carriedOn.result().error());
        assertFalse(carriedOn.changed());
        assertNull(carriedOn.result().assignment());
        assertEquals(owned, a.owned);
        assertEquals(1_000_000 + CONFIG.sessionTimeoutMs(), restored.nextDeadline());
    }

    @Test
    void offsetCommitsAreCheckedAgainstTheMemberEpoch() {
        Client a = new Client("a", null, List.of("orders"));
        a.join(group, image, 0);
        assertEquals(ErrorCode.NONE, group.validateOffsetCommit("a", 1));
        assertEquals(ErrorCode.STALE_MEMBER_EPOCH, group.validateOffsetCommit("a", 0));
        assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.validateOffsetCommit("b", 1));
        assertEquals(ErrorCode.NONE, group.validateOffsetCommit("", -1));
        assertTrue(group.isSubscribedTo(ORDERS));
    }

    /** Heartbeats every client until the group is stable. */
    private void settle(List<Client> clients) {
        long now = 0;
        for (Client c : clients) {
            c.join(group, image, now++);
        }
        for (int round = 0; round < 10 && group.state() != ConsumerGroupState.STABLE; round++) {
            for (Client c : clients) {
                c.heartbeat(group, image, now++);
            }
        }
        for (Client c : clients) {
            c.heartbeat(group, image, now++);
        }
        assertEquals(ConsumerGroupState.STABLE, group.state());
    }

    private static ConsumerHeartbeat join(String memberId, List<String> topics, String regex) {
        return new ConsumerHeartbeat(memberId, 0, null, null, 1000, topics, regex, null, Map.of(), "c", "h", true);
    }

    private static void assertError(ErrorCode expected, Optional<ConsumerHeartbeatResult> result) {
        assertTrue(result.isPresent(), "expected " + expected);
        assertEquals(expected, result.get().error(), result.get().errorMessage());
    }
}
