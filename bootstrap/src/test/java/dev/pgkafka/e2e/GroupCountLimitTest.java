package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * {@code pgkafka.groups.max} = 2 with stock Java clients: with a classic and a consumer protocol (KIP-848)
 * group in place, a third group of either protocol fails with GroupMaxSizeReachedException and an
 * assign() + commitSync of a new group id fails; the two groups keep consuming and committing, and
 * deleting one makes room for a new one; at the limit again, a transactional producer's offsets for a new
 * group are refused too.
 */
class GroupCountLimitTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300)
                .withProperties(Map.of("pgkafka.groups.max", "2"));
    }

    private KafkaConsumer<byte[], byte[]> member(String group, String protocol) {
        return consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol));
    }

    /** Polls until {@code count} records arrived, then commits them synchronously. */
    private static List<ConsumerRecord<byte[], byte[]>> consumeAndCommit(KafkaConsumer<byte[], byte[]> consumer,
                                                                        int count) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        }
        consumer.commitSync();
        return records;
    }

    @Test
    // a group with no consumer behind it can only be named with the deprecated constructor
    @SuppressWarnings("removal")
    void aThirdGroupIsRefusedTheTwoOthersCarryOnAndDeletingOneMakesRoom() throws Exception {
        String topic = uniqueTopic("groups-max");
        createTopic(topic, 1);
        TopicPartition partition = new TopicPartition(topic, 0);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        producer.send(new ProducerRecord<>(topic, "a".getBytes())).get();
        producer.send(new ProducerRecord<>(topic, "b".getBytes())).get();

        KafkaConsumer<byte[], byte[]> classic = member("limit-classic", "classic");
        classic.subscribe(List.of(topic));
        assertEquals(2, consumeAndCommit(classic, 2).size());
        KafkaConsumer<byte[], byte[]> consumer = member("limit-consumer", "consumer");
        consumer.subscribe(List.of(topic));
        assertEquals(2, consumeAndCommit(consumer, 2).size());

        for (String protocol : List.of("classic", "consumer")) {
            KafkaConsumer<byte[], byte[]> third = member("limit-third-" + protocol, protocol);
            third.subscribe(List.of(topic));
            assertThrows(GroupMaxSizeReachedException.class, () -> {
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < until) {
                    third.poll(Duration.ofMillis(100));
                }
            }, protocol);
            third.close(CloseOptions.timeout(Duration.ZERO));
        }

        KafkaConsumer<byte[], byte[]> assigned = member("limit-assigned", "classic");
        assigned.assign(List.of(partition));
        KafkaException refused = assertThrows(KafkaException.class,
                () -> assigned.commitSync(Map.of(partition, new OffsetAndMetadata(1))));
        assertTrue(String.valueOf(refused.getMessage()).contains("reached its maximum size"), refused.getMessage());
        assigned.close(CloseOptions.timeout(Duration.ZERO));

        // the two groups that exist keep consuming and committing
        producer.send(new ProducerRecord<>(topic, "c".getBytes())).get();
        assertEquals(1, consumeAndCommit(classic, 1).size());
        assertEquals(1, consumeAndCommit(consumer, 1).size());

        try (Admin admin = admin()) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals(null, config.get("pgkafka.groups.max"), "pgkafka.* keys are not shown, as Kafka has none");

            consumer.close();
            admin.deleteConsumerGroups(List.of("limit-consumer")).all().get();
            assertFalse(admin.listGroups().all().get().stream()
                    .anyMatch(g -> g.groupId().equals("limit-consumer")));
        }
        KafkaConsumer<byte[], byte[]> fresh = member("limit-fresh", "classic");
        fresh.subscribe(List.of(topic));
        assertEquals(3, consumeAndCommit(fresh, 3).size(), "a new group has room again");
        assertEquals(3, fresh.committed(java.util.Set.of(partition)).get(partition).offset());

        // full again (limit-classic, limit-fresh): a transactional producer cannot commit offsets for a new group
        Map<String, Object> txn = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "limit-txn",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        KafkaProducer<byte[], byte[]> transactional = producer(txn);
        transactional.initTransactions();
        transactional.beginTransaction();
        transactional.send(new ProducerRecord<>(topic, "d".getBytes())).get();
        KafkaException txnRefused = assertThrows(KafkaException.class, () -> transactional.sendOffsetsToTransaction(
                Map.of(partition, new OffsetAndMetadata(1)), new ConsumerGroupMetadata("limit-txn-group")));
        assertTrue(String.valueOf(txnRefused.getMessage()).contains("reached its maximum size"), txnRefused.getMessage());
        transactional.close(Duration.ZERO);
        // the producer is fatal; a new one with the same id fences it and commits offsets for an existing group
        KafkaProducer<byte[], byte[]> again = producer(txn);
        again.initTransactions();
        again.beginTransaction();
        again.send(new ProducerRecord<>(topic, "e".getBytes())).get();
        again.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(4)), classic.groupMetadata());
        again.commitTransaction();
    }
}
