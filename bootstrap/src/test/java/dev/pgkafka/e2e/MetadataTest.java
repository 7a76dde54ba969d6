package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;

/** Metadata and CreateTopics as the Admin client and the producer see them. */
class MetadataTest extends BrokerTestSupport {

    @Test
    void adminSeesTheClusterAndTheTopicsItCreates() throws Exception {
        Admin admin = admin();
        String clusterId = admin.describeCluster().clusterId().get();
        assertNotNull(clusterId);
        assertEquals(1, admin.describeCluster().nodes().get().size());
        assertEquals(broker.kafkaPort(), admin.describeCluster().nodes().get().iterator().next().port());

        String topic = uniqueTopic("admin");
        admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        assertEquals(3, description.partitions().size());
        assertFalse(Uuid.ZERO_UUID.equals(description.topicId()));
        description.partitions().forEach(p -> assertEquals(1, p.leader().id()));
        assertTrue(admin.listTopics().names().get().contains(topic));

        // by id, as newer clients ask
        TopicDescription byId = admin.describeTopics(
                org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(description.topicId())))
                .allTopicIds().get().get(description.topicId());
        assertEquals(topic, byId.name());

        ExecutionException exists = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get());
        assertInstanceOf(TopicExistsException.class, exists.getCause());
        ExecutionException invalid = assertThrows(ExecutionException.class,
                () -> admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1))).all().get());
        assertInstanceOf(InvalidTopicException.class, invalid.getCause());
    }

    @Test
    void producingToANewTopicAutoCreatesIt() throws Exception {
        String topic = uniqueTopic("auto");
        var metadata = producer(Map.of()).send(new ProducerRecord<>(topic, "v".getBytes(StandardCharsets.UTF_8))).get();
        assertEquals(0, metadata.offset());
        assertTrue(admin().listTopics().names().get().contains(topic));
    }

    @Test
    void metadataVersionsZeroToLatestAllAnswer() throws Exception {
        String topic = uniqueTopic("versions");
        createTopic(topic, 2);
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            for (short v = 0; v <= 13; v++) {
                MetadataRequestData request = new MetadataRequestData();
                request.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
                MetadataResponse response = conn.request(request, v, MetadataResponse.class);
                var t = response.data().topics().find(topic);
                assertEquals(Errors.NONE.code(), t.errorCode(), "v" + v);
                assertEquals(2, t.partitions().size(), "v" + v);
            }
        }
    }
}
