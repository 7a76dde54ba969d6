package dev.pgkafka.domain.group;

import static dev.pgkafka.domain.group.GroupFixtures.REBALANCE;
import static dev.pgkafka.domain.group.GroupFixtures.SESSION;
import static dev.pgkafka.domain.group.GroupFixtures.answer;
import static dev.pgkafka.domain.group.GroupFixtures.assertError;
import static dev.pgkafka.domain.group.GroupFixtures.assertNoAnswer;
import static dev.pgkafka.domain.group.GroupFixtures.assignment;
import static dev.pgkafka.domain.group.GroupFixtures.join;
import static dev.pgkafka.domain.group.GroupFixtures.leaderSync;
import static dev.pgkafka.domain.group.GroupFixtures.memberIds;
import static dev.pgkafka.domain.group.GroupFixtures.subscription;
import static dev.pgkafka.domain.group.GroupFixtures.sync;
import static dev.pgkafka.domain.group.GroupFixtures.syncAnswer;
import static dev.pgkafka.domain.group.GroupFixtures.withTimeouts;
import static dev.pgkafka.domain.group.GroupFixtures.withVersionBefore4;
import static dev.pgkafka.domain.group.GroupFixtures.withVersionBefore9;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * The classic group's state machine, driven by explicit times (no clock, no sleeping): every state
 * transition, every deadline and the error answers Kafka gives.
 */
class ClassicGroupTest {
    static final int DELAY = 3_000;

    final GroupFixtures ids = GroupFixtures.fixtures();
    final ClassicGroup group = new ClassicGroup("g", new GroupConfig(DELAY, 300_000), 0);

    /** A member that went through MEMBER_ID_REQUIRED and is now parked in the join phase. */
    record Joining(String memberId, ParkedCall call, GroupEffects effects) {
    }

    Joining joinNew(JoinRequest request, long now) {
        ParkedCall first = new ParkedCall();
        String id = ids.newId("client");
        JoinResult required = answer(group.join(request, id, first, now), first);
        assertError(ErrorCode.MEMBER_ID_REQUIRED, required);
        assertEquals(id, required.memberId());
        ParkedCall second = new ParkedCall();
        JoinRequest again = new JoinRequest(id, request.groupInstanceId(), request.clientId(), request.clientHost(),
                request.sessionTimeoutMs(), request.rebalanceTimeoutMs(), request.protocolType(), request.protocols(),
                request.reason(), request.requireKnownMemberId(), request.supportsSkipAssignment());
        return new Joining(id, second, group.join(again, "unused", second, now));
    }

    /** Ticks from deadline to deadline until the join phase answers (the initial delay grows per member). */
    GroupEffects tickUntilJoinAnswers() {
        for (int i = 0; i < 100; i++) {
            GroupEffects effects = group.tick(group.nextDeadline());
            if (!effects.joins().isEmpty()) {
                return effects;
            }
        }
        throw new AssertionError("the join phase never completed");
    }

    /** One member joins an empty group and the initial delay passes: generation 1, awaiting sync. */
    String firstGeneration() {
        Joining a = joinNew(join(""), 0);
        assertNoAnswer(a.effects(), a.call());
        JoinResult result = answer(group.tick(DELAY), a.call());
        assertEquals(1, result.generationId());
        return a.memberId();
    }

    /** Leader syncs its assignment and it is stored: the group is stable. */
    void stabilise(String leader, int generation, Map<String, byte[]> assignments, long now) {
        ParkedCall call = new ParkedCall();
        GroupEffects effects = group.sync(leaderSync(leader, generation, assignments), call, now);
        assertEquals(Optional.of(GroupWrite.ASSIGNMENT), effects.write());
        assertNoAnswer(effects, call);
        GroupEffects after = group.written(GroupWrite.ASSIGNMENT, true, now);
        assertEquals(ErrorCode.NONE, syncAnswer(after, call).error());
        assertEquals(GroupState.STABLE, group.state());
    }

