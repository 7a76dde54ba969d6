package dev.pgkafka.application.service.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.FetchedOffset;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetDeleteResult;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupSnapshot;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.SyncResult;
import dev.pgkafka.domain.topic.Topic;

/** The coordinator over the in-memory storage, with a clock the test moves. */
class GroupCoordinatorTest {
    static final int SESSION = 10_000;
    static final int REBALANCE = 20_000;
    static final long RETENTION = 60_000;

    final InMemoryStorage storage = new InMemoryStorage();
    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
    final List<GroupCoordinator> started = new ArrayList<>();
    GroupCoordinator coordinator;
    Topic topic;

    GroupSettings settings() {
        return GroupSettings.defaults().withInitialRebalanceDelayMs(0).withSessionTimeoutBounds(100, 60_000)
                .withOffsetsRetentionMs(RETENTION);
    }

    GroupCoordinator start(GroupStorePort groupStore) {
        GroupCoordinator c = GroupCoordinator.start(groupStore, storage.offsetStore(), storage.log(), topics, settings(),
                clock);
        started.add(c);
        return c;
    }

    @BeforeEach
    void setUp() {
        coordinator = start(storage.groupStore());
        topic = topics.create(new CreateTopicCommand("t", 3, Map.of(), false)).topic();
    }

    @AfterEach
    void tearDown() {
        started.forEach(GroupCoordinator::close);
    }

    TestMember member(String group) {
        return new TestMember(coordinator, group, null, SESSION, REBALANCE);
    }

    /** One member, stable at generation 1 with partitions 0..2. */
    TestMember stableSingleMember(String group) {
        TestMember m = member(group);
        assertEquals(ErrorCode.NONE, m.join().error());
        SyncResult sync = m.sync(3);
        assertEquals(ErrorCode.NONE, sync.error());
        assertEquals(List.of(0, 1, 2), TestMember.decode(sync.assignment()));
        return m;
    }

    List<ErrorCode> commit(String group, int generation, String memberId, int partition, long offset, String metadata) {
        return coordinator.commitOffsets(new OffsetCommitCommand(group, memberId, null, generation, -1,
                List.of(new PartitionCommit(topic, partition, offset, 3, metadata)), true));
    }

    @Test
    void aMemberJoinsSyncsAndHeartbeatsAndTheGroupIsStored() {
        TestMember m = stableSingleMember("g");
        assertTrue(m.leader);
        assertEquals(1, m.generation);
        assertTrue(m.memberId.startsWith("client-"), m.memberId);
        assertEquals(ErrorCode.NONE, m.heartbeat());
        assertEquals(GroupState.STABLE, coordinator.describeGroup("g").orElseThrow().state());

        GroupSnapshot stored = storage.groupStore().loadAll().getFirst();
        assertEquals(1, stored.generationId());
        assertEquals(m.memberId, stored.leaderId());
        assertEquals(List.of(0, 1, 2), TestMember.decode(stored.members().getFirst().assignment()));
    }

    @Test
    void afterARestartMembersCarryOnWithTheirGenerationAndAssignment() {
        TestMember m = stableSingleMember("g");
        assertEquals(List.of(ErrorCode.NONE), commit("g", 1, m.memberId, 0, 42, "meta"));
        coordinator.close();

        coordinator = start(storage.groupStore());
        m = new TestMember(coordinator, "g", null, SESSION, REBALANCE).withIdentity(m);
        assertEquals(ErrorCode.NONE, m.heartbeat());
        SyncResult sync = m.sync(3);
        assertEquals(List.of(0, 1, 2), TestMember.decode(sync.assignment()));
        FetchedOffset fetched = coordinator.fetchOffsets("g", List.of(new PartitionRef(topic, 0)), true).getFirst();
        assertEquals(42, fetched.offset());
        assertEquals(3, fetched.leaderEpoch());
        assertEquals("meta", fetched.metadata());
    }

