package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;

/** The idempotent producer: the Java default, retried duplicates, sequence gaps and fenced epochs. */
class IdempotentProducerTest extends BrokerTestSupport {
    private static final short PRODUCE_VERSION = 12;

    @Test
    void theDefaultIdempotentProducerWritesEachRecordOnce() throws Exception {
        String topic = uniqueTopic("idem-default");
        createTopic(topic, 2);
        // no settings: kafka-clients 4.x defaults to enable.idempotence=true, acks=all
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        int n = 3_000;
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, i % 2, null, Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        List<ConsumerRecord<byte[], byte[]>> received = readAll(consumer(Map.of()),
                List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)), n, Duration.ofSeconds(60));
        assertEquals(n, received.size());
        Set<String> values = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : received) {
            assertTrue(values.add(new String(r.value(), StandardCharsets.UTF_8)), "duplicate " + r);
        }
    }

    @Test
    void aResentBatchIsAnsweredWithItsOriginalOffsetAndStoredOnce() throws Exception {
        String topic = uniqueTopic("idem-raw");
        createTopic(topic, 1);
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            InitProducerIdResponse init = conn.request(new InitProducerIdRequestData().setTransactionalId(null)
                    .setTransactionTimeoutMs(60_000).setProducerId(-1).setProducerEpoch((short) -1), (short) 5,
                    InitProducerIdResponse.class);
            assertEquals(Errors.NONE.code(), init.data().errorCode());
            long pid = init.data().producerId();
            short epoch = init.data().producerEpoch();

            assertPartition(produce(conn, topic, batch(pid, epoch, 0, 3)), Errors.NONE, 0);
            assertPartition(produce(conn, topic, batch(pid, epoch, 3, 2)), Errors.NONE, 3);
            // the first batch again, as a producer retrying after a lost answer would send it
            assertPartition(produce(conn, topic, batch(pid, epoch, 0, 3)), Errors.NONE, 0);
            assertPartition(produce(conn, topic, batch(pid, epoch, 3, 2)), Errors.NONE, 3);
            // a gap in the sequence
            assertPartition(produce(conn, topic, batch(pid, epoch, 9, 1)), Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
            // the next batch in order still works
            assertPartition(produce(conn, topic, batch(pid, epoch, 5, 1)), Errors.NONE, 5);
            // a bumped epoch starts again at 0, after which the old epoch is fenced
            assertPartition(produce(conn, topic, batch(pid, (short) (epoch + 1), 0, 1)), Errors.NONE, 6);
            assertPartition(produce(conn, topic, batch(pid, epoch, 6, 1)), Errors.INVALID_PRODUCER_EPOCH, -1);
            // a new epoch must start at sequence 0
            assertPartition(produce(conn, topic, batch(pid, (short) (epoch + 2), 4, 1)),
                    Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, -1);
        }
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of());
        List<ConsumerRecord<byte[], byte[]>> stored = readAll(consumer, List.of(new TopicPartition(topic, 0)), 7,
                Duration.ofSeconds(10));
        consumer.poll(Duration.ofMillis(300)).forEach(stored::add); // nothing more may come
        assertEquals(7, stored.size(), "3 + 2 + 1 + 1 records, duplicates and refused batches not stored");
        for (int i = 0; i < stored.size(); i++) {
            assertEquals(i, stored.get(i).offset());
        }
    }

    private static MemoryRecords batch(long pid, short epoch, int baseSequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, ("seq-" + (baseSequence + i)).getBytes(
                    StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, pid, epoch, baseSequence, records);
    }

    private static ProduceResponseData.PartitionProduceResponse produce(RawKafkaConnection conn, String topic,
                                                                       MemoryRecords records) throws Exception {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        request.topicData().add(t);
        ProduceResponse response = conn.request(request, PRODUCE_VERSION, ProduceResponse.class);
        return response.data().responses().iterator().next().partitionResponses().get(0);
    }

    private static void assertPartition(ProduceResponseData.PartitionProduceResponse response, Errors error,
                                        long baseOffset) {
        assertEquals(error, Errors.forCode(response.errorCode()), String.valueOf(response));
        if (error == Errors.NONE) {
            assertEquals(baseOffset, response.baseOffset(), String.valueOf(response));
        }
    }
}
