package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * cleanup.policy=compact (and compact,delete): the latest record per key stays at its offset,
 * tombstones go after delete.retention.ms, young records wait for min.compaction.lag.ms; what the
 * Java consumer reads and what kafka.records holds. The broker's clock is moved by the test.
 */
class CompactionTest extends BrokerTestSupport {
    private final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    private TopicPartition topic(Map<String, String> configs) throws Exception {
        String name = uniqueTopic("compacted");
        admin().createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        return new TopicPartition(name, 0);
    }

    /** Sends key=value pairs in order ("k=" is a tombstone), each its own batch, stamped with {@code timestamp}. */
    private void produce(TopicPartition tp, Long timestamp, String... pairs) throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        for (String pair : pairs) {
            String[] kv = pair.split("=", -1);
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), timestamp, bytes(kv[0]),
                    kv[1].isEmpty() ? null : bytes(kv[1]))).get();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** What a consumer reading from the start sees, as "offset:key=value". */
    private List<String> consumed(TopicPartition tp, int expected) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readAll(consumer(Map.of()), List.of(tp), expected, Duration.ofSeconds(10))) {
            out.add(r.offset() + ":" + new String(r.key(), StandardCharsets.UTF_8) + "="
                    + (r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8)));
        }
        return out;
    }

    private List<Long> rows(TopicPartition tp) throws Exception {
        return new RecordsTable(jdbcUrl).offsets(tp.topic(), tp.partition());
    }

    @Test
    void theLatestRecordPerKeyStaysAtItsOffsetAndTombstonesGoAfterDeleteRetention() throws Exception {
        TopicPartition tp = topic(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01",
                "delete.retention.ms", "60000"));
        produce(tp, null, "k1=a1", "k2=b1", "k1=a2", "k3=c1", "k2=", "k1=a3");

        broker.logCleaner().runOnce();

        assertEquals(List.of("3:k3=c1", "4:k2=", "5:k1=a3"), consumed(tp, 3));
        assertEquals(List.of(3L, 4L, 5L), rows(tp));

        produce(tp, null, "k3=c2");
        broker.logCleaner().runOnce();
        assertEquals(List.of("4:k2=", "5:k1=a3", "6:k3=c2"), consumed(tp, 3), "the tombstone is younger than its horizon");

        clock.advance(Duration.ofMinutes(2));
        broker.logCleaner().runOnce();
        assertEquals(List.of("5:k1=a3", "6:k3=c2"), consumed(tp, 2), "delete.retention.ms passed since it was compacted");
        assertEquals(List.of(5L, 6L), rows(tp));

        produce(tp, null, "k4=d1");
        assertEquals(List.of("5:k1=a3", "6:k3=c2", "7:k4=d1"), consumed(tp, 3), "offsets go on where they were");
    }

    @Test
    void recordsYoungerThanMinCompactionLagWait() throws Exception {
        TopicPartition tp = topic(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0.01",
                "min.compaction.lag.ms", "3600000"));
        produce(tp, clock.millis(), "k=v1", "k=v2", "k=v3");
        broker.logCleaner().runOnce();
        assertEquals(List.of(0L, 1L, 2L), rows(tp), "an hour has not passed");

        clock.advance(Duration.ofHours(2));
        broker.logCleaner().runOnce();
        assertEquals(List.of(2L), rows(tp));
        assertEquals(List.of("2:k=v3"), consumed(tp, 1));
    }

    @Test
    void compactAndDeleteDoBoth() throws Exception {
        TopicPartition tp = topic(Map.of("cleanup.policy", "compact,delete", "min.cleanable.dirty.ratio", "0.01",
                "retention.ms", "3600000"));
        long start = clock.millis();
        produce(tp, start, "k1=a", "k1=b", "k2=c");
        produce(tp, start + 1_800_000, "k3=d");
        broker.logCleaner().runOnce();
        assertEquals(List.of(1L, 2L, 3L), rows(tp), "compaction: k1=a is superseded");

        clock.advance(Duration.ofMinutes(70));
        broker.logCleaner().runOnce();
        assertEquals(List.of(3L), rows(tp), "retention: the records of 70 minutes ago are gone");
        assertEquals(List.of("3:k3=d"), consumed(tp, 1));
    }
}