    @Test
    void aMemberWithoutHeartbeatsIsRemovedWhenItsSessionTimesOut() {
        stableSingleMember("g");
        clock.advance(SESSION - 1);
        coordinator.runDueDeadlines();
        assertEquals(GroupState.STABLE, coordinator.describeGroup("g").orElseThrow().state());
        clock.advance(1);
        coordinator.runDueDeadlines();
        assertEquals(GroupState.EMPTY, coordinator.describeGroup("g").orElseThrow().state());
        assertTrue(storage.groupStore().loadAll().getFirst().members().isEmpty(), "the emptied group is stored");
    }

    @Test
    void aSecondMemberRebalancesTheGroupAndBothEndWithHalfThePartitions() throws Exception {
        TestMember a = stableSingleMember("g");
        TestMember b = member("g");
        CompletableFuture<JoinResult> bJoin = CompletableFuture.supplyAsync(b::join,
                runnable -> Thread.ofVirtual().start(runnable));
        awaitState("g", GroupState.PREPARING_REBALANCE);
        assertEquals(ErrorCode.REBALANCE_IN_PROGRESS, a.heartbeat());
        assertEquals(ErrorCode.NONE, a.join().error());
        assertEquals(ErrorCode.NONE, bJoin.get(5, TimeUnit.SECONDS).error());
        assertEquals(2, a.generation);
        CompletableFuture<SyncResult> bSync = CompletableFuture.supplyAsync(() -> b.sync(3),
                runnable -> Thread.ofVirtual().start(runnable));
        SyncResult aSync = a.sync(3);
        SyncResult bSyncResult = bSync.get(5, TimeUnit.SECONDS);
        List<Integer> all = new ArrayList<>(TestMember.decode(aSync.assignment()));
        all.addAll(TestMember.decode(bSyncResult.assignment()));
        all.sort(Integer::compare);
        assertEquals(List.of(0, 1, 2), all);
    }

