package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/** Acknowledged records survive kill -9; SIGTERM shuts down cleanly. */
class CrashAndShutdownTest extends WithOwnDatabase {
    @Test
    void everyAcknowledgedRecordSurvivesAKill9() throws Exception {
        String topic = "crash-" + System.nanoTime();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        try (BrokerProcess first = BrokerProcess.start(jdbcUrl)) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000);
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                // keep sending; kill the broker mid-stream once it has acknowledged a good share
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                int sent = 0;
                while (acknowledged.size() < 3_000 && System.nanoTime() < deadline) {
                    send(producer, topic, "r" + sent++, acknowledged);
                }
                first.kill(); // batches are in flight
                for (int j = 0; j < 500; j++) {
                    send(producer, topic, "r" + sent++, acknowledged); // these fail or never get an answer
                }
                producer.flush();
            }
        }
        assertTrue(acknowledged.size() > 0, "some records were acknowledged before the kill");

        try (BrokerProcess second = BrokerProcess.start(jdbcUrl)) {
            Set<String> stored = readAll(second.bootstrap(), topic);
            Set<String> lost = new HashSet<>(acknowledged);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost, "acknowledged but lost");
        }
    }

    @Test
    void sigtermStopsTheBrokerCleanly() throws Exception {
        BrokerProcess broker = BrokerProcess.start(jdbcUrl);
        try {
            int exit = broker.terminate();
            String output = broker.output();
            assertTrue(output.contains("pgkafka shutting down"), output);
            assertTrue(output.contains("pgkafka stopped"), output);
            // the JVM reports death by SIGTERM (143) even after a clean shutdown hook
            assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        } finally {
            broker.close();
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String value,
                             Set<String> acknowledged) {
        producer.send(new ProducerRecord<>(topic, 0, null, value.getBytes(StandardCharsets.UTF_8)), (meta, error) -> {
            if (error == null) {
                acknowledged.add(value);
            }
        });
    }

    private static Set<String> readAll(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
            }
        }
        return values;
    }
}
