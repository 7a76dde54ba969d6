package dev.pgkafka.application.service.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.memory.JdkRegexEngine;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.OffsetCommitCommand;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.PartitionCommit;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.topic.Topic;

/**
 * {@code pgkafka.groups.max} = 2 over both coordinators, as the broker wires them: classic, consumer
 * (KIP-848) and offsets-only groups count together; only a request that would create a group is refused.
 */
class GroupCountLimitTest {
    static final long RETENTION = 60_000;

    final InMemoryStorage storage = new InMemoryStorage();
    final MutableClock clock = new MutableClock(1_700_000_000_000L);
    final TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
    final List<AutoCloseable> started = new ArrayList<>();
    GroupCoordinator classic;
    ConsumerGroupCoordinator coordinator;
    Topic topic;

    void start() {
        classic = GroupCoordinator.start(storage.groupStore(), storage.offsetStore(), storage.log(),
                topics, GroupSettings.defaults().withInitialRebalanceDelayMs(0).withSessionTimeoutBounds(100, 60_000)
                        .withOffsetsRetentionMs(RETENTION).withMaxGroups(2), clock);
        coordinator = ConsumerGroupCoordinator.start(classic, storage.consumerGroupStore(), storage.offsetStore(),
                topics, new ConsumerGroupConfig(10_000, 1_000, 100), PartitionAssignors.builtIn(),
                JdkRegexEngine.INSTANCE, clock, false);
        started.add(classic);
        started.add(coordinator);
    }

    @BeforeEach
    void setUp() {
        topic = topics.create(new CreateTopicCommand("orders", 2, Map.of(), false)).topic();
        start();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : started) {
            c.close();
        }
    }

    ConsumerHeartbeatResult consumerJoin(String group, String memberId) {
        return coordinator.heartbeat(group, new ConsumerHeartbeat(memberId, 0, null, null, 30_000,
                List.of("orders"), null, null, Map.of(), "client", "/127.0.0.1", true));
    }

    TestMember classicMember(String group) {
        return new TestMember(coordinator, group, null, 10_000, 20_000);
    }

    OffsetCommitCommand commit(String group, String memberId, int generation) {
        return new OffsetCommitCommand(group, memberId, null, generation, -1,
                List.of(new PartitionCommit(topic, 0, 5, -1, ""), new PartitionCommit(topic, 1, 6, -1, "")), true);
    }

    @Test
    void aClassicAndAConsumerGroupFillTheLimitAndEveryWayToCreateAThirdIsRefused() {
        TestMember member = classicMember("classic");
        assertEquals(ErrorCode.NONE, member.join().error());
        assertEquals(ErrorCode.NONE, member.sync(2).error());
        ConsumerHeartbeatResult consumer = consumerJoin("consumer", "m1");
        assertEquals(ErrorCode.NONE, consumer.error());

        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, classicMember("third").join().error(), "JoinGroup");
        ConsumerHeartbeatResult refused = consumerJoin("third", "m2");
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, refused.error(), "ConsumerGroupHeartbeat");
        assertTrue(refused.errorMessage().contains("pgkafka.groups.max"), refused.errorMessage());
        assertEquals(List.of(ErrorCode.GROUP_MAX_SIZE_REACHED, ErrorCode.GROUP_MAX_SIZE_REACHED),
                coordinator.commitOffsets(commit("third", "", -1)), "OffsetCommit, one error per partition");
        assertEquals(List.of(ErrorCode.GROUP_MAX_SIZE_REACHED, ErrorCode.GROUP_MAX_SIZE_REACHED),
                coordinator.commitTransactionalOffsets(commit("third", "", -1), 4711L), "TxnOffsetCommit");
        assertEquals(Map.of(), storage.offsetStore().fetchAll("third"));
        assertEquals(2, coordinator.listGroups(List.of(), List.of()).size(), "nothing was left behind");

        // the existing groups carry on, and take new members
        assertEquals(ErrorCode.NONE, member.heartbeat());
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE),
                coordinator.commitOffsets(commit("classic", member.memberId, member.generation)));
        assertEquals(ErrorCode.MEMBER_ID_REQUIRED,
                coordinator.joinGroup("classic", classicMember("classic").request()).error(), "a new member is no new group");
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE),
                coordinator.commitOffsets(commit("consumer", "m1", consumer.memberEpoch())));
        assertEquals(ErrorCode.NONE, consumerJoin("consumer", "m3").error());
    }

    @Test
    void offsetsOnlyGroupsCountAndDeletingOneMakesRoom() {
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE), coordinator.commitOffsets(commit("a", "", -1)));
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE), coordinator.commitOffsets(commit("b", "", -1)));
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, classicMember("c").join().error());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, consumerJoin("c", "m").error());
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE), coordinator.commitOffsets(commit("a", "", -1)),
                "an existing offsets-only group commits again");

        assertEquals(ErrorCode.NONE, coordinator.deleteGroup("a"));
        assertEquals(ErrorCode.NONE, consumerJoin("c", "m").error());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, classicMember("d").join().error());
    }

    @Test
    void expiredGroupsMakeRoom() {
        coordinator.commitOffsets(commit("a", "", -1));
        coordinator.commitOffsets(commit("b", "", -1));
        assertEquals(List.of(ErrorCode.GROUP_MAX_SIZE_REACHED, ErrorCode.GROUP_MAX_SIZE_REACHED),
                coordinator.commitOffsets(commit("c", "", -1)));
        clock.advance(RETENTION);
        assertEquals(4, classic.expireOffsets(), "the offsets of both groups, and the groups with them");
        assertEquals(List.of(ErrorCode.NONE, ErrorCode.NONE), coordinator.commitOffsets(commit("c", "", -1)));
    }

    @Test
    void anEmptyGroupChangingTypeIsNoNewGroup() {
        coordinator.commitOffsets(commit("offsets-only", "", -1));
        ConsumerHeartbeatResult consumer = consumerJoin("consumer", "m1");
        assertEquals(ErrorCode.NONE, consumer.error());

        // the offsets-only (classic, empty) group becomes a consumer group at the limit
        assertEquals(ErrorCode.NONE, consumerJoin("offsets-only", "m2").error());
        // the consumer group, once empty, becomes a classic group at the limit
        coordinator.heartbeat("consumer", new ConsumerHeartbeat("m1", -1, null, null, -1, null, null, null, null,
                "client", "/127.0.0.1", true));
        assertEquals(ErrorCode.NONE, classicMember("consumer").join().error());
        assertEquals("classic", coordinator.groupType("consumer").orElseThrow());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, classicMember("third").join().error());
    }

    @Test
    void aRestartedBrokerCountsTheStoredGroups() throws Exception {
        assertEquals(ErrorCode.NONE, classicMember("classic").join().error());
        assertEquals(ErrorCode.NONE, consumerJoin("consumer", "m1").error());
        for (AutoCloseable c : started) {
            c.close();
        }
        started.clear();
        start();
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, consumerJoin("third", "m").error());
        assertEquals(ErrorCode.GROUP_MAX_SIZE_REACHED, classicMember("third").join().error());
        assertFalse(coordinator.groupType("third").isPresent());
    }
}
