package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchResponse;
import org.junit.jupiter.api.Test;

/**
 * A fetch waiting for data is held, not answered empty in a loop, and wakes within tens of
 * milliseconds after a produce to its partition commits.
 */
class LongPollTest extends BrokerTestSupport {
    private static final System.Logger LOG = System.getLogger(LongPollTest.class.getName());

    @Test
    void aWaitingFetchWakesSoonAfterAProduce() throws Exception {
        String topic = uniqueTopic("longpoll");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        // max wait far above the latency we expect, so only the wake-up can explain a fast answer
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5_000));
        consumer.assign(List.of(tp));
        consumer.seekToEnd(List.of(tp));
        consumer.position(tp);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of("linger.ms", 0));
        producer.send(new ProducerRecord<>(topic, 0, null, "warm-up".getBytes(StandardCharsets.UTF_8))).get();
        pollUntil(consumer, 1);

        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                pollUntil(consumer, 1);
                return System.nanoTime();
            });
            Thread.sleep(300); // the consumer's fetch is now parked in the broker
            long sent = System.nanoTime();
            producer.send(new ProducerRecord<>(topic, 0, null, ("m" + i).getBytes(StandardCharsets.UTF_8))).get();
            long arrived = received.get(10, TimeUnit.SECONDS);
            latencies.add(TimeUnit.NANOSECONDS.toMillis(arrived - sent));
        }
        Collections.sort(latencies);
        long median = latencies.get(latencies.size() / 2);
        LOG.log(Level.INFO, "long-poll wake-up latency (produce sent -> consumer has it), sorted ms: {0}", latencies);
        assertTrue(median < 200, "median wake-up latency " + median + " ms, all: " + latencies);
    }

    @Test
    void anIdleFetchIsHeldForItsMaxWaitAndAnsweredEmpty() throws Exception {
        String topic = uniqueTopic("idle");
        createTopic(topic, 1);
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            FetchRequestData request = new FetchRequestData().setMaxWaitMs(600).setMinBytes(1).setMaxBytes(1 << 20)
                    .setSessionId(0).setSessionEpoch(-1);
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic(topic);
            t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0)
                    .setPartitionMaxBytes(1 << 20));
            request.topics().add(t);
            long start = System.nanoTime();
            FetchResponse response = conn.request(request, (short) 12, FetchResponse.class);
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            FetchResponseData.PartitionData partition = response.data().responses().get(0).partitions().get(0);
            assertEquals(Errors.NONE.code(), partition.errorCode());
            assertEquals(0, partition.highWatermark());
            assertEquals(0, ((org.apache.kafka.common.record.internal.Records) partition.records()).sizeInBytes());
            assertTrue(elapsed >= 550, "an empty fetch must be held for max_wait_ms; answered after " + elapsed + " ms");
        }
    }

    private static void pollUntil(KafkaConsumer<byte[], byte[]> consumer, int count) {
        int got = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got < count && System.nanoTime() < deadline) {
            got += consumer.poll(Duration.ofMillis(50)).count();
        }
        if (got < count) {
            throw new AssertionError("no record within 10 s");
        }
    }
}
