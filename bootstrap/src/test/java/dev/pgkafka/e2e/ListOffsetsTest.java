package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Every ListOffsets variant: earliest, latest, max timestamp, and by timestamp. */
class ListOffsetsTest extends BrokerTestSupport {

    @Test
    void everyOffsetSpecAnswersAsKafka() throws Exception {
        String topic = uniqueTopic("offsets");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        Admin admin = admin();

        assertEquals(0, offset(admin, tp, OffsetSpec.earliest()).offset());
        assertEquals(0, offset(admin, tp, OffsetSpec.latest()).offset());
        assertEquals(-1, offset(admin, tp, OffsetSpec.maxTimestamp()).offset(), "empty partition has no max timestamp");

        // timestamps out of order, as producers may send them: 1000, 3000, 2000, 5000, 4000
        long[] timestamps = {1000, 3000, 2000, 5000, 4000};
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        for (long ts : timestamps) {
            producer.send(new ProducerRecord<>(topic, 0, ts, null, ("at-" + ts).getBytes(StandardCharsets.UTF_8))).get();
        }

        assertEquals(0, offset(admin, tp, OffsetSpec.earliest()).offset());
        assertEquals(5, offset(admin, tp, OffsetSpec.latest()).offset());
        ListOffsetsResultInfo max = offset(admin, tp, OffsetSpec.maxTimestamp());
        assertEquals(3, max.offset());
        assertEquals(5000, max.timestamp());

        // first offset whose timestamp is >= the target
        assertEquals(0, offset(admin, tp, OffsetSpec.forTimestamp(500)).offset());
        assertEquals(1, offset(admin, tp, OffsetSpec.forTimestamp(1500)).offset());
        assertEquals(1, offset(admin, tp, OffsetSpec.forTimestamp(3000)).offset());
        ListOffsetsResultInfo at3500 = offset(admin, tp, OffsetSpec.forTimestamp(3500));
        assertEquals(3, at3500.offset());
        assertEquals(5000, at3500.timestamp());
        assertEquals(-1, offset(admin, tp, OffsetSpec.forTimestamp(6000)).offset(), "no record that late");

        // the consumer's view of the same lookups
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of());
        Map<TopicPartition, OffsetAndTimestamp> times = consumer.offsetsForTimes(Map.of(tp, 1500L));
        assertEquals(1, times.get(tp).offset());
        assertEquals(3000, times.get(tp).timestamp());
        assertNull(consumer.offsetsForTimes(Map.of(tp, 9999L)).get(tp));
        assertEquals(0L, consumer.beginningOffsets(List.of(tp)).get(tp));
        assertEquals(5L, consumer.endOffsets(List.of(tp)).get(tp));
    }

    private static ListOffsetsResultInfo offset(Admin admin, TopicPartition tp, OffsetSpec spec) throws Exception {
        return admin.listOffsets(Map.of(tp, spec)).partitionResult(tp).get();
    }
}
