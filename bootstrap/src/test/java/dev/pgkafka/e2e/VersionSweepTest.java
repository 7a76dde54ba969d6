package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteAclsResponse;
import org.apache.kafka.common.requests.DescribeAclsResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreatePartitionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.requests.DeleteTopicsResponse;
import org.apache.kafka.common.requests.DescribeClusterResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every advertised version of every API answers a well-formed request on one connection, which stays
 * open throughout: version-specific fields are encoded only where the version has them.
 */
class VersionSweepTest extends BrokerTestSupport {
    private String topic;
    private Uuid topicId;
    private RawKafkaConnection conn;

    @BeforeAll
    void setUp() throws Exception {
        topic = uniqueTopic("sweep");
        createTopic(topic, 1);
        conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
        MetadataRequestData request = new MetadataRequestData();
        request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        topicId = conn.request(request, (short) 12, MetadataResponse.class).data().topics().find(topic).topicId();
    }

    @Test
    void apiVersions() throws Exception {
        for (short v = 0; v <= 4; v++) {
            ApiVersionsRequestData request = new ApiVersionsRequestData();
            if (v >= 3) {
                request.setClientSoftwareName("sweep").setClientSoftwareVersion("1.0");
            }
            ApiVersionsResponse response = conn.request(request, v, ApiVersionsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertFalse(response.data().apiKeys().isEmpty(), "v" + v);
        }
    }

    @Test
    void metadata() throws Exception {
        for (short v = 0; v <= 13; v++) {
            MetadataRequestData request = new MetadataRequestData();
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
            MetadataResponse response = conn.request(request, v, MetadataResponse.class);
            assertEquals(Errors.NONE.code(), response.data().topics().find(topic).errorCode(), "v" + v);
        }
    }

    @Test
    void createTopics() throws Exception {
        for (short v = 2; v <= 7; v++) {
            String name = uniqueTopic("sweep-create-v" + v);
            CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
            request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(2)
                    .setReplicationFactor((short) 1));
            CreateTopicsResponse response = conn.request(request, v, CreateTopicsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().topics().find(name).errorCode(), "v" + v);
        }
    }

