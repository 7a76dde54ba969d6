package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Consume-transform-produce with a consumer of the consumer group protocol (KIP-848): its offsets go
 * into the producer's transactions (TxnOffsetCommit with the member's epoch as the generation) and
 * become the group's committed offsets when the transactions commit.
 */
class ConsumerProtocolExactlyOnceTest extends BrokerTestSupport {
    private static final int RECORDS = 200;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300);
    }

    @Test
    void offsetsSentToTransactionsOfAConsumerGroupMemberAreCommittedWithThem() throws Exception {
        String input = uniqueTopic("eos848-in");
        String output = uniqueTopic("eos848-out");
        createTopic(input, 2);
        createTopic(output, 2);
        KafkaProducer<byte[], byte[]> source = producer(Map.of());
        for (int i = 0; i < RECORDS; i++) {
            source.send(new ProducerRecord<>(input, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        source.flush();
        String group = "eos848-" + input;
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 40));
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "eos848-" + input));
        producer.initTransactions();
        consumer.subscribe(List.of(input));
        int transformed = 0;
        int transactions = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (transformed < RECORDS && System.nanoTime() < deadline) {
            ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(200));
            if (records.isEmpty()) {
                continue;
            }
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records) {
                producer.send(new ProducerRecord<>(output, r.partition(),
                        null, new String(r.value(), StandardCharsets.UTF_8).toUpperCase().getBytes(StandardCharsets.UTF_8)));
                offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                transformed++;
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            transactions++;
        }
        assertEquals(RECORDS, transformed);
        assertTrue(transactions >= 2, "several transactions: " + transactions);
        assertTrue(consumer.groupMetadata().generationId() > 0, "the member epoch went into the commits");

        Map<TopicPartition, OffsetAndMetadata> committed = admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        assertEquals(RECORDS / 2, committed.get(new TopicPartition(input, 0)).offset());
        assertEquals(RECORDS / 2, committed.get(new TopicPartition(input, 1)).offset());

        KafkaConsumer<byte[], byte[]> reader = consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<ConsumerRecord<byte[], byte[]>> out = readAll(reader,
                List.of(new TopicPartition(output, 0), new TopicPartition(output, 1)), RECORDS, Duration.ofSeconds(10));
        Map<String, Integer> seen = new TreeMap<>();
        out.forEach(r -> seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum));
        assertEquals(RECORDS, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), "each output once");
    }
}
