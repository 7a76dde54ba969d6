package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.LongStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.service.LogCleaner;

/**
 * retention.ms, retention.bytes and DeleteRecords: what consumers and ListOffsets see, and what
 * kafka.records holds. The broker's clock is moved by the test and the log cleaner run on demand.
 */
class RetentionTest extends BrokerTestSupport {
    private final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    private TopicPartition topic(Map<String, String> configs) throws Exception {
        String name = uniqueTopic("retention");
        admin().createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        return new TopicPartition(name, 0);
    }

    private void produce(TopicPartition tp, int count, int valueSize) throws Exception {
        produce(tp, count, valueSize, null);
    }

    /** @param timestamp the records' CreateTime, or null for the producer's (real) clock */
    private void produce(TopicPartition tp, int count, int valueSize, Long timestamp) throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        for (int i = 0; i < count; i++) {
            producer.send(new ProducerRecord<>(tp.topic(), tp.partition(), timestamp,
                    ("k" + i).getBytes(StandardCharsets.UTF_8), new byte[valueSize]));
        }
        producer.flush();
    }

    private long earliest(TopicPartition tp) throws Exception {
        return admin().listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get().get(tp).offset();
    }

    private long latest(TopicPartition tp) throws Exception {
        return admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }

    private List<Long> rows(TopicPartition tp) throws Exception {
        return new RecordsTable(jdbcUrl).offsets(tp.topic(), tp.partition());
    }

    private List<Long> consumed(TopicPartition tp, int expected) {
        return readAll(consumer(Map.of()), List.of(tp), expected, Duration.ofSeconds(expected == 0 ? 1 : 10)).stream()
                .map(ConsumerRecord::offset).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.range(from, to).boxed().toList();
    }

    @Test
    void recordsOlderThanRetentionMsGoAndConsumersStartAfterThem() throws Exception {
        TopicPartition tp = topic(Map.of("retention.ms", "3600000"));
        produce(tp, 30, 10);
        clock.advance(Duration.ofMinutes(30));
        broker.logCleaner().runOnce();
        assertEquals(0, earliest(tp), "nothing is an hour old yet");
        assertEquals(30, rows(tp).size());

        clock.advance(Duration.ofMinutes(31));
        produce(tp, 5, 10, clock.millis() - 3_500_000); // young enough by the broker's clock
        LogCleaner.Pass pass = broker.logCleaner().runOnce();

        assertEquals(30, earliest(tp), "the first 30 are more than an hour old by the broker's clock");
        assertEquals(35, latest(tp));
        assertEquals(range(30, 35), rows(tp), "their rows are gone");
        assertTrue(pass.removedBelowLogStart() >= 30, pass.toString());
        assertEquals(range(30, 35), consumed(tp, 5));

        clock.advance(Duration.ofMinutes(2));
        broker.logCleaner().runOnce();
        assertEquals(35, earliest(tp), "and now the rest");
        assertEquals(List.of(), rows(tp));
        assertEquals(List.of(), consumed(tp, 0));
    }

    @Test
    void retentionBytesKeepsTheNewestRecordsThatFit() throws Exception {
        // each record: 16 B framing + 3-4 B key + 84 B value ~ 100 B
        TopicPartition tp = topic(Map.of("retention.bytes", "1000"));
        produce(tp, 50, 84);
        broker.logCleaner().runOnce();

        long start = earliest(tp);
        assertTrue(start >= 39 && start <= 41, "about ten records of 100 B fit in 1000 B: " + start);
        assertEquals(range(start, 50), rows(tp));
        assertEquals(range(start, 50), consumed(tp, (int) (50 - start)));
    }

    @Test
    void deleteRecordsMovesTheLogStartAtOnceAndTheCleanerRemovesTheRows() throws Exception {
        Admin admin = admin();
        TopicPartition tp = topic(Map.of());
        produce(tp, 20, 10);

        assertEquals(5, admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(5))).lowWatermarks().get(tp).get()
                .lowWatermark());
        assertEquals(5, earliest(tp));
        assertEquals(range(5, 20), consumed(tp, 15));
        KafkaConsumer<byte[], byte[]> strict = consumer(Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"));
        strict.assign(List.of(tp));
        strict.seek(tp, 2);
        assertThrows(OffsetOutOfRangeException.class, () -> {
            for (int i = 0; i < 50; i++) {
                strict.poll(Duration.ofMillis(100));
            }
        }, "fetching below the log start is out of range");
        TopicAdminTest.waitFor(() -> rows(tp).equals(range(5, 20)), "the cleaner removes the rows below the log start");

        assertEquals(5, admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(3))).lowWatermarks().get(tp).get()
                .lowWatermark(), "never moves back");
        assertInstanceOf(org.apache.kafka.common.errors.OffsetOutOfRangeException.class, assertThrows(
                ExecutionException.class, () -> admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(21)))
                        .lowWatermarks().get(tp).get()).getCause(), "beyond the high watermark");
        assertEquals(20, admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp).get()
                .lowWatermark(), "-1: up to the high watermark");
        assertEquals(20, earliest(tp));
        TopicAdminTest.waitFor(() -> rows(tp).isEmpty(), "all rows removed");

        // the Java Admin retries an unknown partition until it times out, as against Kafka: ask directly
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(10_000);
            request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(tp.topic())
                    .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(7)
                            .setOffset(0))));
            request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(tp.topic() + "-missing")
                    .setPartitions(List.of(new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0)
                            .setOffset(0))));
            DeleteRecordsResponse response = conn.request(request, (short) 2, DeleteRecordsResponse.class);
            for (DeleteRecordsResponseData.DeleteRecordsTopicResult t : response.data().topics()) {
                assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), t.partitions().iterator().next().errorCode(), t.name());
            }
        }
        TopicPartition compacted = topic(Map.of("cleanup.policy", "compact"));
        assertInstanceOf(PolicyViolationException.class, assertThrows(ExecutionException.class,
                () -> admin.deleteRecords(Map.of(compacted, RecordsToDelete.beforeOffset(0))).lowWatermarks()
                        .get(compacted).get()).getCause(), "a compacted log is not subject to deletion");
    }
}
