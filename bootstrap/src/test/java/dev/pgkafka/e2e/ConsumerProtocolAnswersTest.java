package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ConsumerGroupDescribeResponse;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/** ConsumerGroupHeartbeat, ConsumerGroupDescribe and the group APIs around them, request by request. */
class ConsumerProtocolAnswersTest extends BrokerTestSupport {
    private String topic;
    private Uuid topicId;
    private RawKafkaConnection conn;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300);
    }

    @BeforeAll
    void setUp() throws Exception {
        topic = uniqueTopic("answers");
        createTopic(topic, 4);
        conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        topicId = conn.request(request, (short) 12, MetadataResponse.class).data().topics().find(topic).topicId();
    }

    @AfterAll
    void tearDown() throws Exception {
        conn.close();
    }

    private ConsumerGroupHeartbeatRequestData join(String group, String memberId) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(memberId).setMemberEpoch(0)
                .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of());
    }

    private ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, int version)
            throws Exception {
        return conn.request(request, (short) version, ConsumerGroupHeartbeatResponse.class).data();
    }

    @Test
    void bothApisAreAdvertisedOverKafkasRange() throws Exception {
        ApiVersionsResponse versions = conn.request(new ApiVersionsRequestData().setClientSoftwareName("test")
                .setClientSoftwareVersion("1"), (short) 3, ApiVersionsResponse.class);
        assertEquals(0, versions.apiVersion(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id).minVersion());
        assertEquals(1, versions.apiVersion(ApiKeys.CONSUMER_GROUP_HEARTBEAT.id).maxVersion());
        assertEquals(0, versions.apiVersion(ApiKeys.CONSUMER_GROUP_DESCRIBE.id).minVersion());
        assertEquals(1, versions.apiVersion(ApiKeys.CONSUMER_GROUP_DESCRIBE.id).maxVersion());
        // the feature Kafka 4.3.1 finalizes for the consumer group protocol
        var groupVersion = versions.data().finalizedFeatures().find("group.version");
        assertEquals(1, groupVersion.minVersionLevel());
        assertEquals(1, groupVersion.maxVersionLevel());
        assertEquals(1, versions.data().supportedFeatures().find("group.version").maxVersion());
        assertTrue(versions.data().finalizedFeaturesEpoch() >= 0);
    }

    @Test
    void malformedHeartbeatsAreInvalidRequests() throws Exception {
        String group = uniqueTopic("malformed");
        ConsumerGroupHeartbeatResponseData noMemberId = heartbeat(join(group, ""), 1);
        assertEquals(Errors.INVALID_REQUEST.code(), noMemberId.errorCode());
        assertEquals("MemberId can't be empty.", noMemberId.errorMessage());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setRebalanceTimeoutMs(-1), 1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setSubscribedTopicNames(null), 1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setTopicPartitions(List.of(
                new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topicId).setPartitions(List.of(0)))), 1)
                .errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join("", "m"), 1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setInstanceId(""), 1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setMemberEpoch(-3), 1).errorCode());
        assertEquals(Errors.INVALID_REQUEST.code(), heartbeat(join(group, "m").setMemberEpoch(-2), 1).errorCode(),
                "a static leave needs an instance id");
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(),
                heartbeat(join(group, "m").setSubscribedTopicNames(null).setSubscribedTopicRegex("a-("), 1).errorCode());
        ConsumerGroupHeartbeatResponseData sticky = heartbeat(join(group, "m").setServerAssignor("sticky"), 1);
        assertEquals(Errors.UNSUPPORTED_ASSIGNOR.code(), sticky.errorCode());
        assertEquals("ServerAssignor sticky is not supported. Supported assignors: uniform, range.", sticky.errorMessage());
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), heartbeat(join(group, "m").setMemberEpoch(3), 1).errorCode());
    }

    @Test
    void aV0JoinGetsItsMemberIdFromTheBrokerAndMembersAreFencedByEpoch() throws Exception {
        String group = uniqueTopic("v0");
        ConsumerGroupHeartbeatResponseData joined = heartbeat(join(group, ""), 0);
        assertEquals(Errors.NONE.code(), joined.errorCode());
        assertFalse(joined.memberId().isEmpty());
        assertEquals(1, joined.memberEpoch());
        assertEquals(300, joined.heartbeatIntervalMs());
        assertEquals(List.of(0, 1, 2, 3), joined.assignment().topicPartitions().getFirst().partitions());
        assertEquals(topicId, joined.assignment().topicPartitions().getFirst().topicId());

        ConsumerGroupHeartbeatRequestData same = new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId(joined.memberId()).setMemberEpoch(1);
        ConsumerGroupHeartbeatResponseData beat = heartbeat(same, 0);
        assertEquals(Errors.NONE.code(), beat.errorCode());
        assertNull(beat.assignment(), "unchanged assignments are not sent again");
        assertEquals(Errors.FENCED_MEMBER_EPOCH.code(), heartbeat(same.duplicate().setMemberEpoch(2), 0).errorCode());
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), heartbeat(same.duplicate().setMemberId("stranger"), 0).errorCode());
        ConsumerGroupHeartbeatResponseData left = heartbeat(same.duplicate().setMemberEpoch(-1), 0);
        assertEquals(Errors.NONE.code(), left.errorCode());
        assertEquals(-1, left.memberEpoch());
    }

    @Test
    void aSecondLiveStaticMemberIsRefusedUntilTheFirstLeavesTemporarily() throws Exception {
        String group = uniqueTopic("static");
        ConsumerGroupHeartbeatResponseData first = heartbeat(join(group, "s1").setInstanceId("i"), 1);
        assertEquals(Errors.NONE.code(), first.errorCode());
        assertEquals(Errors.UNRELEASED_INSTANCE_ID.code(), heartbeat(join(group, "s2").setInstanceId("i"), 1).errorCode());
        ConsumerGroupHeartbeatResponseData away = heartbeat(new ConsumerGroupHeartbeatRequestData().setGroupId(group)
                .setMemberId("s1").setInstanceId("i").setMemberEpoch(-2), 1);
        assertEquals(-2, away.memberEpoch());
        ConsumerGroupHeartbeatResponseData second = heartbeat(join(group, "s2").setInstanceId("i"), 1);
        assertEquals(Errors.NONE.code(), second.errorCode());
        assertEquals(first.memberEpoch(), second.memberEpoch(), "no new epoch");
        assertEquals(first.assignment(), second.assignment(), "the successor gets the same partitions");
    }

    @Test
    void describeAndTheClassicApisAnswerForTheGroupsType() throws Exception {
        String group = uniqueTopic("typed");
        ConsumerGroupHeartbeatResponseData joined = heartbeat(join(group, "m1").setServerAssignor("range")
                .setRackId("rack-a"), 1);
        for (short version = 0; version <= 1; version++) {
            ConsumerGroupDescribeResponseData described = conn.request(new ConsumerGroupDescribeRequestData()
                    .setGroupIds(List.of(group, "absent-" + group)), version, ConsumerGroupDescribeResponse.class).data();
            ConsumerGroupDescribeResponseData.DescribedGroup g = described.groups().get(0);
            assertEquals(Errors.NONE.code(), g.errorCode());
            assertEquals("Stable", g.groupState());
            assertEquals(1, g.groupEpoch());
            assertEquals(1, g.assignmentEpoch());
            assertEquals("range", g.assignorName());
            ConsumerGroupDescribeResponseData.Member m = g.members().getFirst();
            assertEquals("m1", m.memberId());
            assertEquals("rack-a", m.rackId());
            assertEquals(List.of(topic), m.subscribedTopicNames());
            assertEquals(topic, m.assignment().topicPartitions().getFirst().topicName());
            assertEquals(4, m.targetAssignment().topicPartitions().getFirst().partitions().size());
            assertEquals(version >= 1 ? 1 : -1, m.memberType());
            assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), described.groups().get(1).errorCode());
        }

        var classicDescribe = conn.request(new DescribeGroupsRequestData().setGroups(List.of(group)), (short) 6,
                DescribeGroupsResponse.class).data().groups().getFirst();
        assertEquals(Errors.GROUP_ID_NOT_FOUND.code(), classicDescribe.errorCode());
        assertEquals("Group " + group + " is not a classic group.", classicDescribe.errorMessage());
        assertEquals(Errors.NONE.code(), conn.request(new DescribeGroupsRequestData().setGroups(List.of(group)),
                (short) 5, DescribeGroupsResponse.class).data().groups().getFirst().errorCode());

        JoinGroupRequestData classicJoin = new JoinGroupRequestData().setGroupId(group).setMemberId("")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
        classicJoin.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[0]));
        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL.code(), conn.request(classicJoin, (short) 9,
                JoinGroupResponse.class).data().errorCode());

        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group).setMemberId("m1")
                .setGenerationIdOrMemberEpoch(joined.memberEpoch() + 1);
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))));
        assertEquals(Errors.STALE_MEMBER_EPOCH.code(), conn.request(commit, (short) 9, OffsetCommitResponse.class).data()
                .topics().getFirst().partitions().getFirst().errorCode());
        commit.setGenerationIdOrMemberEpoch(joined.memberEpoch());
        assertEquals(Errors.NONE.code(), conn.request(commit, (short) 9, OffsetCommitResponse.class).data()
                .topics().getFirst().partitions().getFirst().errorCode());

        OffsetFetchRequestData fetch = new OffsetFetchRequestData().setGroups(List.of(
                new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group).setMemberId("nobody")
                        .setMemberEpoch(1).setTopics(null)));
        assertEquals(Errors.UNKNOWN_MEMBER_ID.code(), conn.request(fetch, (short) 9, OffsetFetchResponse.class).data()
                .groups().getFirst().errorCode());
        fetch.groups().getFirst().setMemberId("m1").setMemberEpoch(joined.memberEpoch());
        var fetched = conn.request(fetch, (short) 9, OffsetFetchResponse.class).data().groups().getFirst();
        assertEquals(Errors.NONE.code(), fetched.errorCode());
        assertNotNull(fetched.topics().getFirst());
        assertEquals(1, fetched.topics().getFirst().partitions().getFirst().committedOffset());
    }
}
