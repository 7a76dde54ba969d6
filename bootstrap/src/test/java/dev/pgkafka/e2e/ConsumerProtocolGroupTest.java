package dev.pgkafka.e2e;

import static dev.pgkafka.e2e.ProtocolConsumer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.UnsupportedAssignorException;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Stock kafka-clients consumers with {@code group.protocol=consumer} (KIP-848) against the broker's
 * server-side assignors: members join and leave a 6-partition topic, each assignor, static members,
 * regular-expression subscriptions, classic groups next to consumer groups, and the admin client.
 */
class ConsumerProtocolGroupTest extends BrokerTestSupport {
    static final Duration SETTLE = Duration.ofSeconds(30);

    private final List<ProtocolConsumer> consumers = new ArrayList<>();
    private final OwnershipLedger ledger = new OwnershipLedger();

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300);
    }

    @AfterEach
    void closeConsumers() throws InterruptedException {
        for (ProtocolConsumer c : consumers) {
            c.close();
        }
        consumers.clear();
    }

    private ProtocolConsumer start(String name, String group, String topic, Map<String, Object> overrides) {
        ProtocolConsumer c = new ProtocolConsumer(name, bootstrap(), group, List.of(topic), ledger, overrides);
        consumers.add(c);
        return c;
    }

    private static Set<TopicPartition> all(String topic, int partitions) {
        Set<TopicPartition> all = new HashSet<>();
        for (int p = 0; p < partitions; p++) {
            all.add(new TopicPartition(topic, p));
        }
        return all;
    }

    /** Waits until the consumers own every partition once between them, each as many as {@code counts} says. */
    private static void awaitSplit(String topic, List<ProtocolConsumer> members, int... counts) throws InterruptedException {
        await(() -> {
            Set<TopicPartition> union = new HashSet<>();
            int total = 0;
            for (int i = 0; i < members.size(); i++) {
                Set<TopicPartition> owned = members.get(i).owned();
                if (owned.size() != counts[i]) {
                    return false;
                }
                union.addAll(owned);
                total += owned.size();
            }
            return total == 6 && union.equals(all(topic, 6));
        }, SETTLE, "partitions split " + java.util.Arrays.toString(counts) + " among " + members.stream()
                .map(ProtocolConsumer::name).toList());
    }

    @Test
    void oneToThreeMembersJoinAndLeaveAndNoPartitionIsEverOwnedTwice() throws Exception {
        String topic = uniqueTopic("kip848");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 60; i++) {
                producer.send(new ProducerRecord<>(topic, i % 6, null, ("r" + i).getBytes()));
            }
            producer.flush();
        }
        ProtocolConsumer a = start("a", group, topic, Map.of());
        awaitSplit(topic, List.of(a), 6);
        await(() -> a.records().size() == 60, SETTLE, "a reads everything");
        ProtocolConsumer b = start("b", group, topic, Map.of());
        awaitSplit(topic, List.of(a, b), 3, 3);
        ProtocolConsumer c = start("c", group, topic, Map.of());
        awaitSplit(topic, List.of(a, b, c), 2, 2, 2);

        Admin admin = admin();
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        assertEquals(GroupType.CONSUMER, described.type());
        assertEquals(GroupState.STABLE, described.groupState());
        assertEquals("uniform", described.partitionAssignor());
        assertEquals(3, described.members().size());
        for (MemberDescription m : described.members()) {
            assertEquals(2, m.assignment().topicPartitions().size(), m.toString());
            assertEquals(m.assignment().topicPartitions(), m.targetAssignment().orElseThrow().topicPartitions());
        }

        c.close();
        awaitSplit(topic, List.of(a, b), 3, 3);
        b.close();
        awaitSplit(topic, List.of(a), 6);
        assertEquals(List.of(), ledger.violations());
        for (ProtocolConsumer consumer : List.of(a, b, c)) {
            assertEquals(List.of(), consumer.failures(), consumer.name());
        }
    }

    @Test
    void aSilentMemberKeepsItsPartitionsUntilItsSessionTimesOut() throws Exception {
        String topic = uniqueTopic("silent");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        // a member that joins, is given every partition and then never heartbeats again (a crashed process)
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ConsumerGroupHeartbeatResponseData ghost = raw.request(new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(group).setMemberId("ghost").setMemberEpoch(0).setRebalanceTimeoutMs(60_000)
                    .setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of()), (short) 1,
                    ConsumerGroupHeartbeatResponse.class).data();
            assertEquals(6, ghost.assignment().topicPartitions().getFirst().partitions().size());
        }
        long silentSince = System.nanoTime();
        ProtocolConsumer a = start("a", group, topic, Map.of());
        Thread.sleep(3_000);
        assertEquals(Set.of(), a.owned(), "nothing the silent member still owns is given away before its session ends");
        awaitSplit(topic, List.of(a), 6);
        long ms = (System.nanoTime() - silentSince) / 1_000_000;
        assertTrue(ms >= 5_500, "taken over after " + ms + " ms, the session is 6 s");
        assertEquals(List.of(), a.failures());
    }

    @Test
    void aMemberThatDoesNotRevokeWithinItsRebalanceTimeoutIsFenced() throws Exception {
        String topic = uniqueTopic("stubborn");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ConsumerGroupHeartbeatResponseData joined = raw.request(new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(group).setMemberId("stubborn").setMemberEpoch(0).setRebalanceTimeoutMs(2_000)
                    .setSubscribedTopicNames(List.of(topic)).setTopicPartitions(List.of()), (short) 1,
                    ConsumerGroupHeartbeatResponse.class).data();
            List<ConsumerGroupHeartbeatRequestData.TopicPartitions> all = List.of(
                    new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                            .setTopicId(joined.assignment().topicPartitions().getFirst().topicId())
                            .setPartitions(List.of(0, 1, 2, 3, 4, 5)));
            ProtocolConsumer a = start("a", group, topic, Map.of());
            // the stubborn member keeps heartbeating (its session stays alive) but never gives anything up
            long deadline = System.nanoTime() + 10_000_000_000L;
            short error = 0;
            while (System.nanoTime() < deadline && error == 0) {
                error = raw.request(new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId("stubborn")
                        .setMemberEpoch(joined.memberEpoch()).setTopicPartitions(all), (short) 1,
                        ConsumerGroupHeartbeatResponse.class).data().errorCode();
                if (error == 0) {
                    assertEquals(Set.of(), a.owned(), "nothing the stubborn member holds goes to a meanwhile");
                }
                Thread.sleep(200);
            }
            assertEquals(org.apache.kafka.common.protocol.Errors.UNKNOWN_MEMBER_ID.code(), error,
                    "fenced after its 2 s rebalance timeout");
            awaitSplit(topic, List.of(a), 6);
            assertEquals(List.of(), a.failures());
        }
    }

    @Test
    void theRangeAssignorGivesContiguousRanges() throws Exception {
        String topic = uniqueTopic("range");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        Map<String, Object> range = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
        ProtocolConsumer a = start("a", group, topic, range);
        ProtocolConsumer b = start("b", group, topic, range);
        ProtocolConsumer c = start("c", group, topic, range);
        awaitSplit(topic, List.of(a, b, c), 2, 2, 2);
        Set<Set<Integer>> ranges = new HashSet<>();
        for (ProtocolConsumer m : List.of(a, b, c)) {
            TreeSet<Integer> partitions = new TreeSet<>();
            m.owned().forEach(tp -> partitions.add(tp.partition()));
            assertEquals(partitions.first() + 1, partitions.last(), "contiguous: " + partitions);
            ranges.add(partitions);
        }
        assertEquals(Set.of(Set.of(0, 1), Set.of(2, 3), Set.of(4, 5)), ranges);
        assertEquals("range", admin().describeConsumerGroups(List.of(group)).all().get().get(group).partitionAssignor());
        assertEquals(List.of(), ledger.violations());
    }

    @Test
    void anUnknownAssignorIsRefused() throws Exception {
        String topic = uniqueTopic("assignor");
        createTopic(topic, 1);
        ProtocolConsumer c = start("c", uniqueTopic("group"), topic,
                Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "cooperative-sticky"));
        await(() -> !c.failures().isEmpty(), SETTLE, "the consumer fails");
        assertInstanceOf(UnsupportedAssignorException.class, c.failures().getFirst(), c.failures().toString());
        assertTrue(c.failures().getFirst().getMessage().contains("uniform, range"), c.failures().getFirst().getMessage());
    }

    @Test
    void aStaticMemberRestartsWithItsPartitionsAndTheOthersKeepTheirs() throws Exception {
        String topic = uniqueTopic("static");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        ProtocolConsumer a = start("a", group, topic, Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a"));
        ProtocolConsumer b = start("b", group, topic, Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        awaitSplit(topic, List.of(a, b), 3, 3);
        Set<TopicPartition> aOwned = a.owned();
        Set<TopicPartition> bOwned = b.owned();
        int bRevocations = b.revocations();
        a.close();
        Thread.sleep(1_000); // b goes on heartbeating: nothing of a's moves to it
        assertEquals(bOwned, b.owned());

        ProtocolConsumer again = start("a-again", group, topic, Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a"));
        await(() -> again.owned().equals(aOwned), SETTLE, "the restarted static member gets its partitions back");
        assertEquals(bOwned, b.owned());
        assertEquals(bRevocations, b.revocations(), "b gave nothing up");
        assertTrue(!again.memberId().equals(a.memberId()), "a new member id");
        assertEquals(List.of(), ledger.violations());
        assertEquals(List.of(), again.failures());
    }

    @Test
    void aRegexSubscriptionPicksUpNewTopicsAndNewPartitions() throws Exception {
        String prefix = "rx" + uniqueTopic("").substring(1);
        String first = prefix + "-one";
        createTopic(first, 2);
        createTopic("other-" + prefix, 1);
        ProtocolConsumer c = new ProtocolConsumer("c", bootstrap(), uniqueTopic("group"),
                new SubscriptionPattern(prefix + "-.*"), ledger, Map.of());
        consumers.add(c);
        await(() -> c.owned().equals(all(first, 2)), SETTLE, "the matching topic's partitions");

        String second = prefix + "-two";
        createTopic(second, 3);
        Set<TopicPartition> both = new HashSet<>(all(first, 2));
        both.addAll(all(second, 3));
        await(() -> c.owned().equals(both), SETTLE, "the new matching topic's partitions");

        admin().createPartitions(Map.of(first, NewPartitions.increaseTo(4))).all().get();
        Set<TopicPartition> grown = new HashSet<>(all(first, 4));
        grown.addAll(all(second, 3));
        await(() -> c.owned().equals(grown), SETTLE, "the new partitions");
        assertEquals(List.of(), c.failures());
    }

    @Test
    void aClassicGroupAndAConsumerGroupSideBySide() throws Exception {
        String topic = uniqueTopic("side");
        createTopic(topic, 6);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(topic, i % 6, null, ("r" + i).getBytes()));
            }
            producer.flush();
        }
        String classicGroup = uniqueTopic("classic");
        String consumerGroup = uniqueTopic("consumer");
        try (GroupConsumer classic = new GroupConsumer(bootstrap(), classicGroup, List.of(topic), Map.of())) {
            ProtocolConsumer modern = start("modern", consumerGroup, topic, Map.of());
            await(() -> classic.records().size() == 30 && modern.records().size() == 30, SETTLE, "both read everything");
            Admin admin = admin();
            Map<String, GroupListing> listed = new java.util.HashMap<>();
            admin.listGroups().all().get().forEach(g -> listed.put(g.groupId(), g));
            assertEquals(GroupType.CLASSIC, listed.get(classicGroup).type().orElseThrow());
            assertEquals(GroupType.CONSUMER, listed.get(consumerGroup).type().orElseThrow());
            assertEquals("consumer", listed.get(consumerGroup).protocol());
            List<String> consumerOnly = admin.listGroups(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER)))
                    .all().get().stream().map(GroupListing::groupId).toList();
            assertTrue(consumerOnly.contains(consumerGroup) && !consumerOnly.contains(classicGroup), consumerOnly.toString());
            Map<String, ConsumerGroupDescription> both = admin.describeConsumerGroups(List.of(classicGroup, consumerGroup))
                    .all().get();
            assertEquals(GroupType.CLASSIC, both.get(classicGroup).type());
            assertEquals(1, both.get(classicGroup).members().size());
            assertEquals(GroupType.CONSUMER, both.get(consumerGroup).type());
            assertEquals(6, both.get(consumerGroup).members().iterator().next().assignment().topicPartitions().size());
        }
    }

    @Test
    void aClassicConsumerCannotJoinALiveConsumerGroupNorTheOtherWayRound() throws Exception {
        String topic = uniqueTopic("mixed");
        createTopic(topic, 2);
        String group = uniqueTopic("group");
        ProtocolConsumer modern = start("modern", group, topic, Map.of());
        await(() -> modern.owned().size() == 2, SETTLE, "the consumer group is stable");
        try (GroupConsumer classic = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            await(() -> !classic.failures().isEmpty(), SETTLE, "the classic consumer fails");
            assertInstanceOf(InconsistentGroupProtocolException.class, classic.failures().getFirst());
        }
        String classicGroup = uniqueTopic("classic");
        try (GroupConsumer classic = new GroupConsumer(bootstrap(), classicGroup, List.of(topic), Map.of())) {
            await(() -> classic.owned().size() == 2, SETTLE, "the classic group is stable");
            ProtocolConsumer intruder = start("intruder", classicGroup, topic, Map.of());
            await(() -> !intruder.failures().isEmpty(), SETTLE, "the consumer fails");
            assertTrue(intruder.failures().getFirst().getMessage().contains("is not a consumer group"),
                    intruder.failures().getFirst().toString());
        }
    }

    @Test
    void theAdminClientListsDescribesAndDeletesConsumerGroups() throws Exception {
        String topic = uniqueTopic("admin");
        createTopic(topic, 6);
        String group = uniqueTopic("group");
        ProtocolConsumer a = start("a", group, topic, Map.of());
        ProtocolConsumer b = start("b", group, topic, Map.of());
        awaitSplit(topic, List.of(a, b), 3, 3);
        a.commit();
        Admin admin = admin();
        java.util.Collection<GroupListing> stable = admin.listGroups(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER))
                .inGroupStates(Set.of(GroupState.STABLE))).all().get();
        assertTrue(stable.stream().anyMatch(g -> g.groupId().equals(group)), stable.toString());
        ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        assertEquals(Set.of(a.memberId(), b.memberId()),
                new HashSet<>(described.members().stream().map(MemberDescription::consumerId).toList()));
        assertTrue(described.groupEpoch().orElseThrow() >= 2);
        assertEquals(described.groupEpoch(), described.targetAssignmentEpoch());

        java.net.HttpURLConnection http = (java.net.HttpURLConnection) java.net.URI.create("http://127.0.0.1:"
                + broker.httpPort() + "/api/v1/groups/" + group).toURL().openConnection();
        assertEquals(200, http.getResponseCode());
        String body;
        try (java.io.InputStream in = http.getInputStream()) {
            body = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(body.contains("\"type\":\"consumer\"") && body.contains(a.memberId()) && body.contains(b.memberId())
                && body.contains("\"targetPartitions\""), body);

        ExecutionException notEmpty = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> admin.deleteConsumerGroups(List.of(group)).all().get());
        assertInstanceOf(GroupNotEmptyException.class, notEmpty.getCause());
        assertEquals(3, admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().size(),
                "a's three partitions were committed");

        a.close();
        b.close();
        await(() -> {
            try {
                return admin.describeConsumerGroups(List.of(group)).all().get().get(group).groupState() == GroupState.EMPTY;
            } catch (Exception e) {
                return false;
            }
        }, SETTLE, "the group is empty");
        admin.deleteConsumerGroups(List.of(group)).all().get();
        assertTrue(admin.listGroups().all().get().stream().noneMatch(g -> g.groupId().equals(group)));
    }
}
