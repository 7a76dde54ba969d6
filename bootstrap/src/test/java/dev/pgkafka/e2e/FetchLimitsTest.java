package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fetch's limits as the protocol states them: byte budgets, min_bytes, the valid offset range; acks=0. */
class FetchLimitsTest extends BrokerTestSupport {
    private static final short FETCH_VERSION = 12;
    private String topic;

    @BeforeAll
    void fill() throws Exception {
        topic = uniqueTopic("limits");
        createTopic(topic, 1);
        try (RawKafkaConnection conn = connection()) {
            for (int batch = 0; batch < 10; batch++) {
                SimpleRecord[] records = new SimpleRecord[10];
                for (int i = 0; i < records.length; i++) {
                    records[i] = new SimpleRecord(new byte[1000]); // 10 batches x 10 records x ~1 kB
                }
                ProduceResponse response = conn.request(produce(topic, (short) -1,
                        MemoryRecords.withRecords(Compression.NONE, records)), (short) 12, ProduceResponse.class);
                assertEquals(Errors.NONE.code(),
                        response.data().responses().iterator().next().partitionResponses().get(0).errorCode());
            }
        }
    }

    @Test
    void partitionMaxBytesLimitsTheAnswerButAlwaysReturnsSomething() throws Exception {
        try (RawKafkaConnection conn = connection()) {
            FetchResponseData.PartitionData small = fetch(conn, 0, 1, Integer.MAX_VALUE, 5_000, 0);
            int count = recordCount(small);
            assertTrue(count >= 1, "at least one record even when the limit is smaller than a record");
            assertTrue(count <= 10, "at most the first batch, not the whole log: " + count);

            FetchResponseData.PartitionData some = fetch(conn, 0, 1, Integer.MAX_VALUE, 30_000, 0);
            int limited = recordCount(some);
            assertTrue(limited >= 20 && limited < 100, "about 30 kB of 1 kB records: " + limited);
            assertTrue(((MemoryRecords) some.records()).sizeInBytes() <= 30_000 + 2_000, "within the budget");

            assertEquals(100, recordCount(fetch(conn, 0, 1, Integer.MAX_VALUE, 1 << 20, 0)));
        }
    }

    @Test
    void maxBytesLimitsTheWholeResponse() throws Exception {
        try (RawKafkaConnection conn = connection()) {
            int count = recordCount(fetch(conn, 0, 1, 20_000, 1 << 20, 0));
            assertTrue(count >= 10 && count < 40, "about 20 kB in total: " + count);
        }
    }

    @Test
    void minBytesHoldsTheFetchUntilEnoughArrivedOrTheWaitEnds() throws Exception {
        try (RawKafkaConnection conn = connection()) {
            long end = 100; // the high watermark after fill()
            long start = System.nanoTime();
            FetchResponseData.PartitionData nothing = fetch(conn, end, 1, Integer.MAX_VALUE, 1 << 20, 400);
            assertEquals(0, recordCount(nothing));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 350, "held for max_wait_ms");

            // min_bytes 5000: one small record is not enough, the fetch waits on for more
            try (RawKafkaConnection producer = connection()) {
                CompletableFuture<FetchResponseData.PartitionData> waiting = CompletableFuture.supplyAsync(() -> {
                    try {
                        return fetch(conn, end, 5_000, Integer.MAX_VALUE, 1 << 20, 5_000);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(200);
                producer.request(produce(topic, (short) -1, MemoryRecords.withRecords(Compression.NONE,
                        new SimpleRecord("tiny".getBytes(StandardCharsets.UTF_8)))), (short) 12, ProduceResponse.class);
                Thread.sleep(300);
                assertTrue(!waiting.isDone(), "4 bytes do not satisfy min_bytes 5000");
                SimpleRecord[] big = new SimpleRecord[6];
                for (int i = 0; i < big.length; i++) {
                    big[i] = new SimpleRecord(new byte[1000]);
                }
                producer.request(produce(topic, (short) -1, MemoryRecords.withRecords(Compression.NONE, big)), (short) 12,
                        ProduceResponse.class);
                FetchResponseData.PartitionData answered = waiting.get(3, TimeUnit.SECONDS);
                assertEquals(7, recordCount(answered));
            }
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRange() throws Exception {
        try (RawKafkaConnection conn = connection()) {
            FetchResponseData.PartitionData beyond = fetch(conn, 10_000, 1, Integer.MAX_VALUE, 1 << 20, 0);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), beyond.errorCode());
            FetchResponseData.PartitionData negative = fetch(conn, -5, 1, Integer.MAX_VALUE, 1 << 20, 0);
            assertEquals(Errors.OFFSET_OUT_OF_RANGE.code(), negative.errorCode());
        }
    }

    @Test
    void acksZeroGetsNoAnswer() throws Exception {
        String quiet = uniqueTopic("acks0");
        createTopic(quiet, 1);
        try (RawKafkaConnection conn = connection()) {
            int produceId = conn.send(produce(quiet, (short) 0, MemoryRecords.withRecords(Compression.NONE,
                    new SimpleRecord("fire-and-forget".getBytes(StandardCharsets.UTF_8)))), (short) 12);
            int versionsId = conn.send(new ApiVersionsRequestData(), (short) 3);
            // the next frame on the wire is the ApiVersions answer: the produce got none
            ApiVersionsResponse response = (ApiVersionsResponse) conn.receive(ApiKeys.API_VERSIONS, (short) 3, versionsId);
            assertEquals(Errors.NONE.code(), response.data().errorCode());
            assertTrue(produceId < versionsId);
            FetchResponseData.PartitionData stored = fetchFrom(conn, quiet, 0);
            assertEquals(1, recordCount(stored), "but the record was stored");
        }
    }

    private RawKafkaConnection connection() throws Exception {
        return new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
    }

    private static ProduceRequestData produce(String topic, short acks, MemoryRecords records) {
        ProduceRequestData request = new ProduceRequestData().setAcks(acks).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        request.topicData().add(t);
        return request;
    }

    private FetchResponseData.PartitionData fetch(RawKafkaConnection conn, long offset, int minBytes, int maxBytes,
                                                  int partitionMaxBytes, int maxWaitMs) throws Exception {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(maxWaitMs).setMinBytes(minBytes)
                .setMaxBytes(maxBytes).setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(topic);
        t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                .setPartitionMaxBytes(partitionMaxBytes));
        request.topics().add(t);
        return conn.request(request, FETCH_VERSION, FetchResponse.class).data().responses().get(0).partitions().get(0);
    }

    private FetchResponseData.PartitionData fetchFrom(RawKafkaConnection conn, String name, long offset) throws Exception {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1 << 20)
                .setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(name);
        t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                .setPartitionMaxBytes(1 << 20));
        request.topics().add(t);
        return conn.request(request, FETCH_VERSION, FetchResponse.class).data().responses().get(0).partitions().get(0);
    }

    private static int recordCount(FetchResponseData.PartitionData partition) {
        int count = 0;
        for (RecordBatch batch : ((MemoryRecords) partition.records()).batches()) {
            for (var r : batch) {
                count++;
            }
        }
        return count;
    }

}
