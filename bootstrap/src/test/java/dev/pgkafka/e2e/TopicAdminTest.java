package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicCollection;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.requests.DescribeTopicPartitionsResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.topic.Topic;

/**
 * CreateTopics, DeleteTopics, CreatePartitions, DescribeTopicPartitions and DescribeCluster through
 * the Java Admin client, with the errors Kafka gives, and what the tables hold afterwards.
 */
class TopicAdminTest extends BrokerTestSupport {

    private static Throwable cause(ExecutionException e) {
        return e.getCause();
    }

    private static <T extends Throwable> T fails(Class<T> type, ThrowingCall call) {
        ExecutionException e = assertThrows(ExecutionException.class, call::run);
        return assertInstanceOf(type, cause(e), cause(e).toString());
    }

    @FunctionalInterface
    interface ThrowingCall {
        void run() throws Exception;
    }

    // ---- CreateTopics ----

    @Test
    void createTopicsValidatesNamesAndConfigsAsKafkaDoes() throws Exception {
        Admin admin = admin();
        String base = uniqueTopic("create");
        assertTrue(fails(InvalidTopicException.class, () -> admin.createTopics(List.of(new NewTopic("bad name", 1,
                (short) 1))).all().get()).getMessage().contains("contains one or more characters other than"));
        fails(InvalidTopicException.class, () -> admin.createTopics(List.of(new NewTopic("..", 1, (short) 1))).all().get());
        fails(InvalidTopicException.class, () -> admin.createTopics(List.of(new NewTopic("x".repeat(250), 1, (short) 1)))
                .all().get());
        assertEquals("Unknown topic config name: foo.bar", fails(InvalidConfigurationException.class,
                () -> admin.createTopics(List.of(new NewTopic(base, 1, (short) 1).configs(Map.of("foo.bar", "1"))))
                        .all().get()).getMessage());
        assertEquals("Invalid value abc for configuration retention.ms: Not a number of type LONG",
                fails(InvalidConfigurationException.class, () -> admin.createTopics(List.of(new NewTopic(base, 1, (short) 1)
                        .configs(Map.of("retention.ms", "abc")))).all().get()).getMessage());
        assertEquals("Invalid value foo for configuration cleanup.policy: String must be one of: compact, delete",
                fails(InvalidConfigurationException.class, () -> admin.createTopics(List.of(new NewTopic(base, 1, (short) 1)
                        .configs(Map.of("cleanup.policy", "foo")))).all().get()).getMessage());
        assertFalse(admin.listTopics().names().get().contains(base), "nothing was created");

        admin.createTopics(List.of(new NewTopic(base, 2, (short) 1))).all().get();
        assertTrue(fails(TopicExistsException.class, () -> admin.createTopics(List.of(new NewTopic(base, 2, (short) 1)))
                .all().get()).getMessage().contains("already exists"));
        String dotted = uniqueTopic("a.b");
        admin.createTopics(List.of(new NewTopic(dotted, 1, (short) 1))).all().get();
        assertTrue(fails(InvalidTopicException.class, () -> admin.createTopics(List.of(new NewTopic(dotted.replace('.', '_'),
                1, (short) 1))).all().get()).getMessage().contains("collides with existing topic"));
    }

