package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * The broker's bounds on what one request asks for (docs/adr/0016-request-limits.md), with real
 * clients and, where no stock client would send the request, raw frames: a fetch for 2 GiB answers at
 * most {@code fetch.max.bytes}, a fetch willing to wait an hour is answered within
 * {@code pgkafka.fetch.max.wait.ms}, and a compressed batch larger than its topic's
 * {@code max.message.bytes} is refused before it is decompressed, storing nothing.
 */
class RequestLimitsTest extends BrokerTestSupport {
    private static final int FETCH_MAX_BYTES = 1024 * 1024;
    private static final long FETCH_MAX_WAIT_MS = 1_500;
    private static final short FETCH_VERSION = 12;
    private static final short PRODUCE_VERSION = 12;
    private static final int RECORD = 10_000;
    /** 3 MiB in the log: three times what one fetch may answer. */
    private static final int RECORDS = 300;
    private String full;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withProperties(Map.of(
                "fetch.max.bytes", String.valueOf(FETCH_MAX_BYTES),
                "pgkafka.fetch.max.wait.ms", String.valueOf(FETCH_MAX_WAIT_MS)));
    }

    @BeforeAll
    void fill() throws Exception {
        full = uniqueTopic("full");
        createTopic(full, 1);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 100_000));
        for (int i = 0; i < RECORDS; i++) {
            producer.send(new ProducerRecord<>(full, new byte[RECORD]));
        }
        producer.flush();
    }

    @Test
    void fetchesAskingForTwoGibibytesGetAtMostFetchMaxBytesAndOthersAreServed() throws Exception {
        List<CompletableFuture<Integer>> greedy = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            greedy.add(CompletableFuture.supplyAsync(() -> {
                try (RawKafkaConnection conn = connection()) {
                    int id = conn.send(fetch(full, 0, Integer.MAX_VALUE, Integer.MAX_VALUE, 0), FETCH_VERSION);
                    ByteBuffer frame = conn.readFrame();
                    int frameSize = frame.remaining();
                    FetchResponse response = (FetchResponse) org.apache.kafka.common.requests.AbstractResponse
                            .parseResponse(ApiKeys.FETCH, skipHeader(frame, id), FETCH_VERSION);
                    FetchResponseData.PartitionData p = response.data().responses().get(0).partitions().get(0);
                    assertEquals(Errors.NONE.code(), p.errorCode());
                    int records = ((MemoryRecords) p.records()).sizeInBytes();
                    assertTrue(records > FETCH_MAX_BYTES / 2, "a full answer, not an empty one: " + records);
                    return frameSize;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        // a stock consumer that asks for 2 GiB too reads the whole log, a fetch.max.bytes at a time
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.MAX_VALUE,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.MAX_VALUE));
        List<ConsumerRecord<byte[], byte[]>> read = readAll(consumer, List.of(new TopicPartition(full, 0)), RECORDS,
                Duration.ofSeconds(30));
        assertEquals(RECORDS, read.size());
        int largest = 0;
        for (CompletableFuture<Integer> f : greedy) {
            largest = Math.max(largest, f.get(30, TimeUnit.SECONDS));
        }
        System.out.printf("RequestLimitsTest: 8 fetches for 2 GiB each got answers of at most %d bytes "
                + "(fetch.max.bytes %d; the log holds %d)%n", largest, FETCH_MAX_BYTES, RECORDS * RECORD);
        // the records' framing adds a little to their bytes (batch headers, a few bytes a record)
        assertTrue(largest <= FETCH_MAX_BYTES + 16 * 1024, "answer of " + largest + " bytes");
    }

    @Test
    void aFetchWillingToWaitAnHourIsAnsweredWithinTheBrokersMaxWait() throws Exception {
        String idle = uniqueTopic("idle");
        createTopic(idle, 1);
        try (RawKafkaConnection conn = connection()) {
            conn.readTimeout(60_000);
            long start = System.nanoTime();
            int id = conn.send(fetch(idle, 0, 1 << 20, 1 << 20, (int) TimeUnit.HOURS.toMillis(1)), FETCH_VERSION);
            // meanwhile another client is served
            KafkaProducer<byte[], byte[]> producer = producer(Map.of());
            producer.send(new ProducerRecord<>(uniqueTopic("other"), new byte[10])).get(10, TimeUnit.SECONDS);
            FetchResponse response = (FetchResponse) conn.receive(ApiKeys.FETCH, FETCH_VERSION, id);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.printf("RequestLimitsTest: a fetch with max_wait_ms of an hour was answered after %d ms "
                    + "(pgkafka.fetch.max.wait.ms %d)%n", ms, FETCH_MAX_WAIT_MS);
            FetchResponseData.PartitionData p = response.data().responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), p.errorCode());
            assertEquals(0, ((MemoryRecords) p.records()).sizeInBytes());
            assertTrue(ms >= FETCH_MAX_WAIT_MS - 100, "held for the broker's max wait: " + ms);
            assertTrue(ms < FETCH_MAX_WAIT_MS + 5_000, "not for an hour: " + ms);
        }
    }

    @Test
    void aCompressedBatchOverMaxMessageBytesIsRefusedBeforeItIsDecompressed() throws Exception {
        String small = uniqueTopic("small");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(small, 1, (short) 1)
                    .configs(Map.of("max.message.bytes", "10000")))).all().get();
        }
        // gzip-flagged garbage: decompressing it could only fail (CORRUPT_MESSAGE)
        byte[] garbage = new byte[20_000];
        new Random(16).nextBytes(garbage);
        try (RawKafkaConnection conn = connection()) {
            ProduceResponseData.PartitionProduceResponse large = produce(conn, small,
                    ProduceBombs.batch((short) 1, garbage, 1));
            assertEquals(Errors.MESSAGE_TOO_LARGE.code(), large.errorCode(), large.errorMessage());
            assertTrue(large.errorMessage().contains("max.message.bytes 10000"), large.errorMessage());
            // the same garbage within the limit is decompressed, and found corrupt
            ProduceResponseData.PartitionProduceResponse within = produce(conn, small,
                    ProduceBombs.batch((short) 1, java.util.Arrays.copyOf(garbage, 5_000), 1));
            assertEquals(Errors.CORRUPT_MESSAGE.code(), within.errorCode(), within.errorMessage());
        }

        // a stock producer's gzip batch of incompressible bytes: RecordTooLargeException, as from Kafka
        byte[] random = new byte[50_000];
        new Random(17).nextBytes(random);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip"));
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(small, random)).get(30, TimeUnit.SECONDS));
        assertInstanceOf(RecordTooLargeException.class, refused.getCause());

        try (Admin admin = admin()) {
            TopicPartition tp = new TopicPartition(small, 0);
            assertEquals(0L, admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset(),
                    "nothing stored");
        }
    }

    private RawKafkaConnection connection() throws Exception {
        return new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
    }

    private static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection conn, String topic,
                                                                        ByteBuffer batch) throws Exception {
        return conn.request(ProduceBombs.request(topic, 1, batch), PRODUCE_VERSION, ProduceResponse.class).data()
                .responses().iterator().next().partitionResponses().getFirst();
    }

    private static FetchRequestData fetch(String topic, long offset, int maxBytes, int partitionMaxBytes, int maxWaitMs) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(maxWaitMs).setMinBytes(1)
                .setMaxBytes(maxBytes).setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(topic);
        t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(offset)
                .setPartitionMaxBytes(partitionMaxBytes));
        request.topics().add(t);
        return request;
    }

    /** The frame after its response header (Fetch v12 has the flexible header: correlation id and tags). */
    private static org.apache.kafka.common.protocol.ByteBufferAccessor skipHeader(ByteBuffer frame, int id) {
        org.apache.kafka.common.requests.ResponseHeader header = org.apache.kafka.common.requests.ResponseHeader
                .parse(frame, ApiKeys.FETCH.responseHeaderVersion(FETCH_VERSION));
        assertEquals(id, header.correlationId());
        return new org.apache.kafka.common.protocol.ByteBufferAccessor(frame);
    }
}
