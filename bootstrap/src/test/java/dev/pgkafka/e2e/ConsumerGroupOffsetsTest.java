package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.junit.jupiter.api.Test;

/**
 * Committed offsets and group administration with stock clients: a restarted consumer resumes from
 * its commit, consumers without membership commit with metadata, and Admin describes, lists and
 * deletes groups and their offsets with Kafka's errors.
 */
class ConsumerGroupOffsetsTest extends BrokerTestSupport {
    static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void aRestartedConsumerResumesFromItsCommit() throws Exception {
        String topic = uniqueTopic("resume");
        String group = "group-" + topic;
        createTopic(topic, 2);
        send(topic, 0, 10);
        try (GroupConsumer first = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            GroupConsumer.await(() -> first.records().size() == 10, SETTLE, "the first ten records");
            first.commit();
        }
        send(topic, 10, 5);
        try (GroupConsumer second = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            GroupConsumer.await(() -> second.records().size() >= 5, SETTLE, "the five new records");
            Thread.sleep(500);
            List<String> values = values(second.records());
            assertEquals(5, values.size(), "nothing before the commit is read again: " + values);
            assertTrue(values.containsAll(List.of("v10", "v11", "v12", "v13", "v14")), values.toString());
        }
    }

    @Test
    void aConsumerWithoutMembershipCommitsWithMetadata() throws Exception {
        String topic = uniqueTopic("assigned");
        String group = "group-" + topic;
        createTopic(topic, 2);
        TopicPartition p1 = new TopicPartition(topic, 1);
        KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group));
        consumer.assign(List.of(p1));
        consumer.commitSync(Map.of(p1, new OffsetAndMetadata(7, "checkpoint ✓")));
        OffsetAndMetadata committed = consumer.committed(Set.of(p1), Duration.ofSeconds(20)).get(p1);
        assertEquals(7, committed.offset());
        assertEquals("checkpoint ✓", committed.metadata());

        Admin admin = admin();
        assertEquals(Map.of(p1, new OffsetAndMetadata(7, committed.leaderEpoch(), "checkpoint ✓")),
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        GroupListing listing = admin.listGroups().all().get().stream().filter(g -> g.groupId().equals(group))
                .findFirst().orElseThrow();
        assertTrue(listing.isSimpleConsumerGroup(), "a group without protocol type: " + listing);
        assertEquals(GroupState.EMPTY, listing.groupState().orElseThrow());
    }

    @Test
    void groupsAreDescribedListedAndDeletedWithTheirOffsets() throws Exception {
        String topic = uniqueTopic("admin");
        String group = "group-" + topic;
        createTopic(topic, 3);
        send(topic, 0, 6);
        Admin admin = admin();
        try (GroupConsumer member = new GroupConsumer(bootstrap(), group, List.of(topic),
                Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "described-client"))) {
            GroupConsumer.await(() -> member.records().size() == 6, SETTLE, "the records");
            member.commit();

            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            assertEquals(GroupState.STABLE, d.groupState());
            assertEquals(GroupType.CLASSIC, d.type());
            assertEquals("range", d.partitionAssignor());
            MemberDescription m = d.members().iterator().next();
            assertEquals("described-client", m.clientId());
            assertEquals(member.memberId(), m.consumerId());
            assertEquals(3, m.assignment().topicPartitions().size());

            List<String> stable = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                    .inGroupStates(Set.of(GroupState.STABLE))).all().get().stream().map(GroupListing::groupId).toList();
            assertTrue(stable.contains(group), stable.toString());
            List<String> empty = admin.listGroups(ListGroupsOptions.forConsumerGroups()
                    .inGroupStates(Set.of(GroupState.EMPTY))).all().get().stream().map(GroupListing::groupId).toList();
            assertTrue(!empty.contains(group), empty.toString());

            assertEquals(6L, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum());
            ExecutionException notEmpty = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroups(List.of(group)).all().get());
            assertInstanceOf(GroupNotEmptyException.class, notEmpty.getCause());
        }
        GroupConsumer.await(() -> describeState(admin, group) == GroupState.EMPTY, SETTLE, "the group to be empty");
        admin.deleteConsumerGroups(List.of(group)).all().get();
        assertEquals(Map.of(), admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
        ExecutionException gone = assertThrows(ExecutionException.class,
                () -> admin.describeConsumerGroups(List.of(group)).all().get());
        assertInstanceOf(GroupIdNotFoundException.class, gone.getCause());
        ExecutionException again = assertThrows(ExecutionException.class,
                () -> admin.deleteConsumerGroups(List.of(group)).all().get());
        assertInstanceOf(GroupIdNotFoundException.class, again.getCause());
    }

    @Test
    void offsetsOfAnEmptyGroupAreDeletedButNotThoseOfATopicMembersConsume() throws Exception {
        String topic = uniqueTopic("offdel");
        String group = "group-" + topic;
        createTopic(topic, 2);
        send(topic, 0, 4);
        Admin admin = admin();
        Set<TopicPartition> partitions = Set.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
        try (GroupConsumer member = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            GroupConsumer.await(() -> member.records().size() == 4, SETTLE, "the records");
            member.commit();
            ExecutionException subscribed = assertThrows(ExecutionException.class,
                    () -> admin.deleteConsumerGroupOffsets(group, partitions).all().get());
            assertInstanceOf(GroupSubscribedToTopicException.class, subscribed.getCause());
        }
        GroupConsumer.await(() -> describeState(admin, group) == GroupState.EMPTY, SETTLE, "the group to be empty");
        admin.deleteConsumerGroupOffsets(group, partitions).all().get();
        assertEquals(Map.of(), admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get());
    }

    private static GroupState describeState(Admin admin, String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void send(String topic, int from, int count) throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(Map.of());
        for (int i = from; i < from + count; i++) {
            producer.send(new ProducerRecord<>(topic, i % 2, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }

    private static List<String> values(List<ConsumerRecord<byte[], byte[]>> records) {
        List<String> values = new ArrayList<>();
        records.forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        return values;
    }
}
