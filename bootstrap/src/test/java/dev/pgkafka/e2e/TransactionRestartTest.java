package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.PostgresStorage;
import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/**
 * Transaction state lives in PostgreSQL: a broker killed with kill -9 in the middle of transactions
 * ends them correctly after a restart. A transaction whose EndTxn was acknowledged stays committed;
 * one left open is aborted when its timeout passes; one whose commit was decided but whose markers
 * were not written yet (PrepareCommit) is completed at start.
 */
class TransactionRestartTest extends WithOwnDatabase {
    private static final String[] FAST_ABORTS = {"--transaction-abort-check-interval-ms", "200"};
    private static KafkaProducer<byte[], byte[]> transactional(String bootstrap, String id, int timeoutMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    private static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    private static long end(String bootstrap, TopicPartition tp, IsolationLevel isolation) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).all().get().get(tp)
                    .offset();
        }
    }

    private static List<String> read(String bootstrap, TopicPartition tp, IsolationLevel isolation, long end) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString());
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
            assertEquals(end, consumer.position(tp));
        }
        return out;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String value) {
        return new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aCommittedTransactionSurvivesAndAnOpenOneIsAbortedOnTimeoutAfterAKill9() throws Exception {
        String topic = "restart-" + System.nanoTime();
        TopicPartition tp = new TopicPartition(topic, 0);
        try (BrokerProcess first = BrokerProcess.start(jdbcUrl, FAST_ABORTS)) {
            createTopic(first.bootstrap(), topic);
            KafkaProducer<byte[], byte[]> producer = transactional(first.bootstrap(), "restart-" + topic, 3_000);
            producer.beginTransaction();
            producer.send(record(topic, "committed-1"));
            producer.send(record(topic, "committed-2"));
            producer.commitTransaction(); // acknowledged: must survive
            producer.beginTransaction();
            producer.send(record(topic, "open-1")).get();
            producer.send(record(topic, "open-2")).get();
            assertEquals(3, end(first.bootstrap(), tp, IsolationLevel.READ_COMMITTED));
            first.kill();
            producer.close(Duration.ZERO);
        }
        try (BrokerProcess second = BrokerProcess.start(jdbcUrl, FAST_ABORTS)) {
            assertTrue(second.output().contains("1 ongoing"), second.output());
            // the open transaction is aborted once its 3 s timeout has passed: the abort marker at 5
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (end(second.bootstrap(), tp, IsolationLevel.READ_COMMITTED) < 6 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(6, end(second.bootstrap(), tp, IsolationLevel.READ_COMMITTED), second.output());
            assertEquals(List.of("committed-1", "committed-2"),
                    read(second.bootstrap(), tp, IsolationLevel.READ_COMMITTED, 6));
            assertEquals(List.of("committed-1", "committed-2", "open-1", "open-2"),
                    read(second.bootstrap(), tp, IsolationLevel.READ_UNCOMMITTED, 6));
            assertTrue(second.output().contains("aborted timed-out transaction restart-" + topic), second.output());
        }
    }

    @Test
    void aDecidedCommitWhoseMarkersWereNotWrittenIsCompletedAtStart() throws Exception {
        String topic = "prepared-" + System.nanoTime();
        String id = "prepared-" + topic;
        TopicPartition tp = new TopicPartition(topic, 0);
        try (BrokerProcess first = BrokerProcess.start(jdbcUrl, FAST_ABORTS)) {
            createTopic(first.bootstrap(), topic);
            KafkaProducer<byte[], byte[]> producer = transactional(first.bootstrap(), id, 60_000);
            producer.beginTransaction();
            producer.send(record(topic, "decided-1")).get();
            producer.send(record(topic, "decided-2")).get();
            first.kill();
            producer.close(Duration.ZERO);
        }
        // the crash came after EndTxn stored PrepareCommit and before the markers: that is the state we leave
        try (PostgresStorage storage = PostgresStorage.open(jdbcUrl, 2)) {
            TransactionMetadata open = storage.transactions().loadAll().stream()
                    .filter(m -> m.transactionalId().equals(id)).findFirst().orElseThrow();
            assertEquals(TransactionState.ONGOING, open.state());
            storage.transactions().save(open.endTransaction(open.producerId(), open.producerEpoch(), true,
                    System.currentTimeMillis()).next());
        }
        try (BrokerProcess second = BrokerProcess.start(jdbcUrl, FAST_ABORTS)) {
            assertTrue(second.output().contains("completing transaction " + id), second.output());
            assertEquals(3, end(second.bootstrap(), tp, IsolationLevel.READ_COMMITTED), second.output());
            assertEquals(List.of("decided-1", "decided-2"), read(second.bootstrap(), tp, IsolationLevel.READ_COMMITTED, 3));
        }
    }
}
