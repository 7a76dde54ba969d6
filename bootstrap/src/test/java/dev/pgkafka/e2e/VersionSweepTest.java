package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.CreateTopicsResponse;
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

}
