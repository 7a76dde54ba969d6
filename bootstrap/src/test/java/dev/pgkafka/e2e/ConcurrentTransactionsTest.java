package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Several transactional producers interleave transactions on the same partitions, each committing
 * or aborting at random (seeded), with a plain producer writing between them. A read_committed
 * consumer must get exactly the committed and plain records, in the log's order, and once every
 * transaction has ended the last stable offset must be the high watermark.
 */
class ConcurrentTransactionsTest extends BrokerTestSupport {
    private static final int PRODUCERS = 4;
    private static final int TRANSACTIONS = 15;

    @Test
    void interleavedCommitsAndAbortsLeaveExactlyTheCommittedRecordsVisible() throws Exception {
        String topic = uniqueTopic("txn-concurrent");
        createTopic(topic, 2);
        Set<String> expected = ConcurrentHashMap.newKeySet();
        Set<String> aborted = ConcurrentHashMap.newKeySet();
        AtomicInteger commits = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + 1);
        List<Future<?>> work = new ArrayList<>();
        for (int p = 0; p < PRODUCERS; p++) {
            int producerIndex = p;
            KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    "concurrent-" + topic + "-" + p));
            work.add(pool.submit(() -> {
                Random random = new Random(producerIndex);
                producer.initTransactions();
                for (int t = 0; t < TRANSACTIONS; t++) {
                    producer.beginTransaction();
                    List<String> values = new ArrayList<>();
                    int n = 1 + random.nextInt(20);
                    for (int i = 0; i < n; i++) {
                        String value = "p" + producerIndex + "-t" + t + "-" + i;
                        values.add(value);
                        producer.send(new ProducerRecord<>(topic, random.nextInt(2), null, value.getBytes(StandardCharsets.UTF_8)));
                    }
                    if (random.nextInt(3) == 0) {
                        producer.abortTransaction();
                        aborted.addAll(values);
                    } else {
                        producer.commitTransaction();
                        expected.addAll(values);
                        commits.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        KafkaProducer<byte[], byte[]> plain = producer(Map.of());
        work.add(pool.submit(() -> {
            for (int i = 0; i < 200; i++) {
                String value = "plain-" + i;
                plain.send(new ProducerRecord<>(topic, i % 2, null, value.getBytes(StandardCharsets.UTF_8))).get();
                expected.add(value);
            }
            return null;
        }));
        for (Future<?> f : work) {
            f.get();
        }
        pool.shutdown();
        assertTrue(!aborted.isEmpty() && expected.size() > 200, "the seeds make both commits and aborts");

        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        long total = 0;
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (TopicPartition tp : partitions) {
            long committedEnd = admin().listOffsets(Map.of(tp, OffsetSpec.latest()),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get().get(tp).offset();
            long end = admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
            assertEquals(end, committedEnd, "no transaction is open on " + tp + ": the LSO is the high watermark");
            total += end;
            ends.put(tp, end);
        }
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)) && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(read::add);
        }
        List<String> values = new ArrayList<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : read) {
            values.add(new String(r.value(), StandardCharsets.UTF_8));
            Long previous = lastOffset.put(r.partition(), r.offset());
            assertTrue(previous == null || previous < r.offset(), "offsets rise within a partition");
        }
        Set<String> seen = new HashSet<>(values);
        assertEquals(values.size(), seen.size(), "no record twice");
        Set<String> leaked = new HashSet<>(seen);
        leaked.retainAll(aborted);
        assertEquals(Set.of(), leaked, "aborted records delivered to read_committed");
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(seen);
        assertEquals(Collections.emptySet(), missing, "committed records missing");
        // each commit left at least one marker (an abort may have sent nothing: the client drops unsent batches)
        assertTrue(total >= expected.size() + commits.get(), "markers occupy offsets too: " + total);
    }
}
