package dev.pgkafka.application.service.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.memory.JdkRegexEngine;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase.DescribedConsumerGroup;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.FetchedOffset;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionRef;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.topic.Topic;

/** The consumer group coordinator over the in-memory storage, next to the classic one. */
class ConsumerGroupCoordinatorTest {
    static final ConsumerGroupConfig CONFIG = new ConsumerGroupConfig(10_000, 1_000, 100);
    static final long RETENTION = 600_000;

    final InMemoryStorage storage = new InMemoryStorage();
    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
    final List<AutoCloseable> started = new ArrayList<>();
    GroupCoordinator classic;
    ConsumerGroupCoordinator coordinator;
    Topic topic;

    ConsumerGroupCoordinator start() {
        classic = GroupCoordinator.start(storage.groupStore(), storage.offsetStore(), storage.log(), topics,
                GroupSettings.defaults().withInitialRebalanceDelayMs(0).withSessionTimeoutBounds(100, 60_000)
                        .withOffsetsRetentionMs(RETENTION), clock);
        ConsumerGroupCoordinator c = ConsumerGroupCoordinator.start(classic, storage.consumerGroupStore(),
                storage.offsetStore(), topics, CONFIG, PartitionAssignors.builtIn(), JdkRegexEngine.INSTANCE,
                clock, false);
        started.add(classic);
        started.add(c);
        return c;
    }