    /** Two members, stable at generation 2 (the second joined a stable group of one). */
    String[] twoMemberStableGroup() {
        String a = firstGeneration();
        stabilise(a, 1, Map.of(a, assignment("t", 0, 1)), DELAY);
        Joining b = joinNew(join(""), 4_000);
        assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, group.heartbeat(a, null, 1, 4_100));
        ParkedCall aRejoin = new ParkedCall();
        GroupEffects complete = group.join(join(a), "unused", aRejoin, 4_200);
        assertEquals(2, answer(complete, aRejoin).generationId());
        assertEquals(2, answer(complete, b.call()).generationId());
        stabilise(a, 2, Map.of(a, assignment("t", 0), b.memberId(), assignment("t", 1)), 4_300);
        return new String[] {a, b.memberId()};
    }

    @Test
    void aNewGroupIsEmptyWithGenerationZero() {
        assertEquals(GroupState.EMPTY, group.state());
        assertEquals(0, group.generationId());
        assertEquals(ClassicGroup.NO_DEADLINE, group.nextDeadline());
        assertEquals("", group.describe().protocolType());
    }

    @Nested
    class JoinPhase {
        @Test
        void aNewDynamicMemberFirstGetsItsIdWithMemberIdRequired() {
            ParkedCall call = new ParkedCall();
            JoinResult result = answer(group.join(join(""), "client-x", call, 0), call);
            assertError(ErrorCode.MEMBER_ID_REQUIRED, result);
            assertEquals("client-x", result.memberId());
            assertEquals(GroupState.EMPTY, group.state());
            assertEquals(SESSION, group.nextDeadline(), "the pending member must come back within its session timeout");
        }

        @Test
        void beforeVersion4aNewMemberJoinsAtOnce() {
            ParkedCall call = new ParkedCall();
            GroupEffects effects = group.join(withVersionBefore4(join("")), "client-x", call, 0);
            assertNoAnswer(effects, call);
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            JoinResult result = answer(group.tick(DELAY), call);
            assertEquals("client-x", result.memberId());
            assertEquals("client-x", result.leaderId());
        }

        @Test
        void theInitialRebalanceWaitsForItsDelayThenNamesTheLeaderWithTheMembers() {
            Joining a = joinNew(join(""), 0);
            assertNoAnswer(a.effects(), a.call());
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            assertEquals(DELAY, group.nextDeadline());
            assertTrue(group.tick(DELAY - 1).joins().isEmpty(), "nothing before the delay is over");

            JoinResult result = answer(group.tick(DELAY), a.call());
            assertEquals(ErrorCode.NONE, result.error());
            assertEquals(1, result.generationId());
            assertEquals("consumer", result.protocolType());
            assertEquals("range", result.protocolName());
            assertEquals(a.memberId(), result.leaderId());
            assertEquals(List.of(a.memberId()), memberIds(result));
            assertArrayEquals(subscription("t"), result.members().getFirst().metadata());
            assertEquals(GroupState.COMPLETING_REBALANCE, group.state());
        }

        @Test
        void theInitialDelayIsExtendedWhileMembersKeepArrivingUpToTheRebalanceTimeout() {
            ParkedCall first = new ParkedCall();
            group.join(withTimeouts(withVersionBefore4(join("")), SESSION, 7_000), "a", first, 0);
            ParkedCall second = new ParkedCall();
            group.join(withTimeouts(withVersionBefore4(join("")), SESSION, 7_000), "b", second, 1_000);
            // remaining = 7000 - 3000 = 4000: the delay is extended once by 3000 ...
            GroupEffects atDelay = group.tick(DELAY);
            assertTrue(atDelay.joins().isEmpty());
            assertEquals(2 * DELAY, group.nextDeadline());
            ParkedCall third = new ParkedCall();
            group.join(withTimeouts(withVersionBefore4(join("")), SESSION, 7_000), "c", third, 5_000);
            // ... and then by what remains (1000): nothing more
            assertTrue(group.tick(2 * DELAY).joins().isEmpty());
            assertEquals(2 * DELAY + 1_000, group.nextDeadline());
            GroupEffects done = group.tick(2 * DELAY + 1_000);
            assertEquals(3, done.joins().size());
            assertEquals(List.of("a", "b", "c"), memberIds(answer(done, first)));
            assertTrue(answer(done, second).members().isEmpty(), "only the leader gets the member list");
        }

        @Test
        void aZeroDelayCompletesTheFirstJoinAtOnce() {
            ClassicGroup quick = new ClassicGroup("q", new GroupConfig(0, 300_000), 0);
            ParkedCall call = new ParkedCall();
            GroupEffects joined = quick.join(withVersionBefore4(join("")), "a", call, 0);
            assertNoAnswer(joined, call);
            assertEquals(0, quick.nextDeadline(), "due now: the owner ticks at once");
            assertEquals(1, answer(quick.tick(0), call).generationId());
        }

        @Test
        void theProtocolIsTheOneMostMembersPreferAmongThoseAllSupport() {
            byte[] meta = subscription("t");
            Protocol range = new Protocol("range", meta);
            Protocol roundrobin = new Protocol("roundrobin", meta);
            Protocol sticky = new Protocol("sticky", meta);
            ParkedCall a = new ParkedCall();
            group.join(withVersionBefore4(join("", null, List.of(sticky, range, roundrobin))), "a", a, 0);
            group.join(withVersionBefore4(join("", null, List.of(roundrobin, range))), "b", new ParkedCall(), 0);
            group.join(withVersionBefore4(join("", null, List.of(roundrobin, sticky, range))), "c", new ParkedCall(), 0);
            // sticky is not supported by b; roundrobin has two votes, range none
            assertEquals("roundrobin", answer(tickUntilJoinAnswers(), a).protocolName());
        }

        @Test
        void aMemberMustShareAProtocolAndTheProtocolTypeWithTheGroup() {
            String a = firstGeneration();
            stabilise(a, 1, Map.of(), DELAY);
            ParkedCall call = new ParkedCall();
            JoinRequest otherType = new JoinRequest("", null, "c", "h", SESSION, REBALANCE, "connect",
                    List.of(new Protocol("range", new byte[0])), null, true, true);
            assertError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, answer(group.join(otherType, "x", call, 5_000), call));
            ParkedCall call2 = new ParkedCall();
            JoinRequest otherProtocol = join("", null, List.of(new Protocol("cooperative-sticky", new byte[0])));
            assertError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, answer(group.join(otherProtocol, "y", call2, 5_000), call2));
            assertEquals(GroupState.STABLE, group.state(), "refused joins change nothing");
        }

        @Test
        void anEmptyGroupRefusesAMemberWithoutProtocolTypeOrProtocols() {
            ParkedCall call = new ParkedCall();
            JoinRequest noType = new JoinRequest("", null, "c", "h", SESSION, REBALANCE, "",
                    List.of(new Protocol("range", new byte[0])), null, true, true);
            assertError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, answer(group.join(noType, "x", call, 0), call));
            ParkedCall call2 = new ParkedCall();
            assertError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
                    answer(group.join(join("", null, List.of()), "y", call2, 0), call2));
            assertEquals(GroupState.EMPTY, group.state());
        }

        @Test
        void anUnknownMemberIdIsRefused() {
            ParkedCall call = new ParkedCall();
            JoinResult result = answer(group.join(join("nobody"), "x", call, 0), call);
            assertError(ErrorCode.UNKNOWN_MEMBER_ID, result);
            assertEquals("nobody", result.memberId());
        }

        @Test
        void aSecondMemberRebalancesAStableGroupAndTheFirstLearnsItFromItsHeartbeat() {
            String[] members = twoMemberStableGroup();
            assertEquals(2, group.generationId());
            assertEquals(List.of(members[0], members[1]), List.copyOf(group.memberIds()));
        }

        @Test
        void aFollowerRejoiningAStableGroupWithTheSameMetadataGetsTheCurrentGenerationBack() {
            String[] m = twoMemberStableGroup();
            ParkedCall call = new ParkedCall();
            JoinResult result = answer(group.join(join(m[1]), "x", call, 5_000), call);
            assertEquals(2, result.generationId());
            assertEquals(m[0], result.leaderId());
            assertEquals(GroupState.STABLE, group.state());
        }

        @Test
        void theLeaderRejoiningAStableGroupStartsARebalance() {
            String[] m = twoMemberStableGroup();
            ParkedCall call = new ParkedCall();
            assertNoAnswer(group.join(join(m[0]), "x", call, 5_000), call);
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        }

        @Test
        void aFollowerWithANewSubscriptionStartsARebalance() {
            String[] m = twoMemberStableGroup();
            ParkedCall call = new ParkedCall();
            JoinRequest changed = join(m[1], null, List.of(new Protocol("range", subscription("t", "u"))));
            assertNoAnswer(group.join(changed, "x", call, 5_000), call);
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        }

        @Test
        void aMemberThatLostItsJoinAnswerGetsItAgainWhileTheLeaderAssigns() {
            String a = firstGeneration();
            ParkedCall again = new ParkedCall();
            JoinResult result = answer(group.join(join(a), "x", again, DELAY + 10), again);
            assertEquals(1, result.generationId());
            assertEquals(List.of(a), memberIds(result), "the leader gets the members again");
            assertEquals(GroupState.COMPLETING_REBALANCE, group.state());
        }

        @Test
        void aRetriedJoinReplacesTheParkedOneWhichIsToldToRetry() {
            String[] m = twoMemberStableGroup();
            ParkedCall first = new ParkedCall();
            group.join(join(m[0]), "x", first, 5_000);
            ParkedCall retry = new ParkedCall();
            GroupEffects effects = group.join(join(m[0]), "x", retry, 5_100);
            assertError(ErrorCode.REBALANCE_IN_PROGRESS, answer(effects, first));
            assertNoAnswer(effects, retry);
        }

        @Test
        void aPendingMemberHoldsUpTheJoinPhaseUntilItsSessionTimeoutPasses() {
            String[] m = twoMemberStableGroup();
            ParkedCall pending = new ParkedCall();
            answer(group.join(join(""), "late", pending, 5_000), pending);
            ParkedCall a = new ParkedCall();
            group.join(join(m[0]), "x", a, 5_000);
            ParkedCall b = new ParkedCall();
            assertNoAnswer(group.join(join(m[1]), "x", b, 5_000), b);
            GroupEffects expired = group.tick(5_000 + SESSION);
            assertEquals(3, answer(expired, a).generationId());
            assertEquals(2, answer(expired, a).members().size(), "the pending member never joined");
        }
    }

    @Nested
    class SyncPhase {
        @Test
        void followersWaitForTheLeadersAssignmentWhichIsHandedOutOnceStored() {
            ParkedCall ja = new ParkedCall();
            ParkedCall jb = new ParkedCall();
            group.join(withVersionBefore4(join("")), "a", ja, 0);
            group.join(withVersionBefore4(join("")), "b", jb, 0);
            GroupEffects joined = tickUntilJoinAnswers();
            assertEquals("a", answer(joined, ja).leaderId());
            assertEquals(2 * DELAY, group.stateTimestamp(), "the second member extended the initial delay once");

            ParkedCall sb = new ParkedCall();
            assertNoAnswer(group.sync(sync("b", 1), sb, DELAY + 1), sb);
            ParkedCall sa = new ParkedCall();
            GroupEffects leader = group.sync(leaderSync("a", 1, Map.of("a", assignment("t", 0), "b", assignment("t", 1))),
                    sa, DELAY + 2);
            assertEquals(Optional.of(GroupWrite.ASSIGNMENT), leader.write());
            assertTrue(leader.syncs().isEmpty(), "nothing goes out before the assignment is stored");
            assertArrayEquals(assignment("t", 1), group.snapshot().members().get(1).assignment(),
                    "the snapshot to write holds the new assignment");
            assertEquals(GroupState.COMPLETING_REBALANCE, group.state());

            GroupEffects stored = group.written(GroupWrite.ASSIGNMENT, true, DELAY + 3);
            assertArrayEquals(assignment("t", 0), syncAnswer(stored, sa).assignment());
            SyncResult follower = syncAnswer(stored, sb);
            assertArrayEquals(assignment("t", 1), follower.assignment());
            assertEquals("consumer", follower.protocolType());
            assertEquals("range", follower.protocolName());
            assertEquals(GroupState.STABLE, group.state());
        }

        @Test
        void aMemberTheLeaderLeftOutGetsAnEmptyAssignment() {
            String[] m = twoMemberStableGroup();
            ParkedCall call = new ParkedCall();
            SyncResult result = syncAnswer(group.sync(sync(m[1], 2), call, 6_000), call);
            assertArrayEquals(assignment("t", 1), result.assignment());
            assertEquals(0, group.assignment("nobody").length);
        }

        @Test
        void aFailedWriteAnswersCoordinatorNotAvailableAndRebalances() {
            String a = firstGeneration();
            ParkedCall call = new ParkedCall();
            group.sync(leaderSync(a, 1, Map.of(a, assignment("t", 0))), call, DELAY + 1);
            GroupEffects failed = group.written(GroupWrite.ASSIGNMENT, false, DELAY + 2);
            assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE, syncAnswer(failed, call).error());
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        }

        @Test
        void syncErrorsFollowKafka() {
            ParkedCall c1 = new ParkedCall();
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, syncAnswer(group.sync(sync("x", 0), c1, 0), c1).error(),
                    "an empty group has no members to sync");
            String a = firstGeneration();
            ParkedCall c2 = new ParkedCall();
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, syncAnswer(group.sync(sync("x", 1), c2, DELAY), c2).error());
            ParkedCall c3 = new ParkedCall();
            assertEquals(ErrorCode.ILLEGAL_GENERATION, syncAnswer(group.sync(sync(a, 7), c3, DELAY), c3).error());
            ParkedCall c4 = new ParkedCall();
            SyncRequest wrongProtocol = new SyncRequest(a, null, 1, "consumer", "roundrobin", Map.of());
            assertEquals(ErrorCode.INCONSISTENT_GROUP_PROTOCOL,
                    syncAnswer(group.sync(wrongProtocol, c4, DELAY), c4).error());
            ParkedCall c5 = new ParkedCall();
            SyncRequest unsaid = new SyncRequest(a, null, 1, null, null, Map.of());
            assertNoAnswer(group.sync(unsaid, c5, DELAY), c5);
        }

        @Test
        void aSyncDuringTheJoinPhaseIsToldARebalanceIsInProgress() {
            String[] m = twoMemberStableGroup();
            group.join(join(m[0]), "x", new ParkedCall(), 5_000);
            ParkedCall call = new ParkedCall();
            assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, syncAnswer(group.sync(sync(m[1], 2), call, 5_001), call).error());
        }

        @Test
        void aRebalanceWhileFollowersWaitForTheAssignmentSendsThemBackToJoin() {
            ParkedCall ja = new ParkedCall();
            group.join(withVersionBefore4(join("")), "a", ja, 0);
            group.join(withVersionBefore4(join("")), "b", new ParkedCall(), 0);
            tickUntilJoinAnswers();
            ParkedCall sb = new ParkedCall();
            group.sync(sync("b", 1), sb, DELAY + 1);
            // a new member arrives before the leader syncs
            GroupEffects effects = group.join(withVersionBefore4(join("")), "c", new ParkedCall(), DELAY + 2);
            assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, syncAnswer(effects, sb).error());
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        }

        @Test
        void membersThatNeverSyncAreRemovedAfterTheRebalanceTimeout() {
            ParkedCall ja = new ParkedCall();
            group.join(withVersionBefore4(join("")), "a", ja, 0);
            group.join(withVersionBefore4(join("")), "b", new ParkedCall(), 0);
            tickUntilJoinAnswers();
            long joined = group.stateTimestamp();
            ParkedCall sa = new ParkedCall();
            group.sync(leaderSync("a", 1, Map.of()), sa, joined + 1);
            group.written(GroupWrite.ASSIGNMENT, true, joined + 1);
            // b heartbeats, but never syncs
            for (long t = joined + 1_000; t < joined + REBALANCE; t += 1_000) {
                group.heartbeat("b", null, 1, t);
                group.heartbeat("a", null, 1, t);
            }
            group.tick(joined + REBALANCE);
            assertFalse(group.hasMember("b"));
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
        }
    }

    @Nested
    class Heartbeats {
        @Test
        void heartbeatErrorsFollowKafka() {
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.heartbeat("x", null, 0, 0));
            String a = firstGeneration();
            assertEquals(ErrorCode.NONE, group.heartbeat(a, null, 1, DELAY + 1), "awaiting sync counts as stable");
            assertEquals(ErrorCode.ILLEGAL_GENERATION, group.heartbeat(a, null, 2, DELAY + 1));
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.heartbeat("x", null, 1, DELAY + 1));
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.heartbeat(a, "instance", 1, DELAY + 1));
        }

        @Test
        void aMemberWithoutHeartbeatsIsRemovedAfterItsSessionTimeoutAndTheOthersRebalance() {
            String[] m = twoMemberStableGroup();
            // b's session started with its JoinGroup answer at 4200 (it never sent SyncGroup in this setup)
            long t = 4_200;
            for (int i = 1; i <= 3; i++) {
                assertEquals(ErrorCode.NONE, group.heartbeat(m[0], null, 2, t + i * 3_000));
            }
            assertTrue(group.tick(t + SESSION - 1).joins().isEmpty());
            assertTrue(group.hasMember(m[1]));
            group.tick(t + SESSION);
            assertFalse(group.hasMember(m[1]), "b never heartbeated");
            assertTrue(group.hasMember(m[0]));
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            ParkedCall rejoin = new ParkedCall();
            JoinResult result = answer(group.join(join(m[0]), "x", rejoin, t + SESSION + 1), rejoin);
            assertEquals(3, result.generationId());
            assertEquals(List.of(m[0]), memberIds(result));
        }

        @Test
        void aDeadLeaderIsReplacedByAMemberThatRejoined() {
            String[] m = twoMemberStableGroup();
            group.heartbeat(m[1], null, 2, 10_000);
            group.tick(4_300 + SESSION);
            assertFalse(group.hasMember(m[0]));
            ParkedCall call = new ParkedCall();
            JoinResult result = answer(group.join(join(m[1]), "x", call, 14_400), call);
            assertEquals(m[1], result.leaderId());
        }

        @Test
        void membersWaitingInARebalanceAreAliveButNotForever() {
            String[] m = twoMemberStableGroup();
            ParkedCall a = new ParkedCall();
            group.join(join(m[0]), "x", a, 5_000);
            // a waits in the join phase: its session deadline passes harmlessly
            group.heartbeat(m[1], null, 2, 5_000);
            group.tick(5_000 + SESSION);
            assertTrue(group.hasMember(m[0]));
            assertFalse(group.hasMember(m[1]), "b neither heartbeated nor rejoined");
        }

        @Test
        void aMemberThatDoesNotRejoinInTheRebalanceTimeoutIsRemoved() {
            String[] m = twoMemberStableGroup();
            ParkedCall a = new ParkedCall();
            group.join(join(m[0]), "x", a, 5_000);
            for (long t = 6_000; t < 5_000 + REBALANCE; t += 3_000) {
                assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, group.heartbeat(m[1], null, 2, t));
            }
            GroupEffects done = group.tick(5_000 + REBALANCE);
            JoinResult result = answer(done, a);
            assertEquals(3, result.generationId());
            assertEquals(List.of(m[0]), memberIds(result));
        }

        @Test
        void aNewMemberStuckInTheJoinPhaseIsDroppedAfterTheNewMemberTimeout() {
            ClassicGroup g = new ClassicGroup("g", new GroupConfig(0, 1_000), 0);
            ParkedCall a = new ParkedCall();
            g.join(withVersionBefore4(join("")), "a", a, 0);
            g.tick(0);
            g.sync(leaderSync("a", 1, Map.of()), new ParkedCall(), 0);
            g.written(GroupWrite.ASSIGNMENT, true, 0);
            // b joins; a keeps heartbeating but does not rejoin, and the rebalance timeout is long
            ParkedCall b = new ParkedCall();
            g.join(withTimeouts(withVersionBefore4(join("")), SESSION, 600_000), "b", b, 100);
            g.heartbeat("a", null, 1, 900);
            JoinResult dropped = answer(g.tick(1_100), b);
            assertError(ErrorCode.UNKNOWN_MEMBER_ID, dropped);
            assertFalse(g.hasMember("b"));
        }

        @Test
        void nextDeadlineIsTheEarliestOfAllDeadlines() {
            String[] m = twoMemberStableGroup();
            long deadline = group.nextDeadline();
            assertEquals(4_200 + SESSION, deadline, "b's session runs from its JoinGroup answer");
            group.heartbeat(m[0], null, 2, 5_000);
            group.heartbeat(m[1], null, 2, 6_000);
            assertEquals(5_000 + SESSION, group.nextDeadline());
        }
    }

    @Nested
    class Leaving {
        @Test
        void aLeavingMemberRebalancesTheGroupAndTheOthersRejoin() {
            String[] m = twoMemberStableGroup();
            ClassicGroup.Outcome<LeaveResult> left = group.leave(List.of(new MemberIdentity(m[1], null, "bye")), 5_000);
            assertEquals(List.of(ErrorCode.NONE), left.result().memberErrors());
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            ParkedCall call = new ParkedCall();
            assertEquals(3, answer(group.join(join(m[0]), "x", call, 5_001), call).generationId());
        }

        @Test
        void theLastMemberLeavingEmptiesTheGroup() {
            String a = firstGeneration();
            stabilise(a, 1, Map.of(a, assignment("t", 0)), DELAY);
            ClassicGroup.Outcome<LeaveResult> left = group.leave(List.of(new MemberIdentity(a, null, null)), 5_000);
            assertEquals(Optional.of(GroupWrite.EMPTIED), left.effects().write());
            assertEquals(GroupState.EMPTY, group.state());
            assertEquals(2, group.generationId(), "a generation without members");
            assertEquals(5_000, group.stateTimestamp());
            assertNull(group.protocolName());
            assertEquals("consumer", group.protocolType(), "the type stays");
        }

        @Test
        void aBatchOfLeavesAnswersEachMember() {
            String[] m = twoMemberStableGroup();
            ParkedCall pendingCall = new ParkedCall();
            group.join(join(""), "pending-1", pendingCall, 5_000);
            ClassicGroup.Outcome<LeaveResult> left = group.leave(List.of(
                    new MemberIdentity("nobody", null, null),
                    new MemberIdentity(m[0], null, null),
                    new MemberIdentity("pending-1", null, null),
                    new MemberIdentity("", "no-such-instance", null),
                    new MemberIdentity(m[1], "wrong-instance", null)), 5_001);
            assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.NONE, ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID,
                    ErrorCode.UNKNOWN_MEMBER_ID), left.result().memberErrors());
            assertEquals(ErrorCode.NONE, left.result().error());
            assertEquals(List.of(m[1]), List.copyOf(group.memberIds()));
        }

        @Test
        void aMemberLeavingDuringTheJoinPhaseLetsItComplete() {
            String[] m = twoMemberStableGroup();
            ParkedCall a = new ParkedCall();
            group.join(join(m[0]), "x", a, 5_000);
            ClassicGroup.Outcome<LeaveResult> left = group.leave(List.of(new MemberIdentity(m[1], null, null)), 5_001);
            assertEquals(3, answer(left.effects(), a).generationId());
        }

        @Test
        void aNewMemberRemovedWhileParkedIsToldToStartOver() {
            String[] m = twoMemberStableGroup();
            Joining c = joinNew(join(""), 5_000);
            GroupEffects effects = group.leave(List.of(new MemberIdentity(c.memberId(), null, null)), 5_001).effects();
            assertError(ErrorCode.UNKNOWN_MEMBER_ID, answer(effects, c.call()));
            assertEquals(List.of(m[0], m[1]), List.copyOf(group.memberIds()));
        }
    }

    @Nested
    class StaticMembership {
        final Protocol range = new Protocol("range", subscription("t"));

        String staticStableGroup(JoinRequest request) {
            ParkedCall call = new ParkedCall();
            String id = "s1-" + ids.newId("x");
            group.join(request, id, call, 0);
            group.tick(DELAY);
            stabilise(id, 1, Map.of(id, assignment("t", 0, 1)), DELAY);
            return id;
        }

        @Test
        void aRestartedStaticMemberGetsItsAssignmentBackWithoutARebalance() {
            String old = staticStableGroup(withVersionBefore9(join("", "s1", List.of(range))));
            ParkedCall rejoin = new ParkedCall();
            GroupEffects effects = group.join(withVersionBefore9(join("", "s1", List.of(range))), "s1-new", rejoin, 5_000);
            assertEquals(Optional.of(GroupWrite.STATIC_MEMBER_REPLACED), effects.write());
            assertNoAnswer(effects, rejoin);
            JoinResult result = answer(group.written(GroupWrite.STATIC_MEMBER_REPLACED, true, 5_000), rejoin);
            assertEquals(ErrorCode.NONE, result.error());
            assertEquals(1, result.generationId(), "no new generation");
            assertEquals("s1-new", result.memberId());
            assertEquals(old, result.leaderId(), "before v9 the old leader id is named, so it only fetches its assignment");
            assertEquals(GroupState.STABLE, group.state());

            ParkedCall sync = new ParkedCall();
            assertArrayEquals(assignment("t", 0, 1), syncAnswer(group.sync(sync("s1-new", 1), sync, 5_001), sync).assignment());
            assertEquals(ErrorCode.FENCED_INSTANCE_ID, group.heartbeat(old, "s1", 1, 5_002), "the old id is fenced");
            assertEquals(ErrorCode.NONE, group.heartbeat("s1-new", "s1", 1, 5_002));
        }

        @Test
        void fromVersion9aRestartedStaticLeaderIsToldToSkipTheAssignment() {
            staticStableGroup(join("", "s1", List.of(range)));
            ParkedCall rejoin = new ParkedCall();
            group.join(join("", "s1", List.of(range)), "s1-new", rejoin, 5_000);
            JoinResult result = answer(group.written(GroupWrite.STATIC_MEMBER_REPLACED, true, 5_000), rejoin);
            assertTrue(result.skipAssignment());
            assertEquals("s1-new", result.leaderId());
            assertEquals(List.of("s1-new"), memberIds(result));
        }

        @Test
        void aDuplicateInstanceIsFencedWhileItWaits() {
            group.join(join("", "s1", List.of(range)), "s1-a", new ParkedCall(), 0);
            group.join(join("", "s2", List.of(range)), "s2-a", new ParkedCall(), 0);
            tickUntilJoinAnswers();
            stabilise("s1-a", 1, Map.of(), 7_000);
            String old = "s1-a";
            ParkedCall leaderRejoin = new ParkedCall();
            group.join(join(old, "s1", List.of(range)), "x", leaderRejoin, 8_000);
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            ParkedCall other = new ParkedCall();
            GroupEffects effects = group.join(join("", "s1", List.of(range)), "s1-other", other, 8_001);
            assertError(ErrorCode.FENCED_INSTANCE_ID, answer(effects, leaderRejoin));
            assertNoAnswer(effects, other);
            ParkedCall stale = new ParkedCall();
            assertError(ErrorCode.FENCED_INSTANCE_ID, answer(group.join(join(old, "s1", List.of(range)), "x", stale, 8_002),
                    stale));
            assertEquals(ErrorCode.FENCED_INSTANCE_ID, group.heartbeat(old, "s1", 1, 8_003));
        }

        @Test
        void aStaticMemberThatChangesTheProtocolForcesARebalance() {
            Protocol roundrobin = new Protocol("roundrobin", subscription("t"));
            staticStableGroup(join("", "s1", List.of(range, roundrobin)));
            ParkedCall rejoin = new ParkedCall();
            GroupEffects effects = group.join(join("", "s1", List.of(roundrobin, range)), "s1-new", rejoin, 5_000);
            assertTrue(effects.write().isEmpty());
            JoinResult result = answer(effects, rejoin);
            assertEquals(2, result.generationId(), "the only member rejoined: the new generation completes at once");
            assertEquals("roundrobin", result.protocolName());
            assertEquals(GroupState.COMPLETING_REBALANCE, group.state());
        }

        @Test
        void aStaticMemberMayNotSwitchToAProtocolTheGroupDoesNotSupport() {
            staticStableGroup(join("", "s1", List.of(range)));
            ParkedCall rejoin = new ParkedCall();
            GroupEffects effects = group.join(join("", "s1", List.of(new Protocol("roundrobin", subscription("t")))),
                    "s1-new", rejoin, 5_000);
            assertError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, answer(effects, rejoin));
            assertEquals(GroupState.STABLE, group.state());
        }

        @Test
        void aStaticMemberThatDoesNotRejoinKeepsItsPlaceUntilItsSessionEnds() {
            String s = staticStableGroup(join("", "s1", List.of(range)));
            Joining d = joinNew(join(""), 5_000);
            group.heartbeat(s, "s1", 1, 5_000);
            for (long t = 8_000; t < 5_000 + REBALANCE; t += 3_000) {
                group.heartbeat(s, "s1", 1, t);
            }
            GroupEffects done = group.tick(5_000 + REBALANCE);
            JoinResult result = answer(done, d.call());
            assertEquals(2, result.generationId());
            assertTrue(group.hasMember(s), "static members are not dropped for not rejoining");
        }

        @Test
        void anAdministratorRemovesAStaticMemberByInstanceId() {
            String s = staticStableGroup(join("", "s1", List.of(range)));
            ClassicGroup.Outcome<LeaveResult> left = group.leave(List.of(new MemberIdentity("", "s1", null)), 5_000);
            assertEquals(List.of(ErrorCode.NONE), left.result().memberErrors());
            assertFalse(group.hasMember(s));
        }

        @Test
        void aFailedWriteOfTheReplacementTellsTheMemberToFindTheCoordinatorAgain() {
            staticStableGroup(join("", "s1", List.of(range)));
            ParkedCall rejoin = new ParkedCall();
            group.join(join("", "s1", List.of(range)), "s1-new", rejoin, 5_000);
            assertError(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                    answer(group.written(GroupWrite.STATIC_MEMBER_REPLACED, false, 5_000), rejoin));
        }
    }

    @Nested
    class Offsets {
        @Test
        void consumersWithoutMembershipMayCommitOnlyToAnEmptyGroup() {
            assertEquals(ErrorCode.NONE, group.validateOffsetCommit("", null, -1));
            String a = firstGeneration();
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.validateOffsetCommit("", null, -1));
            assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, group.validateOffsetCommit(a, null, 1),
                    "a member that has its join answer commits only once it has its assignment");
            stabilise(a, 1, Map.of(), DELAY);
            assertEquals(ErrorCode.NONE, group.validateOffsetCommit(a, null, 1));
            assertEquals(ErrorCode.ILLEGAL_GENERATION, group.validateOffsetCommit(a, null, 0));
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.validateOffsetCommit("x", null, 1));
            assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, group.validateOffsetCommit(a, "never-seen", 1));
        }

        @Test
        void aStaticMemberCommittingUnderAnotherIdIsFenced() {
            ParkedCall call = new ParkedCall();
            group.join(join("", "s1", List.of(new Protocol("range", subscription("t")))), "s1-a", call, 0);
            group.tick(DELAY);
            stabilise("s1-a", 1, Map.of(), DELAY);
            assertEquals(ErrorCode.NONE, group.validateOffsetCommit("s1-a", "s1", 1));
            assertEquals(ErrorCode.FENCED_INSTANCE_ID, group.validateOffsetCommit("s1-old", "s1", 1));
        }

        @Test
        void aCommitIsAHeartbeatInAStableGroup() {
            String a = firstGeneration();
            stabilise(a, 1, Map.of(), DELAY);
            group.offsetsCommitted(a, 9_000);
            group.tick(DELAY + SESSION);
            assertTrue(group.hasMember(a));
            group.tick(9_000 + SESSION);
            assertFalse(group.hasMember(a));
        }

        @Test
        void offsetsOfTopicsTheMembersConsumeCannotBeDeleted() {
            String a = firstGeneration();
            stabilise(a, 1, Map.of(), DELAY);
            assertEquals(ErrorCode.NONE, group.validateOffsetDelete(), "consumer groups decide per topic");
            assertTrue(group.isSubscribedToTopic("t"));
            assertFalse(group.isSubscribedToTopic("u"));
            group.leave(List.of(new MemberIdentity(a, null, null)), 5_000);
            assertFalse(group.isSubscribedToTopic("t"), "an empty group subscribes to nothing");
        }

        @Test
        void aNonConsumerGroupWithMembersKeepsItsOffsets() {
            ParkedCall call = new ParkedCall();
            group.join(new JoinRequest("", null, "c", "h", SESSION, REBALANCE, "connect",
                    List.of(new Protocol("default", new byte[] {1})), null, false, false), "a", call, 0);
            group.tick(DELAY);
            assertEquals(ErrorCode.NON_EMPTY_GROUP, group.validateOffsetDelete());
            assertFalse(group.isSubscribedToTopic("t"));
        }
    }

    @Nested
    class Deletion {
        @Test
        void onlyAnEmptyGroupCanBeDeletedAndADeadGroupTurnsEveryoneAway() {
            String a = firstGeneration();
            assertEquals(ErrorCode.NON_EMPTY_GROUP, group.validateDelete());
            group.leave(List.of(new MemberIdentity(a, null, null)), 5_000);
            assertEquals(ErrorCode.NONE, group.validateDelete());
            group.markDead(5_001);
            assertEquals(GroupState.DEAD, group.state());
            assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, group.validateDelete());
            assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, group.validateOffsetDelete());
            assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE, group.validateOffsetCommit("", null, -1));
            assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE, group.heartbeat("x", null, 1, 5_002));
            ParkedCall call = new ParkedCall();
            assertError(ErrorCode.COORDINATOR_NOT_AVAILABLE, answer(group.join(join(""), "y", call, 5_002), call));
            ParkedCall sync = new ParkedCall();
            assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                    syncAnswer(group.sync(sync("x", 1), sync, 5_002), sync).error());
            assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                    group.leave(List.of(new MemberIdentity("x", null, null)), 5_002).result().error());
            assertEquals(ClassicGroup.NO_DEADLINE, group.nextDeadline());
        }

        @Test
        void parkedCallsAreReleasedAtShutdown() {
            ParkedCall call = new ParkedCall();
            group.join(withVersionBefore4(join("")), "a", call, 0);
            assertError(ErrorCode.NOT_COORDINATOR, answer(group.releaseParkedCalls(ErrorCode.NOT_COORDINATOR), call));
        }
    }

    @Nested
    class Persistence {
        @Test
        void aStableGroupRestoresStableWithItsMembersAndAssignments() {
            String[] m = twoMemberStableGroup();
            GroupSnapshot snapshot = group.snapshot();
            assertEquals(2, snapshot.generationId());
            assertEquals("range", snapshot.protocolName());
            assertEquals(m[0], snapshot.leaderId());

            ClassicGroup restored = ClassicGroup.restore(snapshot, new GroupConfig(DELAY, 300_000), 100_000);
            assertEquals(GroupState.STABLE, restored.state());
            assertEquals(2, restored.generationId());
            assertEquals(List.of(m[0], m[1]), List.copyOf(restored.memberIds()));
            assertArrayEquals(assignment("t", 1), restored.assignment(m[1]));
            assertEquals(ErrorCode.NONE, restored.heartbeat(m[1], null, 2, 100_001), "members carry on");
            ParkedCall sync = new ParkedCall();
            assertArrayEquals(assignment("t", 0), syncAnswer(restored.sync(sync(m[0], 2), sync, 100_002), sync).assignment());
            assertTrue(restored.isSubscribedToTopic("t"));
            restored.tick(100_000 + SESSION);
            assertFalse(restored.hasMember(m[0]), "a member that does not come back after the restart times out");
            assertTrue(restored.hasMember(m[1]));
        }

        @Test
        void aGroupInTheMiddleOfARebalancePersistsItsLastStableGenerationOnlyThroughSync() {
            twoMemberStableGroup();
            Joining c = joinNew(join(""), 5_000);
            assertEquals(GroupState.PREPARING_REBALANCE, group.state());
            assertTrue(c.effects().write().isEmpty(), "no write during a rebalance");
            GroupSnapshot snapshot = group.snapshot();
            assertTrue(snapshot.members().isEmpty(), "a rebalancing group has no stable members to persist");
        }

        @Test
        void anEmptyGroupRestoresEmpty() {
            String a = firstGeneration();
            group.leave(List.of(new MemberIdentity(a, null, null)), 5_000);
            ClassicGroup restored = ClassicGroup.restore(group.snapshot(), new GroupConfig(DELAY, 300_000), 9_000);
            assertEquals(GroupState.EMPTY, restored.state());
            assertEquals(2, restored.generationId());
            assertEquals(5_000, restored.stateTimestamp());
            assertEquals("consumer", restored.protocolType());
            assertNull(restored.leaderId());
        }

        @Test
        void aStaticMemberRestoresAsStatic() {
            ParkedCall call = new ParkedCall();
            group.join(join("", "s1", List.of(new Protocol("range", subscription("t")))), "s1-a", call, 0);
            group.tick(DELAY);
            stabilise("s1-a", 1, Map.of(), DELAY);
            ClassicGroup restored = ClassicGroup.restore(group.snapshot(), new GroupConfig(DELAY, 300_000), 9_000);
            assertEquals(ErrorCode.FENCED_INSTANCE_ID, restored.heartbeat("other", "s1", 1, 9_001));
            assertEquals(ErrorCode.NONE, restored.heartbeat("s1-a", "s1", 1, 9_001));
        }
    }

    @Nested
    class Describing {
        @Test
        void memberMetadataAndAssignmentsShowOnlyWhenStable() {
            String a = firstGeneration();
            GroupDescription completing = group.describe();
            assertEquals(GroupState.COMPLETING_REBALANCE, completing.state());
            assertEquals("", completing.protocolData());
            assertEquals(0, completing.members().getFirst().metadata().length);
            stabilise(a, 1, Map.of(a, assignment("t", 0)), DELAY);
            GroupDescription stable = group.describe();
            assertEquals("range", stable.protocolData());
            assertEquals("/127.0.0.1", stable.members().getFirst().clientHost());
            assertArrayEquals(subscription("t"), stable.members().getFirst().metadata());
            assertArrayEquals(assignment("t", 0), stable.members().getFirst().assignment());
        }
    }
}
