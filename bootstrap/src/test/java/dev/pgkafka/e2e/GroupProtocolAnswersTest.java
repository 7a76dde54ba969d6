package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The answers Apache Kafka 4.3.1 gives to the group APIs' error cases, recorded request by request
 * against a real broker (shared/tools/kafka-ref) and expected here byte for byte where it matters:
 * error codes, and fields that change with the version.
 */
class GroupProtocolAnswersTest extends BrokerTestSupport {
    private String topic;
    private Uuid topicId;
    private RawKafkaConnection conn;

    @BeforeAll
    void setUp() throws Exception {
        topic = uniqueTopic("answers");
        createTopic(topic, 2);
        conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        topicId = conn.request(request, (short) 12, MetadataResponse.class).data().topics().find(topic).topicId();
    }

    @Test
    void joinGroupErrors() throws Exception {
        JoinGroupResponseData unknownGroup = conn.request(join("nosuch-group", "somemember", 10_000, "consumer"),
                (short) 6, JoinGroupResponse.class).data();
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), unknownGroup.errorCode());
        assertEquals("", unknownGroup.protocolName(), "before v7 the protocol name is not nullable");
        assertEquals("somemember", unknownGroup.memberId());
        assertNull(conn.request(join("nosuch-group", "somemember", 10_000, "consumer"), (short) 7,
                JoinGroupResponse.class).data().protocolName());
        assertEquals(Errors.INVALID_SESSION_TIMEOUT.code(), conn.request(join("g-bad-session", "", 1, "consumer"),
                (short) 5, JoinGroupResponse.class).data().errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(), conn.request(join("", "", 10_000, "consumer"), (short) 5,
                JoinGroupResponse.class).data().errorCode());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), conn.request(join("g-no-type", "", 10_000, ""),
                (short) 5, JoinGroupResponse.class).data().errorCode());
    }

    @Test
    void membershipErrorsForAnUnknownGroup() throws Exception {
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), conn.request(new HeartbeatRequestData().setGroupId("nosuch")
                .setGenerationId(1).setMemberId("m"), (short) 4, HeartbeatResponse.class).data().errorCode());
        assertEquals(Errors.INVALID_GROUP_ID.code(), conn.request(new HeartbeatRequestData().setGroupId("")
                .setGenerationId(1).setMemberId("m"), (short) 4, HeartbeatResponse.class).data().errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), conn.request(new SyncGroupRequestData().setGroupId("nosuch")
                .setGenerationId(1).setMemberId("m"), (short) 4, SyncGroupResponse.class).data().errorCode());
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), conn.request(new SyncGroupRequestData()
                        .setGroupId("nosuch").setGenerationId(1).setMemberId("m"), (short) 5, SyncGroupResponse.class)
                .data().errorCode(), "v5 requires protocol type and name");
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), conn.request(new LeaveGroupRequestData().setGroupId("nosuch")
                .setMemberId("m"), (short) 2, LeaveGroupResponse.class).data().errorCode());
        LeaveGroupRequestData batch = new LeaveGroupRequestData().setGroupId("nosuch");
        batch.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId("m"));
        LeaveGroupResponse left = conn.request(batch, (short) 3, LeaveGroupResponse.class);
        assertEquals(Errors.NONE.code(), left.data().errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), left.data().members().get(0).errorCode());
    }

    @Test
    void describingAnUnknownGroupIsDeadBeforeV6AndNotFoundFrom6() throws Exception {
        DescribeGroupsResponse v5 = conn.request(new DescribeGroupsRequestData().setGroups(List.of("nosuch")), (short) 5,
                DescribeGroupsResponse.class);
        assertEquals(Errors.NONE.code(), v5.data().groups().get(0).errorCode());
        assertEquals("Dead", v5.data().groups().get(0).groupState());
        DescribeGroupsResponse v6 = conn.request(new DescribeGroupsRequestData().setGroups(List.of("nosuch")), (short) 6,
                DescribeGroupsResponse.class);
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), v6.data().groups().get(0).errorCode());
        assertEquals("Group nosuch not found.", v6.data().groups().get(0).errorMessage());
    }

    @Test
    void offsetCommitErrors() throws Exception {
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, commit("c1", -1, "", "nosuch-topic", null, 0, null, 8));
        assertEquals(Errors.UNKNOWN_TOPIC_ID, commit("c1", -1, "", null, Uuid.randomUuid(), 0, null, 10));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, commit("c1", -1, "", topic, topicId, 99, null, 10));
        assertEquals(Errors.ILLEGAL_GENERATION, commit("c-unknown", 5, "m", topic, null, 0, null, 8));
        assertEquals(Errors.GROUP_ID_NOT_FOUND, commit("c-unknown", 5, "m", topic, null, 0, null, 9));
        assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, commit("c1", -1, "", topic, null, 1, "x".repeat(5000), 8));
        assertEquals(Errors.NONE, commit("c1", -1, "", topic, null, 0, "meta", 8));
    }

    @Test
    void offsetFetchOfUnknownTopicsAndGroups() throws Exception {
        OffsetFetchRequestData byName = new OffsetFetchRequestData().setGroupId("nosuch-group");
        byName.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("nosuch-topic")
                .setPartitionIndexes(List.of(0)));
        var partition = conn.request(byName, (short) 7, OffsetFetchResponse.class).data().topics().get(0).partitions()
                .get(0);
        assertEquals(Errors.NONE.code(), partition.errorCode());
        assertEquals(-1, partition.committedOffset());
        assertEquals("", partition.metadata());

        OffsetFetchRequestData byId = new OffsetFetchRequestData();
        byId.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("nosuch-group").setTopics(
                List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics().setTopicId(Uuid.randomUuid())
                        .setPartitionIndexes(List.of(0)))));
        byId.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("other").setTopics(null));
        var response = conn.request(byId, (short) 10, OffsetFetchResponse.class).data();
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), response.groups().get(0).topics().get(0).partitions().get(0)
                .errorCode());
        assertEquals(List.of(), response.groups().get(1).topics(), "an unknown group has no offsets");
    }

    @Test
    void offsetDeleteOfAnUnknownGroupAnswersAlone() throws Exception {
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId("nosuch-group");
        OffsetDeleteRequestData.OffsetDeleteRequestTopic t = new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                .setName(topic);
        t.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
        request.topics().add(t);
        OffsetDeleteResponse response = conn.request(request, (short) 0, OffsetDeleteResponse.class);
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), response.data().errorCode());
        assertEquals(0, response.data().topics().size());
    }

    @Test
    void shareGroupCoordinatorsAreNotServed() throws Exception {
        FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType((byte) 2);
        request.coordinatorKeys().add("share:key");
        assertEquals(Errors.INVALID_REQUEST.code(), conn.request(request, (short) 6, FindCoordinatorResponse.class).data()
                .coordinators().get(0).errorCode());
    }

    private Errors commit(String group, int generation, String member, String name, Uuid id, int partition,
                          String metadata, int version) throws Exception {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group)
                .setGenerationIdOrMemberEpoch(generation).setMemberId(member);
        OffsetCommitRequestData.OffsetCommitRequestTopic t = new OffsetCommitRequestData.OffsetCommitRequestTopic();
        if (version >= 10) {
            t.setTopicId(id);
        } else {
            t.setName(name);
        }
        t.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
                .setCommittedOffset(42).setCommittedMetadata(metadata));
        request.topics().add(t);
        OffsetCommitResponse response = conn.request(request, (short) version, OffsetCommitResponse.class);
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    private static JoinGroupRequestData join(String group, String memberId, int session, String protocolType) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(session).setRebalanceTimeoutMs(10_000).setProtocolType(protocolType);
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[] {0, 0, 0, 0, 0, 0, -1, -1, -1, -1}));
        return request;
    }
}
