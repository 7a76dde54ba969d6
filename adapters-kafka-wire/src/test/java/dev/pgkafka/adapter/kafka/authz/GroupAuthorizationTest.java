package dev.pgkafka.adapter.kafka.authz;

import static dev.pgkafka.adapter.kafka.authz.Contexts.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.commit.OffsetCommitHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetDeleteHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetFetchHandler;
import dev.pgkafka.adapter.kafka.api.coordinator.FindCoordinatorHandler;
import dev.pgkafka.adapter.kafka.api.group.ConsumerGroupDescribeHandler;
import dev.pgkafka.adapter.kafka.api.group.ConsumerGroupHeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.DeleteGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.DescribeGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.HeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.JoinGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.LeaveGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.ListGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.SyncGroupHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase.FetchedOffset;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.MemberState;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/** The group APIs (classic and KIP-848) and group offsets with ACLs, as Kafka 4.3.1 answers them. */
class GroupAuthorizationTest {
    /** READ and DESCRIBE on a group as KIP-430 bits (Kafka 4.3.1 answered 264 for alice's g1). */
    static final int READ_DESCRIBE = 264;
    /** Every group operation Kafka 4.3.1 answers a super user, configs included. */
    static final int ALL_GROUP_OPERATIONS = 3400;

    final ScriptedAuthorizer acls = new ScriptedAuthorizer()
            .allow("alice", AclOperation.READ, ResourceType.GROUP, "g1")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.GROUP, "g1")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.GROUP, "g2")
            .allow("alice", AclOperation.DELETE, ResourceType.GROUP, "g2")
            .allow("alice", AclOperation.READ, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, "tx1");
    final AuthHelper auth = new AuthHelper(acls);
    final Fakes.Topics topics = new Fakes.Topics();
    final Topic known = topics.add("known", 2);
    final Topic secret = topics.add("secret", 1);
    final Fakes.GroupOffsets offsets = new Fakes.GroupOffsets();
    final Fakes.Groups groups = new Fakes.Groups();
    final Fakes.Membership membership = new Fakes.Membership();

    @Test
    void findCoordinatorNeedsDescribeOnTheKey() {
        FindCoordinatorHandler handler = new FindCoordinatorHandler(new BrokerEndpoint(1, "h", 9092), auth);
        FindCoordinatorResponseData v3 = call(handler, "alice", 3, new FindCoordinatorRequestData().setKey("g3"));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), v3.errorCode());
        assertEquals("Group authorization failed.", v3.errorMessage());
        assertEquals(-1, v3.nodeId());
        assertEquals("", v3.host());
        assertEquals(-1, v3.port());
        FindCoordinatorResponseData tx = call(handler, "alice", 3,
                new FindCoordinatorRequestData().setKey("tx-no").setKeyType((byte) 1));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), tx.errorCode());
        assertEquals("Transactional Id authorization failed.", tx.errorMessage());

        FindCoordinatorResponseData batched = call(handler, "alice", 6,
                new FindCoordinatorRequestData().setCoordinatorKeys(List.of("g1", "g3")));
        assertEquals(Errors.NONE.code(), batched.coordinators().get(0).errorCode());
        assertEquals(1, batched.coordinators().get(0).nodeId());
        FindCoordinatorResponseData.Coordinator refused = batched.coordinators().get(1);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals("", refused.errorMessage());
        assertEquals(-1, refused.nodeId());
        FindCoordinatorResponseData txs = call(handler, "alice", 6, new FindCoordinatorRequestData()
                .setKeyType((byte) 1).setCoordinatorKeys(List.of("tx1", "tx-no")));
        assertEquals(List.of((short) 0, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()),
                txs.coordinators().stream().map(c -> c.errorCode()).toList());
    }

    @Test
    void classicMembershipNeedsReadOnTheGroupAndAnswersKafkasErrorShapes() {
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g2").setMemberId("").setProtocolType("consumer")
                .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(10000);
        join.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
        JoinGroupResponseData v9 = call(new JoinGroupHandler(membership, auth), "alice", 9, join);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), v9.errorCode());
        assertEquals(-1, v9.generationId());
        assertNull(v9.protocolName());
        assertEquals("", v9.memberId());
        JoinGroupResponseData v6 = call(new JoinGroupHandler(membership, auth), "alice", 6, join);
        assertEquals("", v6.protocolName(), "versions before 7 answer an empty protocol name, as Kafka");

        SyncGroupResponseData sync = call(new SyncGroupHandler(membership, auth), "alice", 5, new SyncGroupRequestData()
                .setGroupId("g2").setMemberId("m").setGenerationId(1).setProtocolType("consumer").setProtocolName("range"));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), sync.errorCode());
        assertNull(sync.protocolType());
        HeartbeatResponseData heartbeat = call(new HeartbeatHandler(membership, auth), "alice", 4,
                new HeartbeatRequestData().setGroupId("g2").setMemberId("m").setGenerationId(1));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), heartbeat.errorCode());
        LeaveGroupRequestData leave = new LeaveGroupRequestData().setGroupId("g2")
                .setMembers(List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId("m")));
        LeaveGroupResponseData left = call(new LeaveGroupHandler(membership, auth), "alice", 5, leave);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), left.errorCode());
        assertTrue(left.members().isEmpty());
        assertTrue(membership.calls.isEmpty());

        call(new HeartbeatHandler(membership, auth), "alice", 4,
                new HeartbeatRequestData().setGroupId("g1").setMemberId("m").setGenerationId(1));
        assertEquals(List.of("heartbeat g1"), membership.calls);
    }

    @Test
    void describeGroupsRefusesFirstAndAnswersOperationsOfTheOthers() {
        groups.groups.put("g1", new GroupDescription("g1", GroupState.EMPTY, "consumer", "", 0, List.of()));
        DescribeGroupsHandler handler = new DescribeGroupsHandler(groups, auth);
        DescribeGroupsResponseData response = call(handler, "alice", 5, new DescribeGroupsRequestData()
                .setGroups(List.of("g1", "g2", "g3")).setIncludeAuthorizedOperations(true));
        assertEquals(List.of("g3", "g1", "g2"), response.groups().stream().map(g -> g.groupId()).toList());
        DescribeGroupsResponseData.DescribedGroup refused = response.groups().get(0);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals("", refused.groupState());
        assertEquals("", refused.protocolType());
        assertEquals(AuthHelper.NOT_REQUESTED, refused.authorizedOperations());
        assertEquals(READ_DESCRIBE, response.groups().get(1).authorizedOperations());
        assertEquals(256 | 64, response.groups().get(2).authorizedOperations(),
                "DESCRIBE and DELETE: a Dead group before v6 has its operations too");

        DescribeGroupsHandler open = new DescribeGroupsHandler(groups, AuthHelper.allowAll());
        DescribeGroupsResponseData all = call(open, "anyone", 5, new DescribeGroupsRequestData()
                .setGroups(List.of("g1")).setIncludeAuthorizedOperations(true));
        assertEquals(ALL_GROUP_OPERATIONS, all.groups().get(0).authorizedOperations());
    }

    @Test
    void listGroupsShowsAllWithClusterDescribeElseOnlyDescribableGroups() {
        for (String g : List.of("g1", "g2", "g3")) {
            groups.groups.put(g, new GroupDescription(g, GroupState.EMPTY, "consumer", "", 0, List.of()));
        }
        ListGroupsHandler handler = new ListGroupsHandler(groups, auth);
        ListGroupsResponseData alice = call(handler, "alice", 5, new ListGroupsRequestData());
        assertEquals(List.of("g1", "g2"), alice.groups().stream().map(g -> g.groupId()).toList());
        assertTrue(acls.loggedDenials().isEmpty(), "the client named no group");
        acls.allowCluster("bob", AclOperation.DESCRIBE);
        ListGroupsResponseData bob = call(handler, "bob", 5, new ListGroupsRequestData());
        assertEquals(3, bob.groups().size());
    }

    @Test
    void deleteGroupsNeedsDeleteAndAnswersRefusedGroupsLast() {
        DeleteGroupsHandler handler = new DeleteGroupsHandler(groups, auth);
        DeleteGroupsResponseData response = call(handler, "alice", 2,
                new DeleteGroupsRequestData().setGroupsNames(List.of("g1", "g2", "g1")));
        assertEquals(List.of("g2", "g1"), response.results().stream().map(r -> r.groupId()).toList());
        assertEquals(Errors.NONE.code(), response.results().find("g2").errorCode());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), response.results().find("g1").errorCode());
        assertEquals(List.of("g2"), groups.deleted);
    }

    private static OffsetCommitRequestData.OffsetCommitRequestTopic commitTopic(String name, Uuid id) {
        return new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(name).setTopicId(id).setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(5)));
    }

    @Test
    void offsetCommitChecksTheGroupThenEachTopic() {
        OffsetCommitHandler handler = new OffsetCommitHandler(offsets, topics, auth);
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId("g1").setGenerationIdOrMemberEpoch(-1);
        for (String n : List.of("known", "secret", "nope")) {
            request.topics().add(commitTopic(n, Uuid.ZERO_UUID));
        }
        OffsetCommitResponseData response = call(handler, "alice", 9, request);
        assertEquals(List.of("secret", "nope", "known"), response.topics().stream().map(t -> t.name()).toList(),
                "refused topics first, as Kafka's answer");
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.topics().get(1).partitions().get(0).errorCode(),
                "a missing topic without READ is refused, not unknown");
        assertEquals(Errors.NONE.code(), response.topics().get(2).partitions().get(0).errorCode());
        assertEquals(1, offsets.commits.getFirst().partitions().size());

        OffsetCommitResponseData denied = call(handler, "alice", 9, request.duplicate().setGroupId("g2"));
        assertEquals(List.of("known", "secret", "nope"), denied.topics().stream().map(t -> t.name()).toList());
        assertTrue(denied.topics().stream().allMatch(t -> t.partitions().get(0).errorCode()
                == Errors.GROUP_AUTHORIZATION_FAILED.code()));

        OffsetCommitRequestData byId = new OffsetCommitRequestData().setGroupId("g1").setGenerationIdOrMemberEpoch(-1);
        byId.topics().add(commitTopic("", Uuids.toKafka(secret.id())));
        byId.topics().add(commitTopic("", Uuid.randomUuid()));
        OffsetCommitResponseData ids = call(handler, "alice", 10, byId);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), ids.topics().get(0).partitions().get(0).errorCode());
        assertEquals(Uuids.toKafka(secret.id()), ids.topics().get(0).topicId());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), ids.topics().get(1).partitions().get(0).errorCode());
    }

    @Test
    void offsetFetchRefusesGroupsAndNamedTopicsAndHidesTopicsWhenFetchingAll() {
        offsets.committed.add(new FetchedOffset(known, 0, 7, -1, "", ErrorCode.NONE));
        offsets.committed.add(new FetchedOffset(secret, 0, 9, -1, "", ErrorCode.NONE));
        OffsetFetchHandler handler = new OffsetFetchHandler(offsets, topics, auth);
        OffsetFetchRequestData request = new OffsetFetchRequestData();
        request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g1").setTopics(null));
        request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g3").setTopics(null));
        request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g2").setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("secret").setPartitionIndexes(List.of(0)),
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setName("known").setPartitionIndexes(List.of(0)))));
        OffsetFetchResponseData response = call(handler, "alice", 9, request);
        OffsetFetchResponseData.OffsetFetchResponseGroup all = response.groups().get(0);
        assertEquals(List.of("known"), all.topics().stream().map(t -> t.name()).toList(), "secret is hidden");
        assertEquals(List.of("GROUP g3", "TOPIC secret"), acls.loggedDenials().stream()
                .map(a -> a.resourceType() + " " + a.resourceName()).toList(),
                "what the client named is a logged denial, what a fetch of all offsets hides is not");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), response.groups().get(1).errorCode());
        assertTrue(response.groups().get(1).topics().isEmpty());
        OffsetFetchResponseData.OffsetFetchResponseGroup named = response.groups().get(2);
        assertEquals(List.of("known", "secret"), named.topics().stream().map(t -> t.name()).toList(),
                "refused topics after the group's, as Kafka");
        OffsetFetchResponseData.OffsetFetchResponsePartitions refused = named.topics().get(1).partitions().get(0);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(-1, refused.committedOffset());
        assertEquals(-1, refused.committedLeaderEpoch());
        assertEquals("", refused.metadata());

        OffsetFetchResponseData v7 = call(handler, "alice", 7, new OffsetFetchRequestData().setGroupId("g3").setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("known").setPartitionIndexes(List.of(0)))));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), v7.errorCode());
        assertTrue(v7.topics().isEmpty());
        OffsetFetchResponseData v1 = call(handler, "alice", 1, new OffsetFetchRequestData().setGroupId("g3").setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("known").setPartitionIndexes(List.of(0)))));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), v1.topics().get(0).partitions().get(0).errorCode(),
                "v1 has no group error: every partition carries it");

        OffsetFetchRequestData byId = new OffsetFetchRequestData();
        byId.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g1").setTopics(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(Uuids.toKafka(secret.id())).setPartitionIndexes(List.of(0)),
                new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(Uuids.toKafka(known.id())).setPartitionIndexes(List.of(0)))));
        OffsetFetchResponseData ids = call(handler, "alice", 10, byId);
        List<OffsetFetchResponseData.OffsetFetchResponseTopics> t = ids.groups().get(0).topics();
        assertEquals(Uuids.toKafka(known.id()), t.get(0).topicId());
        assertEquals(42, t.get(0).partitions().get(0).committedOffset());
        assertEquals(Uuids.toKafka(secret.id()), t.get(1).topicId());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), t.get(1).partitions().get(0).errorCode());
    }

    @Test
    void offsetDeleteNeedsDeleteOnTheGroupAndReadOnTheTopics() {
        OffsetDeleteHandler handler = new OffsetDeleteHandler(offsets, topics, auth);
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId("g1");
        for (String n : List.of("known", "secret")) {
            OffsetDeleteRequestData.OffsetDeleteRequestTopic t = new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName(n);
            t.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
            request.topics().add(t);
        }
        OffsetDeleteResponseData denied = call(handler, "alice", 0, request);
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), denied.errorCode());
        assertTrue(denied.topics().isEmpty());
        OffsetDeleteResponseData response = call(handler, "alice", 0, request.duplicate().setGroupId("g2"));
        assertEquals(Errors.NONE.code(), response.errorCode());
        assertEquals(List.of("secret", "known"), response.topics().stream().map(t -> t.name()).toList());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), response.topics().find("secret").partitions().find(0).errorCode());
        assertEquals(Errors.NONE.code(), response.topics().find("known").partitions().find(0).errorCode());
        assertEquals(1, offsets.deleted.getFirst().size());
    }

    @Test
    void consumerGroupHeartbeatNeedsReadOnTheGroupAndDescribeOnEveryNamedTopic() {
        Fakes.ConsumerGroups consumerGroups = new Fakes.ConsumerGroups();
        ConsumerGroupHeartbeatHandler handler = new ConsumerGroupHeartbeatHandler(consumerGroups, auth);
        ConsumerGroupHeartbeatRequestData join = new ConsumerGroupHeartbeatRequestData().setGroupId("g1")
                .setMemberId(Uuid.randomUuid().toString()).setMemberEpoch(0).setRebalanceTimeoutMs(10000)
                .setSubscribedTopicNames(List.of("known", "secret")).setTopicPartitions(List.of());
        ConsumerGroupHeartbeatResponseData refused = call(handler, "alice", 1, join);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertNull(refused.errorMessage());
        assertNull(refused.memberId());
        assertEquals(0, refused.memberEpoch());
        ConsumerGroupHeartbeatResponseData noGroup = call(handler, "alice", 1, join.duplicate().setGroupId("g2"));
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), noGroup.errorCode());
        assertTrue(consumerGroups.heartbeats.isEmpty());

        ConsumerGroupHeartbeatResponseData ok = call(handler, "alice", 1, join.duplicate().setSubscribedTopicNames(List.of("known")));
        assertEquals(Errors.NONE.code(), ok.errorCode());
        // a regex resolves only to what alice may describe
        assertTrue(consumerGroups.lastVisibleTopics.test("known"));
        assertFalse(consumerGroups.lastVisibleTopics.test("secret"));
        assertFalse(acls.asked.getLast().action().logIfDenied(), "a topic hidden from a regex is no logged denial");

        Fakes.ConsumerGroups open = new Fakes.ConsumerGroups();
        call(new ConsumerGroupHeartbeatHandler(open, AuthHelper.allowAll()), "anyone", 1, join);
        assertNull(open.lastVisibleTopics, "no authorizer: a regex resolves to every topic");
    }

    @Test
    void consumerGroupDescribeRefusesGroupsAndHidesGroupsWithUndescribableTopics() {
        Fakes.ConsumerGroups consumerGroups = new Fakes.ConsumerGroups();
        consumerGroups.groups.put("g1", group("g1", Map.of(known.id(), Set.of(0))));
        consumerGroups.groups.put("g2", group("g2", Map.of(secret.id(), Set.of(0))));
        ConsumerGroupDescribeHandler handler = new ConsumerGroupDescribeHandler(consumerGroups, topics, auth);
        ConsumerGroupDescribeResponseData response = call(handler, "alice", 1, new ConsumerGroupDescribeRequestData()
                .setGroupIds(List.of("g1", "g2", "g3")).setIncludeAuthorizedOperations(true));
        assertEquals(List.of("g3", "g1", "g2"), response.groups().stream().map(g -> g.groupId()).toList());
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(), response.groups().get(0).errorCode());
        assertNull(response.groups().get(0).errorMessage());
        assertEquals(Errors.NONE.code(), response.groups().get(1).errorCode());
        assertEquals(READ_DESCRIBE, response.groups().get(1).authorizedOperations());
        ConsumerGroupDescribeResponseData.DescribedGroup hidden = response.groups().get(2);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), hidden.errorCode());
        assertEquals("The group has described topic(s) that the client is not authorized to describe.",
                hidden.errorMessage());
        assertTrue(hidden.members().isEmpty());
        assertEquals(AuthHelper.NOT_REQUESTED, hidden.authorizedOperations());
    }

    private static ConsumerGroupDescription group(String id, Map<java.util.UUID, Set<Integer>> assigned) {
        ConsumerGroupMember member = new ConsumerGroupMember("m", null, null, "c", "h", List.of("t"), null, null, 1000,
                1, 0, MemberState.STABLE, assigned, Map.of());
        return new ConsumerGroupDescription(id, ConsumerGroupState.STABLE, 1, 1, "uniform",
                List.of(new ConsumerGroupDescription.Member(member, assigned)));
    }
}
