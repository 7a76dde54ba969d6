package dev.pgkafka.e2e;

import static dev.pgkafka.e2e.ProtocolConsumer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/**
 * A consumer group (KIP-848) survives a kill -9 of the broker: the restarted broker restores it from
 * PostgreSQL, and its stable members carry on with the same epochs and partitions, nothing revoked.
 */
class ConsumerProtocolRestartTest extends WithOwnDatabase {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final String[] ARGS = {"--group-consumer-session-timeout-ms", "30000",
            "--group-consumer-heartbeat-interval-ms", "300"};
    @Test
    void aStableGroupKeepsItsAssignmentAcrossAKill9() throws Exception {
        int port = BrokerProcess.freePort();
        String bootstrap = "127.0.0.1:" + port;
        String topic = "restart-" + System.nanoTime();
        String group = "group-" + topic;
        OwnershipLedger ledger = new OwnershipLedger();
        List<ProtocolConsumer> members = new ArrayList<>();
        BrokerProcess first = BrokerProcess.startOnPort(port, jdbcUrl, ARGS);
        BrokerProcess second = null;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            for (String name : List.of("a", "b", "c")) {
                members.add(new ProtocolConsumer(name, bootstrap, group, List.of(topic), ledger, Map.of()));
            }
            await(() -> members.stream().allMatch(m -> m.owned().size() == 2), SETTLE, "three members with two each");
            Thread.sleep(1_000); // a few heartbeats at the stable epoch
            List<Set<TopicPartition>> owned = members.stream().map(ProtocolConsumer::owned).toList();
            List<Integer> epochs = members.stream().map(ProtocolConsumer::epoch).toList();
            List<Integer> revocations = members.stream().map(ProtocolConsumer::revocations).toList();
            ConsumerGroupDescription before = admin.describeConsumerGroups(List.of(group)).all().get().get(group);

            first.kill();
            second = BrokerProcess.startOnPort(port, jdbcUrl, ARGS);

            send(bootstrap, topic, 60);
            await(() -> members.stream().mapToInt(m -> m.records().size()).sum() >= 60, SETTLE,
                    "the members consuming after the restart");
            Thread.sleep(1_000);
            assertEquals(owned, members.stream().map(ProtocolConsumer::owned).toList(), "nobody's partitions moved");
            assertEquals(epochs, members.stream().map(ProtocolConsumer::epoch).toList(), "the same member epochs");
            assertEquals(revocations, members.stream().map(ProtocolConsumer::revocations).toList(), "nothing revoked");
            ConsumerGroupDescription after = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            assertEquals(GroupState.STABLE, after.groupState());
            assertEquals(before.groupEpoch(), after.groupEpoch(), "no new group epoch");
            Set<TopicPartition> consumedFrom = new HashSet<>();
            members.forEach(m -> m.records().forEach(r -> consumedFrom.add(new TopicPartition(r.topic(), r.partition()))));
            assertEquals(6, consumedFrom.size());
            assertEquals(List.of(), ledger.violations());
            for (ProtocolConsumer m : members) {
                assertEquals(List.of(), m.failures(), m.name());
            }
            assertEquals(true, second.output().contains("loaded 1 consumer group(s) with 3 member(s)"), second.output());
        } finally {
            for (ProtocolConsumer m : members) {
                m.close();
            }
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private static void send(String bootstrap, String topic, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap,
                "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"))) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % 6, null, ("v" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }
}
