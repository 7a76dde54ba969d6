package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Several producers on their own connections writing one partition: contiguous offsets, nothing lost or doubled. */
class ConcurrentProducersTest extends BrokerTestSupport {

    @Test
    void concurrentProducersOnOnePartitionGetContiguousOffsets() throws Exception {
        String topic = uniqueTopic("concurrent");
        createTopic(topic, 1);
        int producers = 6;
        int perProducer = 1_500;
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int id = p;
            KafkaProducer<byte[], byte[]> producer = producer(Map.of("linger.ms", 1));
            done.add(pool.submit(() -> {
                for (int i = 0; i < perProducer; i++) {
                    producer.send(new ProducerRecord<>(topic, 0, null, (id + ":" + i).getBytes(StandardCharsets.UTF_8)));
                }
                producer.flush();
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        int total = producers * perProducer;
        List<ConsumerRecord<byte[], byte[]>> received = readAll(consumer(Map.of()), List.of(new TopicPartition(topic, 0)),
                total, Duration.ofSeconds(60));
        assertEquals(total, received.size());
        Set<String> seen = new HashSet<>();
        int[] lastPerProducer = new int[producers];
        java.util.Arrays.fill(lastPerProducer, -1);
        for (int i = 0; i < received.size(); i++) {
            ConsumerRecord<byte[], byte[]> r = received.get(i);
            assertEquals(i, r.offset(), "offsets are contiguous");
            String value = new String(r.value(), StandardCharsets.UTF_8);
            assertTrue(seen.add(value), "no duplicates: " + value);
            String[] parts = value.split(":");
            int producer = Integer.parseInt(parts[0]);
            int seq = Integer.parseInt(parts[1]);
            assertTrue(seq > lastPerProducer[producer], "each producer's records keep their order");
            lastPerProducer[producer] = seq;
        }
    }
}