    @Test
    void validateOnlyAnswersWithTheConfigsButCreatesNothing() throws Exception {
        Admin admin = admin();
        String name = uniqueTopic("validate");
        CreateTopicsResult result = admin.createTopics(List.of(new NewTopic(name, 3, (short) 1)
                .configs(Map.of("retention.ms", "60000", "cleanup.policy", "compact"))), new CreateTopicsOptions().validateOnly(true));
        result.all().get();
        assertEquals(3, result.numPartitions(name).get());
        Config config = result.config(name).get();
        assertEquals("60000", config.get("retention.ms").value());
        assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, config.get("retention.ms").source());
        assertEquals("1048588", config.get("max.message.bytes").value());
        assertEquals(ConfigEntry.ConfigSource.DEFAULT_CONFIG, config.get("max.message.bytes").source());
        assertEquals(33, config.entries().size(), "every topic config, as Kafka answers");
        assertFalse(admin.listTopics().names().get().contains(name));
    }

    @Test
    void anyReplicationFactorIsAcceptedAndAnAssignmentMayNameThisBrokerOnly() throws Exception {
        Admin admin = admin();
        String three = uniqueTopic("rf3");
        CreateTopicsResult created = admin.createTopics(List.of(new NewTopic(three, 2, (short) 3)));
        created.all().get();
        assertEquals(1, created.replicationFactor(three).get(), "one copy, in PostgreSQL");

        String assigned = uniqueTopic("assigned");
        admin.createTopics(List.of(new NewTopic(assigned, Map.of(0, List.of(1), 1, List.of(1), 2, List.of(1)))))
                .all().get();
        assertEquals(3, admin.describeTopics(List.of(assigned)).allTopicNames().get().get(assigned).partitions().size());
        assertTrue(fails(InvalidReplicaAssignmentException.class, () -> admin.createTopics(List.of(new NewTopic(
                uniqueTopic("elsewhere"), Map.of(0, List.of(7))))).all().get()).getMessage().contains("broker 7"));
    }

    // ---- DeleteTopics ----

    @Test
    void deletedTopicsVanishWithTheirRecordsAndTheirNameCanBeReused() throws Exception {
        Admin admin = admin();
        List<Topic> heard = new CopyOnWriteArrayList<>();
        broker.topicAdmin().onTopicDeleted(heard::add);
        String name = uniqueTopic("doomed");
        admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();
        Uuid id = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).topicId();
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        for (int i = 0; i < 20; i++) {
            producer.send(new ProducerRecord<>(name, i % 2, null, ("r" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        RecordsTable table = new RecordsTable(jdbcUrl);
        long key = table.topicKey(name);
        assertEquals(20, table.rowsOfTopicKey(key));

        admin.deleteTopics(List.of(name)).all().get();

        assertFalse(admin.listTopics().names().get().contains(name));
        fails(UnknownTopicOrPartitionException.class, () -> admin.describeTopics(List.of(name)).allTopicNames().get());
        assertTrue(heard.stream().anyMatch(t -> t.name().equals(name)), "deletion listeners hear about it: " + heard);
        waitFor(() -> table.rowsOfTopicKey(key) == 0, "the cleaner purges the deleted topic's rows");

        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        TopicDescription again = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
        assertNotEquals(id, again.topicId(), "a new topic, with a new id");
        assertEquals(0L, admin.listOffsets(Map.of(new TopicPartition(name, 0),
                org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get().get(new TopicPartition(name, 0)).offset());
    }

    @Test
    void topicsAreDeletedByIdAndUnknownOnesAnswerKafkasErrors() throws Exception {
        Admin admin = admin();
        String name = uniqueTopic("by-id");
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        Uuid id = admin.describeTopics(List.of(name)).allTopicNames().get().get(name).topicId();

        admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get();

        assertFalse(admin.listTopics().names().get().contains(name));
        fails(UnknownTopicIdException.class, () -> admin.deleteTopics(TopicCollection.ofTopicIds(List.of(id))).all().get());
        fails(UnknownTopicOrPartitionException.class, () -> admin.deleteTopics(List.of(name)).all().get());
    }

    @Test
    void consumersOfADeletedTopicLoseIt() throws Exception {
        Admin admin = admin();
        String name = uniqueTopic("gone");
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        producer(Map.of()).send(new ProducerRecord<>(name, "x".getBytes(StandardCharsets.UTF_8))).get();
        List<ConsumerRecord<byte[], byte[]>> read = readAll(consumer(Map.of()), List.of(new TopicPartition(name, 0)), 1,
                Duration.ofSeconds(10));
        assertEquals(1, read.size());
        admin.deleteTopics(List.of(name)).all().get();
        assertFalse(admin.listTopics().names().get().contains(name));
    }

    // ---- CreatePartitions ----

    @Test
    void partitionsCanBeAddedNeverRemoved() throws Exception {
        Admin admin = admin();
        String name = uniqueTopic("grow");
        admin.createTopics(List.of(new NewTopic(name, 2, (short) 1))).all().get();

        admin.createPartitions(Map.of(name, NewPartitions.increaseTo(4)), new CreatePartitionsOptions().validateOnly(true))
                .all().get();
        assertEquals(2, admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size(),
                "validate only changes nothing");

        admin.createPartitions(Map.of(name, NewPartitions.increaseTo(4))).all().get();
        assertEquals(4, admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size());
        producer(Map.of()).send(new ProducerRecord<>(name, 3, null, "new partition".getBytes(StandardCharsets.UTF_8))).get();

        assertEquals("The topic " + name + " currently has 4 partition(s); 3 would not be an increase.",
                fails(InvalidPartitionsException.class, () -> admin.createPartitions(Map.of(name,
                        NewPartitions.increaseTo(3))).all().get()).getMessage());
        assertEquals("Topic already has 4 partition(s).", fails(InvalidPartitionsException.class,
                () -> admin.createPartitions(Map.of(name, NewPartitions.increaseTo(4))).all().get()).getMessage());
        fails(UnknownTopicOrPartitionException.class, () -> admin.createPartitions(Map.of(name + "-missing",
                NewPartitions.increaseTo(4))).all().get());
        fails(InvalidReplicaAssignmentException.class, () -> admin.createPartitions(Map.of(name,
                NewPartitions.increaseTo(5, List.of(List.of(7))))).all().get());
        admin.createPartitions(Map.of(name, NewPartitions.increaseTo(5, List.of(List.of(1))))).all().get();
        assertEquals(5, admin.describeTopics(List.of(name)).allTopicNames().get().get(name).partitions().size());
    }

    // ---- DescribeTopicPartitions, DescribeCluster ----

    @Test
    void describeTopicsPagesThroughPartitionsWithACursor() throws Exception {
        Admin admin = admin();
        String name = uniqueTopic("paged");
        admin.createTopics(List.of(new NewTopic(name, 5, (short) 1))).all().get();
        TopicDescription described = admin.describeTopics(List.of(name), new DescribeTopicsOptions()
                .includeAuthorizedOperations(true).partitionSizeLimitPerResponse(2)).allTopicNames().get().get(name);
        assertEquals(5, described.partitions().size(), "the admin client follows the cursor");
        assertEquals(1, described.partitions().get(4).leader().id());
        assertTrue(described.authorizedOperations().contains(AclOperation.DESCRIBE_CONFIGS));

        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            DescribeTopicPartitionsRequestData request = new DescribeTopicPartitionsRequestData().setResponsePartitionLimit(2);
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(name));
            request.topics().add(new DescribeTopicPartitionsRequestData.TopicRequest().setName(name + "-missing"));
            DescribeTopicPartitionsResponse first = conn.request(request, (short) 0, DescribeTopicPartitionsResponse.class);
            assertEquals(2, first.data().topics().find(name).partitions().size());
            assertEquals(name, first.data().nextCursor().topicName());
            assertEquals(2, first.data().nextCursor().partitionIndex());
            request.setCursor(new DescribeTopicPartitionsRequestData.Cursor().setTopicName(name).setPartitionIndex(4));
            DescribeTopicPartitionsResponse last = conn.request(request, (short) 0, DescribeTopicPartitionsResponse.class);
            assertEquals(1, last.data().topics().find(name).partitions().size());
            assertEquals(org.apache.kafka.common.protocol.Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                    last.data().topics().find(name + "-missing").errorCode());
            assertNull(last.data().nextCursor());
        }
    }

    @Test
    void describeClusterNamesThisBrokerAsNodeAndController() throws Exception {
        DescribeClusterResult cluster = admin().describeCluster(new DescribeClusterOptions()
                .includeAuthorizedOperations(true));
        assertEquals(22, cluster.clusterId().get().length());
        assertEquals(1, cluster.controller().get().id());
        assertEquals(1, cluster.nodes().get().size());
        assertEquals(broker.kafkaPort(), cluster.nodes().get().iterator().next().port());
        Set<AclOperation> ops = cluster.authorizedOperations().get();
        assertNotNull(ops);
        assertTrue(ops.contains(AclOperation.ALTER_CONFIGS), ops.toString());
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    static void waitFor(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            Thread.sleep(50);
        }
    }
}