    @Test
    void joinGroupChecksTheGroupIdAndTheSessionTimeoutBounds() {
        TestMember tooShort = new TestMember(coordinator, "g", null, 99, REBALANCE);
        assertEquals(ErrorCode.INVALID_SESSION_TIMEOUT, tooShort.join().error());
        TestMember tooLong = new TestMember(coordinator, "g", null, 60_001, REBALANCE);
        assertEquals(ErrorCode.INVALID_SESSION_TIMEOUT, tooLong.join().error());
        assertEquals(ErrorCode.INVALID_GROUP_ID, member("").join().error());
        assertEquals(ErrorCode.INVALID_GROUP_ID, coordinator.heartbeat("", "m", null, 1));
        assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, coordinator.heartbeat("nope", "m", null, 1));
        assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID),
                coordinator.leaveGroup("nope", List.of(new MemberIdentity("m", null, null))).memberErrors());
    }

    @Test
    void consumersWithoutMembershipCommitAndFetchTheirOffsets() {
        assertEquals(List.of(ErrorCode.NONE), commit("simple", -1, "", 1, 7, null));
        List<FetchedOffset> fetched = coordinator.fetchOffsets("simple",
                List.of(new PartitionRef(topic, 0), new PartitionRef(topic, 1)), false);
        assertEquals(-1, fetched.get(0).offset());
        assertEquals("", fetched.get(0).metadata());
        assertEquals(7, fetched.get(1).offset());
        assertEquals("", fetched.get(1).metadata(), "no metadata is stored as the empty string");
        assertEquals(1, coordinator.fetchOffsets("simple", null, false).size());
        GroupsUseCase.GroupListing listing = coordinator.listGroups(List.of(), List.of()).getFirst();
        assertEquals("simple", listing.groupId());
        assertEquals("", listing.protocolType());
        assertEquals(GroupState.EMPTY.kafkaName(), listing.state());
        assertEquals(List.of(), coordinator.fetchOffsets("unknown", null, false));
        assertEquals(-1, coordinator.fetchOffsets("unknown", List.of(new PartitionRef(topic, 0)), false).getFirst()
                .offset());
    }

    @Test
    void commitsAreValidatedAgainstTheGroup() {
        TestMember m = stableSingleMember("g");
        assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID), commit("g", -1, "", 0, 1, null));
        assertEquals(List.of(ErrorCode.ILLEGAL_GENERATION), commit("g", 5, m.memberId, 0, 1, null));
        assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID), commit("g", 1, "stranger", 0, 1, null));
        assertEquals(List.of(ErrorCode.OFFSET_METADATA_TOO_LARGE), commit("g", 1, m.memberId, 0, 1, "x".repeat(4097)));
        assertEquals(List.of(ErrorCode.GROUP_ID_NOT_FOUND), commit("nope", 3, "m", 0, 1, null));
        assertEquals(List.of(ErrorCode.ILLEGAL_GENERATION), coordinator.commitOffsets(new OffsetCommitCommand("nope",
                "m", null, 3, -1, List.of(new PartitionCommit(topic, 0, 1, -1, null)), false)));
        assertEquals(List.of(ErrorCode.NONE), commit("g", 1, m.memberId, 0, 1, "x".repeat(4096)));
    }

    @Test
    void aCommitKeepsAMemberAlive() {
        TestMember m = stableSingleMember("g");
        clock.advance(SESSION - 1);
        commit("g", 1, m.memberId, 0, 1, null);
        clock.advance(SESSION - 1);
        coordinator.runDueDeadlines();
        assertEquals(GroupState.STABLE, coordinator.describeGroup("g").orElseThrow().state());
    }

    @Test
    void onlyEmptyGroupsAreDeletedAndTheirOffsetsGoWithThem() {
        TestMember m = stableSingleMember("g");
        commit("g", 1, m.memberId, 0, 5, null);
        assertEquals(ErrorCode.NON_EMPTY_GROUP, coordinator.deleteGroup("g"));
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, coordinator.deleteGroup("nope"));
        coordinator.leaveGroup("g", List.of(new MemberIdentity(m.memberId, null, null)));
        assertEquals(ErrorCode.NONE, coordinator.deleteGroup("g"));
        assertTrue(coordinator.describeGroup("g").isEmpty());
        assertEquals(Map.of(), storage.offsetStore().fetchAll("g"));
        assertTrue(storage.groupStore().loadAll().isEmpty());
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, coordinator.deleteGroup("g"));
    }

    @Test
    void offsetsOfSubscribedTopicsCannotBeDeleted() {
        TestMember m = new TestMember(coordinator, "g", null, SESSION, REBALANCE).subscribedTo("t");
        assertEquals(ErrorCode.NONE, m.join().error());
        m.sync(3);
        commit("g", 1, m.memberId, 0, 5, null);
        OffsetDeleteResult refused = coordinator.deleteOffsets("g", List.of(new PartitionRef(topic, 0)));
        assertEquals(List.of(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC), refused.partitionErrors());
        Topic other = topics.create(new CreateTopicCommand("other", 1, Map.of(), false)).topic();
        coordinator.commitOffsets(new OffsetCommitCommand("g", m.memberId, null, 1, -1,
                List.of(new PartitionCommit(other, 0, 9, -1, null)), true));
        OffsetDeleteResult deleted = coordinator.deleteOffsets("g", List.of(new PartitionRef(other, 0)));
        assertEquals(List.of(ErrorCode.NONE), deleted.partitionErrors());
        assertEquals(1, storage.offsetStore().fetchAll("g").size());
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, coordinator.deleteOffsets("nope", List.of()).error());
    }

    @Test
    void offsetsExpireARetentionAfterTheGroupEmptiedAndTheGroupGoesWithThem() {
        TestMember m = stableSingleMember("g");
        commit("g", 1, m.memberId, 0, 5, null);
        commit("simple", -1, "", 1, 5, null);
        coordinator.leaveGroup("g", List.of(new MemberIdentity(m.memberId, null, null)));
        clock.advance(RETENTION - 1);
        assertEquals(0, coordinator.expireOffsets());
        clock.advance(1);
        assertEquals(2, coordinator.expireOffsets());
        assertEquals(List.of(), coordinator.listGroups(List.of(), List.of()));
        assertTrue(storage.groupStore().loadAll().isEmpty());
    }

    @Test
    void groupsAreListedWithStateAndTypeFilters() {
        stableSingleMember("stable-group");
        commit("simple", -1, "", 1, 5, null);
        assertEquals(List.of("simple", "stable-group"), ids(coordinator.listGroups(List.of(), List.of())));
        assertEquals(List.of("stable-group"), ids(coordinator.listGroups(List.of("STABLE"), List.of())));
        assertEquals(List.of("simple"), ids(coordinator.listGroups(List.of("empty", "dead"), List.of("Classic"))));
        assertEquals(List.of(), ids(coordinator.listGroups(List.of(), List.of("consumer"))));
        assertEquals(List.of(), ids(coordinator.listGroups(List.of("bogus"), List.of())));
    }

    @Test
    void aFailedAssignmentWriteAnswersCoordinatorNotAvailable() {
        coordinator.close();
        AtomicBoolean fail = new AtomicBoolean();
        GroupStorePort flaky = new GroupStorePort() {
            @Override
            public List<GroupSnapshot> loadAll() {
                return storage.groupStore().loadAll();
            }

            @Override
            public void save(GroupSnapshot snapshot) {
                if (fail.get()) {
                    throw new StorageException("disk full", null);
                }
                storage.groupStore().save(snapshot);
            }

            @Override
            public void delete(String groupId) {
                storage.groupStore().delete(groupId);
            }
        };
        coordinator = start(flaky);
        TestMember m = member("g");
        assertEquals(ErrorCode.NONE, m.join().error());
        fail.set(true);
        assertEquals(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.sync(3).error());
        fail.set(false);
        assertEquals(ErrorCode.NONE, m.join().error());
        assertEquals(ErrorCode.NONE, m.sync(3).error());
    }

    @Test
    void shutdownReleasesParkedJoins() throws Exception {
        stableSingleMember("g");
        TestMember b = member("g");
        CompletableFuture<JoinResult> parked = CompletableFuture.supplyAsync(b::join,
                runnable -> Thread.ofVirtual().start(runnable));
        awaitState("g", GroupState.PREPARING_REBALANCE);
        coordinator.releaseParkedCalls();
        assertEquals(ErrorCode.NOT_COORDINATOR, parked.get(5, TimeUnit.SECONDS).error());
    }

    @Test
    void describeShowsMembersAndOverviewShowsLag() {
        TestMember m = new TestMember(coordinator, "g", null, SESSION, REBALANCE).subscribedTo("t");
        m.join();
        m.sync(3);
        commit("g", 1, m.memberId, 0, 0, "x");
        GroupsUseCase.GroupOverview overview = coordinator.overview().getFirst();
        assertEquals("g", overview.group().groupId());
        assertEquals(1, overview.group().members().size());
        assertEquals(1, overview.offsets().size());
        GroupsUseCase.PartitionOffset p0 = overview.offsets().getFirst();
        assertEquals(0, p0.committedOffset());
        assertEquals(0, p0.lag());
        assertEquals(List.of(0, 1, 2),
                TestMember.decode(coordinator.describeGroup("g").orElseThrow().members().getFirst().assignment()));
        assertFalse(coordinator.describeGroup("none").isPresent());
    }

    private void awaitState(String group, GroupState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (coordinator.describeGroup(group).map(d -> d.state() == state).orElse(false)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("group " + group + " never reached " + state);
    }

    private static List<String> ids(List<GroupsUseCase.GroupListing> listings) {
        return listings.stream().map(GroupsUseCase.GroupListing::groupId).toList();
    }
}
