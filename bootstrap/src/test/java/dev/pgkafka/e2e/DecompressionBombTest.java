package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/**
 * Decompression bombs against a broker in its own JVM ({@code -Xmx512m}), so its memory is its own to
 * measure: the peak of its resident set ({@code VmHWM}) over the whole attack. Produce requests whose
 * batches each inflate within the per-batch bound but claim twelve times the broker's heap together,
 * sent from two connections at once, and a single batch of a gibibyte of zeros: each answers
 * MESSAGE_TOO_LARGE for the partitions concerned, stores nothing of them, and a stock producer and
 * consumer are served meanwhile. (Without the request bound the first attack takes 3 GiB per request.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DecompressionBombTest {
    private static final long MIB = 1024 * 1024;
    /** pgkafka.produce.max.uncompressed.request.bytes of the broker under attack. */
    private static final long REQUEST_BOUND = 32 * MIB;
    /** The broker's -Xmx (BrokerProcess). */
    private static final long HEAP = 512 * MIB;
    /**
     * The most the broker process may hold at any moment: its heap and what the JVM needs besides (about
     * 180 MiB at start, 355 MiB after both attacks when measured).
     */
    private static final long RSS_BOUND = 768 * MIB;
    private static final short PRODUCE_VERSION = 12;
    private static final Duration BOUND = Duration.ofSeconds(60);

    private String databaseName;
    private BrokerProcess broker;
    private Admin admin;

    @BeforeAll
    void start() throws Exception {
        databaseName = PostgresTestDatabase.server().createDatabase();
        broker = BrokerProcess.start(PostgresTestDatabase.server().urlOf(databaseName),
                "--override", "pgkafka.produce.max.uncompressed.request.bytes=" + REQUEST_BOUND);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    @AfterAll
    void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
        PostgresTestDatabase.server().dropDatabase(databaseName);
    }

    @Test
    void batchesThatEachInflateWithinTheBatchBoundAreStoppedByTheRequestBound() throws Exception {
        String topic = "bombs-" + System.nanoTime();
        int partitions = 128;
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        ByteBuffer batch = ProduceBombs.gzipZeros(24 * MIB); // 24 MiB of zeros each: within the 64 MiB batch bound
        int attackers = 2;
        long claimed = attackers * partitions * 24 * MIB;
        System.out.printf("DecompressionBombTest: %d requests of %d batches of %d bytes claim %d MiB inflated "
                + "(broker heap %d MiB, request bound %d MiB)%n", attackers, partitions, batch.remaining(), claimed / MIB,
                HEAP / MIB, REQUEST_BOUND / MIB);
        assertTrue(claimed > 10 * HEAP);
        long rssBefore = broker.memoryKib("VmHWM");

        List<CompletableFuture<ProduceResponse>> attack = new ArrayList<>();
        for (int i = 0; i < attackers; i++) {
            attack.add(CompletableFuture.supplyAsync(() -> {
                try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort)) {
                    conn.readTimeout((int) BOUND.toMillis());
                    return conn.request(ProduceBombs.request(topic, partitions, batch), PRODUCE_VERSION,
                            ProduceResponse.class);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        clientsAreServed("during the attack");

        for (CompletableFuture<ProduceResponse> f : attack) {
            List<ProduceResponseData.PartitionProduceResponse> answers = f.get(BOUND.toSeconds(), TimeUnit.SECONDS)
                    .data().responses().iterator().next().partitionResponses();
            assertEquals(partitions, answers.size());
            // in request order: the first batch fits the request's 32 MiB, no other does
            assertEquals(Errors.NONE.code(), answers.get(0).errorCode(), "partition 0");
            for (int p = 1; p < partitions; p++) {
                assertEquals(Errors.MESSAGE_TOO_LARGE.code(), answers.get(p).errorCode(), "partition " + p);
            }
        }
        Map<TopicPartition, Long> ends = endOffsets(topic, partitions);
        assertEquals(attackers, ends.get(new TopicPartition(topic, 0)), "one record per request stored");
        for (int p = 1; p < partitions; p++) {
            assertEquals(0L, ends.get(new TopicPartition(topic, p)), "nothing stored of a refused batch");
        }
        assertBrokerHeldUp(rssBefore, "the request-bound attack");
    }

    @Test
    void requestsEachWithinTheirBoundShareTheBrokersBudget() throws Exception {
        String topic = "shared-bombs-" + System.nanoTime();
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        ByteBuffer batch = ProduceBombs.gzipZeros(24 * MIB); // within the request bound of 32 MiB
        int attackers = 12; // 288 MiB held at once if all were decoded together; the broker's budget is 128 MiB
        long rssBefore = broker.memoryKib("VmHWM");
        List<CompletableFuture<ProduceResponse>> attack = new ArrayList<>();
        // a thread each, so that the requests are decoded at the same time (the common pool has one thread here)
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        for (int i = 0; i < attackers; i++) {
            attack.add(CompletableFuture.supplyAsync(() -> {
                try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort)) {
                    conn.readTimeout((int) BOUND.toMillis());
                    return conn.request(ProduceBombs.request(topic, 1, batch.duplicate()), PRODUCE_VERSION,
                            ProduceResponse.class);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads));
        }
        threads.shutdown();
        clientsAreServed("during the shared attack");
        int stored = 0;
        int retriable = 0;
        for (CompletableFuture<ProduceResponse> f : attack) {
            ProduceResponseData.PartitionProduceResponse answer = f.get(BOUND.toSeconds(), TimeUnit.SECONDS)
                    .data().responses().iterator().next().partitionResponses().getFirst();
            if (answer.errorCode() == Errors.NONE.code()) {
                stored++;
            } else {
                // the broker's budget was held by the others: retriable, so a producer would try again
                assertEquals(Errors.REQUEST_TIMED_OUT.code(), answer.errorCode(), answer.errorMessage());
                retriable++;
            }
        }
        System.out.printf("DecompressionBombTest: %d requests of 24 MiB decoded each: %d stored, %d told to retry%n",
                attackers, stored, retriable);
        assertEquals((long) stored, endOffsets(topic, 1).get(new TopicPartition(topic, 0)),
                "what was acknowledged is stored, nothing else");
        assertBrokerHeldUp(rssBefore, "the shared attack");
    }

    @Test
    void aGibibyteOfZerosInOneBatchIsRefusedWithoutInflatingIt() throws Exception {
        String topic = "gigabomb-" + System.nanoTime();
        // a max.message.bytes the compressed bomb fits in: the decompression bound is what must stop it
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes",
                String.valueOf(4 * MIB))))).all().get();
        ByteBuffer bomb = ProduceBombs.gzipZeros(1024 * MIB);
        System.out.printf("DecompressionBombTest: 1 GiB of zeros compress to %d bytes%n", bomb.remaining());
        assertTrue(bomb.remaining() < 4 * MIB);
        long rssBefore = broker.memoryKib("VmHWM");
        long start = System.nanoTime();
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort)) {
            conn.readTimeout((int) BOUND.toMillis());
            ProduceResponse response = conn.request(ProduceBombs.request(topic, 1, bomb), PRODUCE_VERSION,
                    ProduceResponse.class);
            ProduceResponseData.PartitionProduceResponse answer =
                    response.data().responses().iterator().next().partitionResponses().getFirst();
            assertEquals(Errors.MESSAGE_TOO_LARGE.code(), answer.errorCode(), answer.errorMessage());
        }
        System.out.printf("DecompressionBombTest: the 1 GiB bomb was refused in %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertEquals(0L, endOffsets(topic, 1).get(new TopicPartition(topic, 0)), "nothing stored");
        clientsAreServed("after the gibibyte bomb");
        assertBrokerHeldUp(rssBefore, "the gibibyte bomb");
    }

    private void assertBrokerHeldUp(long rssBeforeKib, String what) {
        long peak = -1;
        try {
            peak = broker.memoryKib("VmHWM");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(broker.isAlive(), "the broker survived " + what);
        assertFalse(broker.output().contains("OutOfMemoryError"), broker.output());
        if (peak < 0) {
            System.out.println("DecompressionBombTest: no /proc here, peak RSS not measured");
            return;
        }
        System.out.printf("DecompressionBombTest: broker peak RSS %d MiB before %s, %d MiB after (bound %d MiB)%n",
                rssBeforeKib / 1024, what, peak / 1024, RSS_BOUND / MIB);
        assertTrue(peak * 1024 < RSS_BOUND, "peak RSS " + peak / 1024 + " MiB");
    }

    private Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResultInfo> e : admin.listOffsets(latest).all().get().entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    /** A new stock producer's 20 records are acknowledged and a new consumer reads them, each within the bound. */
    private void clientsAreServed(String when) throws Exception {
        String topic = "served-" + System.nanoTime();
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                     ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                     ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), new byte[100]))
                        .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (read.size() < 20 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            assertEquals(20, read.size(), when);
        }
        System.out.printf("DecompressionBombTest: a new producer and consumer were served %s in %d ms%n", when,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }
}
