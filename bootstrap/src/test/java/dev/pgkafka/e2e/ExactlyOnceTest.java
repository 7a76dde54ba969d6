package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Consume-transform-produce with sendOffsetsToTransaction, as Kafka Streams does it: a transforming
 * process crashes in the middle of a transaction (its producer and consumer vanish without
 * committing), a new instance with the same transactional.id fences it and carries on, and the
 * output read with read_committed holds every input record exactly once.
 */
class ExactlyOnceTest extends BrokerTestSupport {
    private static final int RECORDS = 1_000;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withTransactions(60_000, 604_800_000L, 200);
    }

    /** One instance of the transforming application. */
    private final class Transformer {
        final KafkaConsumer<byte[], byte[]> consumer;
        final KafkaProducer<byte[], byte[]> producer;
        final String output;

        Transformer(String input, String output, String group, String transactionalId) {
            this.output = output;
            consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50));
            producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId));
            producer.initTransactions();
            consumer.subscribe(List.of(input));
        }

        /**
         * Processes polled batches, one transaction each, until {@code transactions} committed or the
         * input is exhausted; with {@code crash}, the last transaction is left open after sending its
         * output and offsets.
         */
        int run(int transactions, boolean crash) {
            int committed = 0;
            int idle = 0;
            while (committed < transactions && idle < 25) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    idle++;
                    continue;
                }
                idle = 0;
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    String upper = new String(r.value(), StandardCharsets.UTF_8).toUpperCase();
                    producer.send(new ProducerRecord<>(output, r.key(), upper.getBytes(StandardCharsets.UTF_8)));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                if (crash && committed == transactions - 1) {
                    producer.flush();
                    return committed; // the crash: nothing is committed or aborted
                }
                producer.commitTransaction();
                committed++;
            }
            return committed;
        }

        /** What a killed process leaves: no commit, no abort, no goodbye from the producer. */
        void vanish() {
            producer.close(Duration.ZERO);
            consumer.close(CloseOptions.timeout(Duration.ZERO));
        }
    }

    @Test
    void aCrashedTransformerIsFencedAndTheOutputHasEveryRecordOnce() throws Exception {
        String input = uniqueTopic("eos-in");
        String output = uniqueTopic("eos-out");
        createTopic(input, 2);
        createTopic(output, 2);
        KafkaProducer<byte[], byte[]> source = producer(Map.of());
        for (int i = 0; i < RECORDS; i++) {
            source.send(new ProducerRecord<>(input, Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                    ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        source.flush();
        String group = "eos-" + input;
        String transactionalId = "eos-app-" + input;

        Transformer first = new Transformer(input, output, group, transactionalId);
        assertEquals(3, first.run(4, true), "three transactions committed, the fourth left open");
        first.vanish();

        Transformer second = new Transformer(input, output, group, transactionalId);
        int committed = second.run(Integer.MAX_VALUE, false);
        assertTrue(committed > 0);
        second.producer.close();
        second.consumer.close();

        KafkaConsumer<byte[], byte[]> reader = consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> outputs = List.of(new TopicPartition(output, 0), new TopicPartition(output, 1));
        List<ConsumerRecord<byte[], byte[]>> out = readAll(reader, outputs, RECORDS + 1, Duration.ofSeconds(8));
        Map<String, Integer> seen = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        List<String> duplicates = new ArrayList<>();
        seen.forEach((v, n) -> {
            if (n > 1) {
                duplicates.add(v + " x" + n);
            }
        });
        assertEquals(List.of(), duplicates, "duplicates in the output");
        assertEquals(RECORDS, seen.size(), "every input record once in the output");
        for (int i = 0; i < RECORDS; i++) {
            assertTrue(seen.containsKey("V" + i), "missing V" + i);
        }
        // the crashed transaction's records are in the log, aborted: read_uncommitted sees more
        KafkaConsumer<byte[], byte[]> raw = consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"));
        List<ConsumerRecord<byte[], byte[]>> all = readAll(raw, outputs, RECORDS + 1, Duration.ofSeconds(8));
        assertTrue(all.size() > RECORDS, "the aborted output of the crashed transaction is in the log: " + all.size());
    }
}
