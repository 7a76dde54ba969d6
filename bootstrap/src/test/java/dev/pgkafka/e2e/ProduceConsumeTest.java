package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Future;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Stock Java producer and consumer (assign mode) against the broker: what goes in comes out, in order. */
class ProduceConsumeTest extends BrokerTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCodecRoundTripsKeysValuesHeadersAndNulls(String codec) throws Exception {
        String topic = uniqueTopic("codec-" + codec);
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec));
        List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] key = i % 7 == 0 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value = i % 11 == 0 ? null : new byte[random.nextInt(300)];
            if (value != null) {
                random.nextBytes(value);
            }
            List<Header> headers = i % 3 == 0
                    ? List.of(new RecordHeader("h1", ("v" + i).getBytes(StandardCharsets.UTF_8)), new RecordHeader("h-null", null))
                    : List.of();
            sent.add(new ProducerRecord<>(topic, 0, 1_700_000_000_000L + i, key, value, headers));
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : sent) {
            acks.add(producer.send(r));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(i, acks.get(i).get().offset(), "offset of record " + i);
        }

        List<ConsumerRecord<byte[], byte[]>> received = readAll(consumer(Map.of()), List.of(new TopicPartition(topic, 0)),
                sent.size(), Duration.ofSeconds(30));
        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> s = sent.get(i);
            ConsumerRecord<byte[], byte[]> r = received.get(i);
            assertEquals(i, r.offset());
            assertEquals(s.timestamp(), r.timestamp());
            assertArrayEquals(s.key(), r.key(), "key " + i);
            assertArrayEquals(s.value(), r.value(), "value " + i);
            Header[] expected = s.headers().toArray();
            Header[] actual = r.headers().toArray();
            assertEquals(expected.length, actual.length, "headers of " + i);
            for (int h = 0; h < expected.length; h++) {
                assertEquals(expected[h].key(), actual[h].key());
                assertArrayEquals(expected[h].value(), actual[h].value());
            }
        }
        assertNull(received.get(0).key(), "record 0 was sent with a null key");
        assertNull(received.get(0).value(), "record 0 was sent with a null value");
    }

    @Test
    void oneMebibyteValuesRoundTrip() throws Exception {
        String topic = uniqueTopic("large");
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024));
        byte[] value = new byte[1024 * 1024 - 200];
        new Random(7).nextBytes(value);
        for (int i = 0; i < 3; i++) {
            producer.send(new ProducerRecord<>(topic, 0, null, value)).get();
        }
        List<ConsumerRecord<byte[], byte[]>> received = readAll(consumer(Map.of()), List.of(new TopicPartition(topic, 0)), 3,
                Duration.ofSeconds(30));
        assertEquals(3, received.size());
        for (ConsumerRecord<byte[], byte[]> r : received) {
            assertArrayEquals(value, r.value());
        }
    }

    @Test
    void tenThousandRecordsKeepTheirOrder() throws Exception {
        String topic = uniqueTopic("order");
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, 0, null, Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        List<ConsumerRecord<byte[], byte[]>> received = readAll(
                consumer(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)), List.of(new TopicPartition(topic, 0)), n,
                Duration.ofSeconds(60));
        assertEquals(n, received.size());
        for (int i = 0; i < n; i++) {
            assertEquals(i, received.get(i).offset());
            assertEquals(Integer.toString(i), new String(received.get(i).value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void keyedRecordsSpreadOverPartitionsAndEachPartitionKeepsItsOrder() throws Exception {
        String topic = uniqueTopic("keyed");
        createTopic(topic, 4);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        int n = 2_000;
        for (int i = 0; i < n; i++) {
            producer.send(new ProducerRecord<>(topic, ("k" + (i % 50)).getBytes(StandardCharsets.UTF_8),
                    Integer.toString(i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1),
                new TopicPartition(topic, 2), new TopicPartition(topic, 3));
        List<ConsumerRecord<byte[], byte[]>> received = readAll(consumer(Map.of()), partitions, n, Duration.ofSeconds(60));
        assertEquals(n, received.size());
        int[] lastValuePerKey = new int[50];
        Arrays.fill(lastValuePerKey, -1);
        long[] nextOffset = new long[4];
        for (ConsumerRecord<byte[], byte[]> r : received) {
            assertEquals(nextOffset[r.partition()]++, r.offset(), "contiguous offsets in partition " + r.partition());
            int key = Integer.parseInt(new String(r.key(), StandardCharsets.UTF_8).substring(1));
            int value = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
            assertEquals(true, value > lastValuePerKey[key], "per-key order");
            lastValuePerKey[key] = value;
        }
        assertEquals(true, Arrays.stream(nextOffset).filter(o -> o > 0).count() > 1, "keys spread over partitions");
    }
}