    @Test
    void produce() throws Exception {
        for (short v = 3; v <= 13; v++) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData();
            if (v >= 13) {
                t.setTopicId(topicId);
            } else {
                t.setName(topic);
            }
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(
                    MemoryRecords.withRecords(Compression.NONE,
                            new SimpleRecord(("v" + v).getBytes(StandardCharsets.UTF_8)))));
            request.topicData().add(t);
            ProduceResponse response = conn.request(request, v, ProduceResponse.class);
            assertEquals(Errors.NONE.code(),
                    response.data().responses().iterator().next().partitionResponses().get(0).errorCode(), "v" + v);
        }
    }

    @Test
    void fetch() throws Exception {
        for (short v = 4; v <= 18; v++) {
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                    .setIsolationLevel((byte) 0);
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic();
            if (v >= 13) {
                t.setTopicId(topicId);
            } else {
                t.setTopic(topic);
            }
            t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            request.topics().add(t);
            FetchResponse response = conn.request(request, v, FetchResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertEquals(Errors.NONE.code(), response.data().responses().get(0).partitions().get(0).errorCode(), "v" + v);
        }
    }

    @Test
    void listOffsets() throws Exception {
        for (short v = 1; v <= 11; v++) {
            for (long spec : v >= 7 ? List.of(-1L, -2L, -3L, 0L) : List.of(-1L, -2L, 0L)) {
                ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
                ListOffsetsRequestData.ListOffsetsTopic t = new ListOffsetsRequestData.ListOffsetsTopic().setName(topic);
                t.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(spec));
                request.topics().add(t);
                ListOffsetsResponse response = conn.request(request, v, ListOffsetsResponse.class);
                assertEquals(Errors.NONE.code(), response.data().topics().get(0).partitions().get(0).errorCode(),
                        "v" + v + " spec " + spec);
            }
        }
    }

    @Test
    void initProducerId() throws Exception {
        for (short v = 0; v <= 5; v++) {
            InitProducerIdResponse response = conn.request(new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000), v, InitProducerIdResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
        }
    }

    // ---------------------------------------------------------------- consumer groups

    @Test
    void findCoordinator() throws Exception {
        for (short v = 0; v <= 6; v++) {
            for (byte keyType : v >= 1 ? new byte[] {0, 1} : new byte[] {0}) {
                FindCoordinatorRequestData request = new FindCoordinatorRequestData();
                if (v >= 1) {
                    request.setKeyType(keyType);
                }
                if (v <= 3) {
                    request.setKey("sweep-group");
                } else {
                    request.coordinatorKeys().addAll(List.of("sweep-group", "another"));
                }
                FindCoordinatorResponse response = conn.request(request, v, FindCoordinatorResponse.class);
                if (v <= 3) {
                    assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
                    assertEquals(broker.kafkaPort(), response.data().port(), "v" + v);
                } else {
                    assertEquals(2, response.data().coordinators().size(), "v" + v);
                    response.data().coordinators().forEach(c -> {
                        assertEquals(Errors.NONE.code(), c.errorCode());
                        assertEquals(broker.kafkaPort(), c.port());
                    });
                }
            }
        }
    }

    @Test
    void joinGroup() throws Exception {
        for (short v = 0; v <= 9; v++) {
            String group = "sweep-join-v" + v;
            JoinGroupResponseData first = conn.request(join(group, "", v), v, JoinGroupResponse.class).data();
            JoinGroupResponseData joined = first;
            if (v >= 4) {
                assertEquals(Errors.MEMBER_ID_REQUIRED.code(), first.errorCode(), "v" + v);
                joined = conn.request(join(group, first.memberId(), v), v, JoinGroupResponse.class).data();
            }
            assertEquals(Errors.NONE.code(), joined.errorCode(), "v" + v);
            assertEquals(1, joined.generationId(), "v" + v);
            assertEquals("range", joined.protocolName(), "v" + v);
            assertEquals(joined.memberId(), joined.leader(), "v" + v);
            assertEquals(1, joined.members().size(), "v" + v);
        }
    }

    @Test
    void syncGroup() throws Exception {
        for (short v = 0; v <= 5; v++) {
            JoinGroupResponseData joined = joinedGroup("sweep-sync-v" + v);
            SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("sweep-sync-v" + v)
                    .setGenerationId(joined.generationId()).setMemberId(joined.memberId());
            if (v >= 5) {
                request.setProtocolType("consumer").setProtocolName("range");
            }
            request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment()
                    .setMemberId(joined.memberId()).setAssignment(new byte[] {1, 2, 3}));
            SyncGroupResponse response = conn.request(request, v, SyncGroupResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(response.data().assignment()[0],
                    response.data().assignment()[1], response.data().assignment()[2]), "v" + v);
        }
    }

    @Test
    void heartbeat() throws Exception {
        JoinGroupResponseData joined = stableGroup("sweep-heartbeat");
        for (short v = 0; v <= 4; v++) {
            HeartbeatResponse response = conn.request(new HeartbeatRequestData().setGroupId("sweep-heartbeat")
                    .setGenerationId(joined.generationId()).setMemberId(joined.memberId()), v, HeartbeatResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
        }
    }

    @Test
    void leaveGroup() throws Exception {
        for (short v = 0; v <= 5; v++) {
            String group = "sweep-leave-v" + v;
            JoinGroupResponseData joined = stableGroup(group);
            LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId(group);
            if (v <= 2) {
                request.setMemberId(joined.memberId());
            } else {
                LeaveGroupRequestData.MemberIdentity member = new LeaveGroupRequestData.MemberIdentity()
                        .setMemberId(joined.memberId());
                if (v >= 5) {
                    member.setReason("sweep");
                }
                request.members().add(member);
            }
            LeaveGroupResponse response = conn.request(request, v, LeaveGroupResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            if (v >= 3) {
                assertEquals(Errors.NONE.code(), response.data().members().get(0).errorCode(), "v" + v);
            }
        }
    }

    @Test
    void describeGroups() throws Exception {
        stableGroup("sweep-describe");
        for (short v = 0; v <= 6; v++) {
            DescribeGroupsRequestData request = new DescribeGroupsRequestData().setGroups(List.of("sweep-describe"));
            if (v >= 3) {
                request.setIncludeAuthorizedOperations(true);
            }
            DescribeGroupsResponse response = conn.request(request, v, DescribeGroupsResponse.class);
            DescribeGroupsResponseData.DescribedGroup group = response.data().groups().get(0);
            assertEquals(Errors.NONE.code(), group.errorCode(), "v" + v);
            assertEquals("Stable", group.groupState(), "v" + v);
            assertEquals("range", group.protocolData(), "v" + v);
            assertEquals(1, group.members().size(), "v" + v);
        }
    }

    @Test
    void listGroups() throws Exception {
        stableGroup("sweep-list");
        for (short v = 0; v <= 5; v++) {
            ListGroupsRequestData request = new ListGroupsRequestData();
            if (v >= 4) {
                request.setStatesFilter(List.of("Stable"));
            }
            if (v >= 5) {
                request.setTypesFilter(List.of("classic"));
            }
            ListGroupsResponse response = conn.request(request, v, ListGroupsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertTrue(response.data().groups().stream().anyMatch(g -> g.groupId().equals("sweep-list")
                    && g.protocolType().equals("consumer")), "v" + v);
        }
    }

    @Test
    void offsetCommitFetchAndDeleteAndDeleteGroups() throws Exception {
        for (short v = 2; v <= 10; v++) {
            String group = "sweep-offsets-v" + v;
            OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId(group)
                    .setGenerationIdOrMemberEpoch(-1).setMemberId("");
            OffsetCommitRequestData.OffsetCommitRequestTopic t = new OffsetCommitRequestData.OffsetCommitRequestTopic();
            if (v >= 10) {
                t.setTopicId(topicId);
            } else {
                t.setName(topic);
            }
            OffsetCommitRequestData.OffsetCommitRequestPartition p = new OffsetCommitRequestData.OffsetCommitRequestPartition()
                    .setPartitionIndex(0).setCommittedOffset(10 + v).setCommittedMetadata("m" + v);
            if (v >= 6) {
                p.setCommittedLeaderEpoch(0);
            }
            t.partitions().add(p);
            commit.topics().add(t);
            OffsetCommitResponse committed = conn.request(commit, v, OffsetCommitResponse.class);
            assertEquals(Errors.NONE.code(), committed.data().topics().get(0).partitions().get(0).errorCode(), "v" + v);
        }
        for (short v = 1; v <= 10; v++) {
            String group = "sweep-offsets-v" + Math.max(2, v);
            OffsetFetchRequestData fetch = new OffsetFetchRequestData();
            if (v >= 7) {
                fetch.setRequireStable(true);
            }
            long offset;
            String metadata;
            if (v < 8) {
                fetch.setGroupId(group);
                fetch.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic)
                        .setPartitionIndexes(List.of(0)));
                OffsetFetchResponseData.OffsetFetchResponsePartition partition = conn.request(fetch, v,
                        OffsetFetchResponse.class).data().topics().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "v" + v);
                offset = partition.committedOffset();
                metadata = partition.metadata();
            } else {
                OffsetFetchRequestData.OffsetFetchRequestTopics t = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                        .setPartitionIndexes(List.of(0));
                if (v >= 10) {
                    t.setTopicId(topicId);
                } else {
                    t.setName(topic);
                }
                fetch.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId(group)
                        .setTopics(List.of(t)));
                OffsetFetchResponseData.OffsetFetchResponsePartitions partition = conn.request(fetch, v,
                        OffsetFetchResponse.class).data().groups().get(0).topics().get(0).partitions().get(0);
                assertEquals(Errors.NONE.code(), partition.errorCode(), "v" + v);
                offset = partition.committedOffset();
                metadata = partition.metadata();
            }
            int committedAt = Math.max(2, v);
            assertEquals(10 + committedAt, offset, "v" + v);
            assertEquals("m" + committedAt, metadata, "v" + v);
        }
        OffsetDeleteRequestData delete = new OffsetDeleteRequestData().setGroupId("sweep-offsets-v2");
        OffsetDeleteRequestData.OffsetDeleteRequestTopic dt = new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                .setName(topic);
        dt.partitions().add(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0));
        delete.topics().add(dt);
        OffsetDeleteResponse deleted = conn.request(delete, (short) 0, OffsetDeleteResponse.class);
        assertEquals(Errors.NONE.code(), deleted.data().errorCode());
        assertEquals(Errors.NONE.code(), deleted.data().topics().find(topic).partitions().find(0).errorCode());
        for (short v = 0; v <= 2; v++) {
            String group = "sweep-offsets-v" + (3 + v);
            DeleteGroupsResponse response = conn.request(new DeleteGroupsRequestData().setGroupsNames(List.of(group)), v,
                    DeleteGroupsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().results().find(group).errorCode(), "v" + v);
        }
    }

    private static JoinGroupRequestData join(String group, String memberId, short version) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId)
                .setSessionTimeoutMs(30_000).setProtocolType("consumer");
        if (version >= 1) {
            request.setRebalanceTimeoutMs(30_000);
        }
        if (version >= 8) {
            request.setReason("version sweep");
        }
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range")
                .setMetadata(new byte[] {0, 0, 0, 0, 0, 0, -1, -1, -1, -1}));
        return request;
    }

    /** A group of one member that has its JoinGroup answer (CompletingRebalance), joined with v9. */
    private JoinGroupResponseData joinedGroup(String group) throws Exception {
        short v = 9;
        JoinGroupResponseData first = conn.request(join(group, "", v), v, JoinGroupResponse.class).data();
        JoinGroupResponseData joined = conn.request(join(group, first.memberId(), v), v, JoinGroupResponse.class).data();
        assertEquals(Errors.NONE.code(), joined.errorCode());
        return joined;
    }

    /** A stable group of one member. */
    private JoinGroupResponseData stableGroup(String group) throws Exception {
        JoinGroupResponseData joined = joinedGroup(group);
        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId(group).setGenerationId(joined.generationId())
                .setMemberId(joined.memberId()).setProtocolType("consumer").setProtocolName("range");
        assertEquals(Errors.NONE.code(), conn.request(sync, (short) 5, SyncGroupResponse.class).data().errorCode());
        return joined;
    }

    // ---- topic administration and configs ----

    /** A new topic, created over the sweep's own connection (an Admin client per topic costs a second). */
    private String freshTopic(String prefix, int partitions) throws Exception {
        String name = uniqueTopic(prefix);
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(10_000);
        request.topics().add(new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) 1));
        assertEquals(Errors.NONE.code(), conn.request(request, (short) 7, CreateTopicsResponse.class).data().topics()
                .find(name).errorCode());
        return name;
    }

    @Test
    void deleteTopics() throws Exception {
        for (short v = 1; v <= 6; v++) {
            String name = freshTopic("sweep-delete-v" + v, 1);
            DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(10_000);
            if (v >= 6) {
                request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
            } else {
                request.topicNames().add(name);
            }
            DeleteTopicsResponse response = conn.request(request, v, DeleteTopicsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().responses().iterator().next().errorCode(), "v" + v);
        }
    }

    @Test
    void createPartitions() throws Exception {
        String name = freshTopic("sweep-partitions", 1);
        for (short v = 0; v <= 3; v++) {
            CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(10_000);
            request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName(name).setCount(v + 2)
                    .setAssignments(null));
            CreatePartitionsResponse response = conn.request(request, v, CreatePartitionsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().results().getFirst().errorCode(), "v" + v);
        }
    }

    @Test
    void describeConfigs() throws Exception {
        for (short v = 1; v <= 4; v++) {
            DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(true);
            if (v >= 3) {
                request.setIncludeDocumentation(true);
            }
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(topic).setConfigurationKeys(null));
            request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType(ConfigResource.Type.BROKER.id()).setResourceName("1")
                    .setConfigurationKeys(List.of("num.partitions")));
            DescribeConfigsResponse response = conn.request(request, v, DescribeConfigsResponse.class);
            assertEquals(2, response.data().results().size(), "v" + v);
            for (var result : response.data().results()) {
                assertEquals(Errors.NONE.code(), result.errorCode(), "v" + v + " " + result.resourceName());
                assertFalse(result.configs().isEmpty(), "v" + v);
            }
        }
    }

    @Test
    void alterConfigs() throws Exception {
        String name = freshTopic("sweep-alter", 1);
        for (short v = 0; v <= 2; v++) {
            AlterConfigsRequestData request = new AlterConfigsRequestData();
            AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
                    .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(name);
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName("retention.ms")
                    .setValue(Integer.toString(60_000 + v)));
            request.resources().add(resource);
            AlterConfigsResponse response = conn.request(request, v, AlterConfigsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().responses().getFirst().errorCode(), "v" + v);
        }
    }

    @Test
    void incrementalAlterConfigs() throws Exception {
        String name = freshTopic("sweep-incremental", 1);
        for (short v = 0; v <= 1; v++) {
            IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData();
            IncrementalAlterConfigsRequestData.AlterConfigsResource resource =
                    new IncrementalAlterConfigsRequestData.AlterConfigsResource()
                            .setResourceType(ConfigResource.Type.TOPIC.id()).setResourceName(name);
            resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setName("cleanup.policy")
                    .setConfigOperation((byte) 2).setValue("compact"));
            request.resources().add(resource);
            IncrementalAlterConfigsResponse response = conn.request(request, v, IncrementalAlterConfigsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().responses().getFirst().errorCode(), "v" + v);
        }
    }

    @Test
    void deleteRecords() throws Exception {
        for (short v = 0; v <= 2; v++) {
            DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(10_000);
            request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(topic).setPartitions(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0))));
            DeleteRecordsResponse response = conn.request(request, v, DeleteRecordsResponse.class);
            var partition = response.data().topics().iterator().next().partitions().iterator().next();
            assertEquals(Errors.NONE.code(), partition.errorCode(), "v" + v);
            assertEquals(0, partition.lowWatermark(), "v" + v);
        }
    }

    @Test
    void describeCluster() throws Exception {
        for (short v = 0; v <= 2; v++) {
            DescribeClusterRequestData request = new DescribeClusterRequestData().setIncludeClusterAuthorizedOperations(true);
            if (v >= 2) {
                request.setIncludeFencedBrokers(true);
            }
            DescribeClusterResponse response = conn.request(request, v, DescribeClusterResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode(), "v" + v);
            assertEquals(1, response.data().brokers().size(), "v" + v);
        }
    }

    @Test
    void describeTopicPartitions() throws Exception {
        DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData();
        request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(topic));
        DescribeTopicPartitionsResponse response = conn.request(request, (short) 0, DescribeTopicPartitionsResponse.class);
        assertEquals(Errors.NONE.code(), response.data().topics().find(topic).errorCode());
        assertEquals(topicId, response.data().topics().find(topic).topicId());
    }

    // ---------------------------------------------------------------- SCRAM users

    @Test
    void alterAndDescribeUserScramCredentials() throws Exception {
        AlterUserScramCredentialsRequestData alter = new AlterUserScramCredentialsRequestData();
        alter.upsertions().add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName("sweep-user")
                .setMechanism((byte) 2).setIterations(4096).setSalt(new byte[] {1, 2, 3}).setSaltedPassword(new byte[64]));
        AlterUserScramCredentialsResponse altered = conn.request(alter, (short) 0, AlterUserScramCredentialsResponse.class);
        assertEquals(Errors.NONE.code(), altered.data().results().get(0).errorCode());

        DescribeUserScramCredentialsRequestData describe = new DescribeUserScramCredentialsRequestData().setUsers(List.of(
                new DescribeUserScramCredentialsRequestData.UserName().setName("sweep-user")));
        DescribeUserScramCredentialsResponse described = conn.request(describe, (short) 0,
                DescribeUserScramCredentialsResponse.class);
        assertEquals(Errors.NONE.code(), described.data().errorCode());
        assertEquals(4096, described.data().results().get(0).credentialInfos().get(0).iterations());
    }

    /** Without an authorizer the ACL APIs answer SECURITY_DISABLED at every version, as Kafka does. */
    @Test
    void aclApis() throws Exception {
        for (short v = 1; v <= 3; v++) {
            DescribeAclsResponse described = conn.request(new DescribeAclsRequestData().setResourceTypeFilter((byte) 1)
                    .setPatternTypeFilter((byte) 1).setOperation((byte) 1).setPermissionType((byte) 1)
                    .setResourceNameFilter(null).setPrincipalFilter(null).setHostFilter(null), v, DescribeAclsResponse.class);
            assertEquals(Errors.SECURITY_DISABLED.code(), described.data().errorCode(), "v" + v);

            CreateAclsRequestData create = new CreateAclsRequestData();
            create.creations().add(new CreateAclsRequestData.AclCreation().setResourceType((byte) 2).setResourceName(topic)
                    .setResourcePatternType((byte) 3).setPrincipal("User:alice").setHost("*").setOperation((byte) 3)
                    .setPermissionType((byte) 3));
            CreateAclsResponse created = conn.request(create, v, CreateAclsResponse.class);
            assertEquals(Errors.SECURITY_DISABLED.code(), created.data().results().getFirst().errorCode(), "v" + v);

            DeleteAclsRequestData delete = new DeleteAclsRequestData();
            delete.filters().add(new DeleteAclsRequestData.DeleteAclsFilter().setResourceTypeFilter((byte) 1)
                    .setPatternTypeFilter((byte) 1).setOperation((byte) 1).setPermissionType((byte) 1)
                    .setResourceNameFilter(null).setPrincipalFilter(null).setHostFilter(null));
            DeleteAclsResponse deleted = conn.request(delete, v, DeleteAclsResponse.class);
            assertEquals(Errors.SECURITY_DISABLED.code(), deleted.data().filterResults().getFirst().errorCode(), "v" + v);
        }
    }
}
