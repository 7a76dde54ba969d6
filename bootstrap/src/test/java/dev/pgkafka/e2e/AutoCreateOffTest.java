package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/** With auto-creation off, an unknown topic stays unknown. */
class AutoCreateOffTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, false);
    }

    @Test
    void metadataForAnUnknownTopicAnswersUnknownTopicAndCreatesNothing() throws Exception {
        String topic = uniqueTopic("never");
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(true);
            request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
            MetadataResponse response = conn.request(request, (short) 12, MetadataResponse.class);
            assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), response.data().topics().find(topic).errorCode());
        }
        assertEquals(false, admin().listTopics().names().get().contains(topic));
    }

    @Test
    void aProducerToAnUnknownTopicFails() {
        String topic = uniqueTopic("never");
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_500));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> producer.send(new ProducerRecord<>(topic, "x".getBytes(StandardCharsets.UTF_8))).get());
        // the Java producer reports a topic missing from metadata as a timeout naming the topic
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }

    @Test
    void explicitCreationStillWorks() throws Exception {
        String topic = uniqueTopic("explicit");
        createTopic(topic, 3);
        assertEquals(3, admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size());
    }
}
