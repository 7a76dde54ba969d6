package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;

import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: each gets Kafka's error code or a logged close of that connection only;
 * nothing partial is stored and an unrelated connection keeps working throughout.
 */
class BadInputTest extends BrokerTestSupport {
    private RawKafkaConnection bystander;

    @BeforeEach
    void openBystander() throws Exception {
        if (bystander == null) {
            bystander = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
        }
    }

    private void bystanderStillWorks() throws Exception {
        ApiVersionsResponse response = bystander.request(new ApiVersionsRequestData(), (short) 3, ApiVersionsResponse.class);
        assertEquals(Errors.NONE.code(), response.data().errorCode());
    }

    @Test
    void anAbsurdFrameSizeClosesThatConnectionWithoutAllocating() throws Exception {
        for (int size : new int[] {Integer.MAX_VALUE, 100 * 1024 * 1024 + 1, -1, Integer.MIN_VALUE}) {
            try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
                conn.sendRaw(ByteBuffer.allocate(4).putInt(size).array());
                assertTrue(conn.closedByBroker(), "size " + size);
            }
            bystanderStillWorks();
        }
    }

    @Test
    void aTruncatedBodyClosesTheConnection() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            MetadataRequestData request = new MetadataRequestData();
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("some-topic-name"));
            byte[] frame = RawKafkaConnection.frame(request, (short) 12, 1);
            // keep the size prefix honest about the shortened frame: the body itself is cut short
            int cut = frame.length - 8;
            ByteBuffer shortened = ByteBuffer.allocate(cut);
            shortened.putInt(cut - 4).put(frame, 4, cut - 4);
            conn.sendRaw(shortened.array());
            assertTrue(conn.closedByBroker());
        }
        bystanderStillWorks();
    }

    @Test
    void aConnectionThatEndsInsideAFrameIsClosed() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            conn.sendRaw(ByteBuffer.allocate(14).putInt(1000).putShort((short) 18).putShort((short) 3).putInt(7).array());
        }
        bystanderStillWorks();
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ByteBuffer frame = ByteBuffer.allocate(4 + 10);
            frame.putInt(10).putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1);
            conn.sendRaw(frame.array());
            assertTrue(conn.closedByBroker());
        }
        bystanderStillWorks();
    }

    @Test
    void aTooNewApiVersionsRequestGetsAVersionZeroAnswerNamingOurRange() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            // as a future client would send it: header v2 and a body we cannot know
            ByteBuffer frame = ByteBuffer.allocate(4 + 14);
            frame.putInt(14).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(42).putShort((short) -1)
                    .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
            conn.sendRaw(frame.array());
            ApiVersionsResponse response = (ApiVersionsResponse) conn.receive(ApiKeys.API_VERSIONS, (short) 0, 42);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), response.data().errorCode());
            var range = response.data().apiKeys().find(ApiKeys.API_VERSIONS.id);
            assertEquals(0, range.minVersion());
            assertEquals(4, range.maxVersion());
        }
        bystanderStillWorks();
    }

    @Test
    void anUnsupportedVersionOfAnotherApiClosesTheConnection() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ByteBuffer frame = ByteBuffer.allocate(4 + 12);
            frame.putInt(12).putShort(ApiKeys.METADATA.id).putShort((short) 99).putInt(1).putShort((short) -1)
                    .putShort((short) 0);
            conn.sendRaw(frame.array());
            assertTrue(conn.closedByBroker());
        }
        bystanderStillWorks();
    }

    @Test
    void randomGarbageClosesTheConnection() throws Exception {
        Random random = new Random(1);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[4 + random.nextInt(200)];
            random.nextBytes(garbage);
            ByteBuffer.wrap(garbage).putInt(garbage.length - 4);
            try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
                conn.sendRaw(garbage);
                // either an answer (the bytes happened to parse) or a close; never a hang or a crash
                conn.closedByBroker();
            }
        }
        bystanderStillWorks();
    }

    @Test
    void aBadCrcIsRefusedWithCorruptMessageAndNothingIsStored() throws Exception {
        String topic = uniqueTopic("bad-crc");
        createTopic(topic, 1);
        ByteBuffer batch = batch(Compression.NONE).buffer();
        batch.put(70, (byte) (batch.get(70) ^ 0x5A)); // a byte of record data, which only the CRC covers
        assertProduceError(topic, MemoryRecords.readableRecords(batch), Errors.CORRUPT_MESSAGE);
        assertEquals(0, latest(topic));
        bystanderStillWorks();
    }

    @Test
    void corruptCompressedDataIsRefusedWithCorruptMessageAndNothingIsStored() throws Exception {
        String topic = uniqueTopic("bad-compressed");
        createTopic(topic, 1);
        for (Compression compression : List.of(Compression.gzip().build(), Compression.snappy().build(),
                Compression.lz4().build(), Compression.zstd().build())) {
            ByteBuffer batch = batch(compression).buffer();
            // scramble the compressed payload, then make the CRC right again so the decompressor is what fails
            for (int i = 61 + 4; i < batch.limit(); i += 3) {
                batch.put(i, (byte) (batch.get(i) ^ 0xA5));
            }
            CRC32C crc = new CRC32C();
            crc.update(batch.duplicate().position(21));
            batch.putInt(17, (int) crc.getValue());
            assertProduceError(topic, MemoryRecords.readableRecords(batch), Errors.CORRUPT_MESSAGE);
        }
        assertEquals(0, latest(topic));
        bystanderStillWorks();
    }

    @Test
    void aBadPartitionDoesNotStopTheGoodOneInTheSameRequest() throws Exception {
        String topic = uniqueTopic("mixed");
        createTopic(topic, 2);
        ByteBuffer bad = batch(Compression.NONE).buffer();
        bad.put(70, (byte) (bad.get(70) ^ 1));
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5_000);
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(batch(Compression.NONE)));
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(1)
                    .setRecords(MemoryRecords.readableRecords(bad)));
            request.topicData().add(t);
            ProduceResponse response = conn.request(request, (short) 12, ProduceResponse.class);
            List<ProduceResponseData.PartitionProduceResponse> partitions =
                    response.data().responses().iterator().next().partitionResponses();
            assertEquals(Errors.NONE.code(), partitions.get(0).errorCode());
            assertEquals(Errors.CORRUPT_MESSAGE.code(), partitions.get(1).errorCode());
        }
        var admin = admin();
        assertEquals(3, admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all().get()
                .get(new TopicPartition(topic, 0)).offset());
        assertEquals(0, admin.listOffsets(Map.of(new TopicPartition(topic, 1), OffsetSpec.latest())).all().get()
                .get(new TopicPartition(topic, 1)).offset());
    }

    private static MemoryRecords batch(Compression compression) {
        SimpleRecord[] records = new SimpleRecord[3];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), ("k" + i).getBytes(StandardCharsets.UTF_8),
                    ("a value that compresses a value that compresses " + i).getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withRecords(compression, records);
    }

    private void assertProduceError(String topic, MemoryRecords records, Errors expected) throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
            ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
            request.topicData().add(t);
            ProduceResponse response = conn.request(request, (short) 12, ProduceResponse.class);
            ProduceResponseData.PartitionProduceResponse p = response.data().responses().iterator().next()
                    .partitionResponses().get(0);
            assertEquals(expected, Errors.forCode(p.errorCode()), String.valueOf(p));
            // the connection stays usable after a per-partition error
            assertEquals(Errors.NONE.code(), conn.request(new ApiVersionsRequestData(), (short) 3,
                    ApiVersionsResponse.class).data().errorCode());
        }
    }

    private long latest(String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }
}