    @BeforeEach
    void setUp() {
        topic = topics.create(new CreateTopicCommand("orders", 6, Map.of(), false)).topic();
        coordinator = start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    ConsumerHeartbeatResult join(String group, String memberId, String instanceId) {
        return coordinator.heartbeat(group, new ConsumerHeartbeat(memberId, 0, instanceId, null, 30_000,
                List.of("orders"), null, null, Map.of(), "client", "/127.0.0.1", true));
    }

    ConsumerHeartbeatResult heartbeat(String group, String memberId, int epoch, Map<UUID, Set<Integer>> owned) {
        return coordinator.heartbeat(group, new ConsumerHeartbeat(memberId, epoch, null, null, -1, null, null, null,
                owned, "client", "/127.0.0.1", true));
    }

    @Test
    void aMemberJoinsAndTheGroupIsStored() {
        ConsumerHeartbeatResult joined = join("g", "m1", null);
        assertEquals(ErrorCode.NONE, joined.error());
        assertEquals(1, joined.memberEpoch());
        assertEquals(Map.of(topic.id(), Set.of(0, 1, 2, 3, 4, 5)), joined.assignment());
        assertEquals(1, storage.consumerGroupStore().loadAll().size());
        assertEquals(1, storage.consumerGroupStore().loadAll().getFirst().members().getFirst().memberEpoch());
    }

    @Test
    void aV0JoinGetsAMemberIdFromTheCoordinator() {
        ConsumerHeartbeatResult joined = coordinator.heartbeat("g", new ConsumerHeartbeat("", 0, null, null, 30_000,
                List.of("orders"), null, null, Map.of(), "client", "/127.0.0.1", false));
        assertEquals(ErrorCode.NONE, joined.error());
        assertTrue(!joined.memberId().isEmpty());
    }

    @Test
    void aRestartedCoordinatorKeepsTheAssignmentAndTheEpochs() {
        ConsumerHeartbeatResult a = join("g", "a", null);
        ConsumerHeartbeatResult b = join("g", "b", null);
        ConsumerHeartbeatResult aRevokes = heartbeat("g", "a", a.memberEpoch(), a.assignment());
        heartbeat("g", "a", aRevokes.memberEpoch(), aRevokes.assignment());
        ConsumerHeartbeatResult bGets = heartbeat("g", "b", b.memberEpoch(), Map.of());
        assertEquals(3, bGets.assignment().get(topic.id()).size());

        coordinator = start();
        ConsumerHeartbeatResult again = heartbeat("g", "b", bGets.memberEpoch(), bGets.assignment());
        assertEquals(ErrorCode.NONE, again.error());
        assertEquals(bGets.memberEpoch(), again.memberEpoch());
        assertNull(again.assignment(), "nothing moved");
        DescribedConsumerGroup described = coordinator.describe(List.of("g")).getFirst();
        assertEquals(ConsumerGroupState.STABLE, described.description().state());
        assertEquals(2, described.description().groupEpoch());
    }

    @Test
    void membersThatStopHeartbeatingAreRemovedAtTheEndOfTheirSession() {
        join("g", "a", null);
        clock.advance(5_000);
        ConsumerHeartbeatResult b = join("g", "b", null);
        clock.advance(5_000);
        coordinator.runDueDeadlines();
        assertEquals(List.of("b"), coordinator.describe(List.of("g")).getFirst().description().members().stream()
                .map(m -> m.member().memberId()).toList());
        ConsumerHeartbeatResult all = heartbeat("g", "b", b.memberEpoch(), Map.of());
        assertEquals(6, all.assignment().get(topic.id()).size());
        assertEquals(1, storage.consumerGroupStore().loadAll().getFirst().members().size(), "the removal is stored");
    }

    @Test
    void classicAndConsumerGroupsShareTheIdSpace() {
        TestMember classicMember = new TestMember(coordinator, "classic-group", null, 10_000, 20_000);
        assertEquals(ErrorCode.NONE, classicMember.join().error());
        ConsumerHeartbeatResult refused = join("classic-group", "m", null);
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, refused.error());
        assertEquals("Group classic-group is not a consumer group.", refused.errorMessage());

        join("consumer-group", "m", null);
        TestMember intruder = new TestMember(coordinator, "consumer-group", null, 10_000, 20_000);
        assertEquals(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, intruder.join().error());

        assertEquals(List.of("classic-group", "consumer-group"),
                coordinator.listGroups(List.of(), List.of()).stream().map(GroupsUseCase.GroupListing::groupId).toList());
        assertEquals(List.of(new GroupsUseCase.GroupListing("consumer-group", "consumer", "Stable", "consumer")),
                coordinator.listGroups(List.of(), List.of("Consumer")));
        assertEquals(List.of("classic-group"), coordinator.listGroups(List.of(), List.of("classic")).stream()
                .map(GroupsUseCase.GroupListing::groupId).toList());
        assertEquals("consumer", coordinator.groupType("consumer-group").orElseThrow());
        assertTrue(coordinator.describeGroup("consumer-group").isEmpty());
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, coordinator.describe(List.of("classic-group")).getFirst().error());
        assertEquals("Group nope not found.", coordinator.describe(List.of("nope")).getFirst().errorMessage());
    }

    @Test
    void emptyGroupsChangeTypeAndKeepTheirOffsets() {
        // a classic group that only committed offsets becomes a consumer group
        assertEquals(List.of(ErrorCode.NONE), coordinator.commitOffsets(new OffsetCommitCommand("g", "", null, -1, -1,
                List.of(new PartitionCommit(topic, 0, 42, -1, "")), true)));
        ConsumerHeartbeatResult joined = join("g", "m", null);
        assertEquals(ErrorCode.NONE, joined.error());
        assertEquals(42, coordinator.fetchOffsets("g", List.of(new PartitionRef(topic, 0)), false).getFirst().offset());
        // once empty, a classic member may take it back
        heartbeat("g", "m", -1, null);
        TestMember classicMember = new TestMember(coordinator, "g", null, 10_000, 20_000);
        assertEquals(ErrorCode.NONE, classicMember.join().error());
        assertEquals("classic", coordinator.groupType("g").orElseThrow());
        assertTrue(storage.consumerGroupStore().loadAll().isEmpty());
        FetchedOffset kept = coordinator.fetchOffsets("g", List.of(new PartitionRef(topic, 0)), false).getFirst();
        assertEquals(42, kept.offset());
    }

    @Test
    void offsetCommitsAndFetchesCheckTheMemberEpoch() {
        ConsumerHeartbeatResult joined = join("g", "m", null);
        assertEquals(List.of(ErrorCode.NONE), commit("g", "m", joined.memberEpoch()));
        assertEquals(List.of(ErrorCode.STALE_MEMBER_EPOCH), commit("g", "m", joined.memberEpoch() + 1));
        assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID), commit("g", "other", joined.memberEpoch()));
        assertEquals(ErrorCode.NONE, coordinator.validateOffsetFetch("g", "m", joined.memberEpoch()));
        assertEquals(ErrorCode.STALE_MEMBER_EPOCH, coordinator.validateOffsetFetch("g", "m", 0));
        assertEquals(ErrorCode.UNKNOWN_MEMBER_ID, coordinator.validateOffsetFetch("g", "x", 1));
        assertEquals(7, coordinator.fetchOffsets("g", null, false).getFirst().offset());
    }

    /** Validation only: the in-memory reference storage keeps no pending offsets (the e2e test stores them). */
    @Test
    void transactionalOffsetCommitsCheckTheMemberAndItsEpoch() {
        ConsumerHeartbeatResult joined = join("g", "m", null);
        OffsetCommitCommand stale = new OffsetCommitCommand("g", "m", null, joined.memberEpoch() + 1, -1,
                List.of(new PartitionCommit(topic, 0, 9, -1, "")), true);
        assertEquals(List.of(ErrorCode.ILLEGAL_GENERATION), coordinator.commitTransactionalOffsets(stale, 4711L));
        OffsetCommitCommand stranger = new OffsetCommitCommand("g", "x", null, joined.memberEpoch(), -1,
                List.of(new PartitionCommit(topic, 0, 9, -1, "")), true);
        assertEquals(List.of(ErrorCode.UNKNOWN_MEMBER_ID), coordinator.commitTransactionalOffsets(stranger, 4711L));
    }

    @Test
    void onlyEmptyConsumerGroupsAreDeletedWithTheirOffsets() {
        ConsumerHeartbeatResult joined = join("g", "m", null);
        commit("g", "m", joined.memberEpoch());
        assertEquals(ErrorCode.NON_EMPTY_GROUP, coordinator.deleteGroup("g"));
        heartbeat("g", "m", -1, null);
        assertEquals(ConsumerGroupState.EMPTY, coordinator.describe(List.of("g")).getFirst().description().state());
        assertEquals(ErrorCode.NONE, coordinator.deleteGroup("g"));
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, coordinator.deleteGroup("g"));
        assertEquals(Map.of(), storage.offsetStore().fetchAll("g"));
        assertTrue(storage.consumerGroupStore().loadAll().isEmpty());
    }

    @Test
    void unknownGroupsAndMalformedHeartbeatsAreAnsweredAsKafkaDoes() {
        assertEquals(ErrorCode.GROUP_ID_NOT_FOUND, heartbeat("nope", "m", 3, Map.of()).error());
        assertEquals(ErrorCode.INVALID_REQUEST, heartbeat("", "m", 3, Map.of()).error());
        assertEquals(ErrorCode.UNSUPPORTED_ASSIGNOR, coordinator.heartbeat("g", new ConsumerHeartbeat("m", 0, null, null,
                30_000, List.of("orders"), null, "cooperative-sticky", Map.of(), "c", "h", true)).error());
        assertEquals(ErrorCode.INVALID_REQUEST, join("g", "m\u0000", null).error(), "PostgreSQL text cannot hold NUL");
        assertEquals(ErrorCode.INVALID_REQUEST, join("g\u0000", "m", null).error());
        assertTrue(coordinator.groupIds().isEmpty(), "refused joins leave no group behind");
    }

    @Test
    void offsetsOfSubscribedTopicsStayAndAnEmptyGroupsExpireWithTheGroup() {
        Topic other = topics.create(new CreateTopicCommand("other", 1, Map.of(), false)).topic();
        ConsumerHeartbeatResult joined = join("g", "m", null);
        commit("g", "m", joined.memberEpoch());
        coordinator.commitOffsets(new OffsetCommitCommand("g", "m", null, joined.memberEpoch(), -1,
                List.of(new PartitionCommit(other, 0, 3, -1, "")), true));
        clock.advance(RETENTION);
        heartbeat("g", "m", joined.memberEpoch(), null); // the member stays
        assertEquals(1, coordinator.expireOffsets(), "only the offset of the topic nobody subscribes to");
        assertEquals(7, coordinator.fetchOffsets("g", null, false).getFirst().offset());

        heartbeat("g", "m", -1, null);
        assertEquals(1, coordinator.expireOffsets(), "nobody subscribes any more: committed a retention period ago");
        assertTrue(coordinator.groupIds().isEmpty(), "an empty group without offsets goes");
        assertTrue(storage.consumerGroupStore().loadAll().isEmpty());
    }

    private List<ErrorCode> commit(String group, String memberId, int epoch) {
        return coordinator.commitOffsets(new OffsetCommitCommand(group, memberId, null, epoch, -1,
                List.of(new PartitionCommit(topic, 0, 7, -1, "")), true));
    }
}
