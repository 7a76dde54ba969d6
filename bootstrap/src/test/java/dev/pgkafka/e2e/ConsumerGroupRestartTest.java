package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgkafka.bootstrap.Broker;
import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * A broker restart loses nothing of a group: its members carry on in the same generation with the
 * same partitions (the group was restored from PostgreSQL), and a new member resumes from the offsets
 * committed before the restart.
 */
class ConsumerGroupRestartTest extends BrokerTestSupport {
    static final int PARTITIONS = 4;
    static final Duration SETTLE = Duration.ofSeconds(30);
    private final int port = freePort();

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        // the same port before and after the restart, so running clients find the broker again
        return testOptions(jdbcUrl, true).withKafkaPort(port);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "rebootstrap"})
    void membersCarryOnAndCommittedOffsetsSurviveABrokerRestart(String metadataRecovery) throws Exception {
        String topic = uniqueTopic("restart");
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        // The session outlives the restart. Without metadata recovery the clients keep their metadata while the
        // only broker is away and simply carry on; with it (the client's default) a client that rebootstraps
        // sees its topic without partitions for a moment and rejoins the group under its member id, which the
        // restored group knows.
        boolean carryOn = metadataRecovery.equals("none");
        Map<String, Object> survivesRestart = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000,
                CommonClientConfigs.METADATA_RECOVERY_STRATEGY_CONFIG, metadataRecovery);
        send(topic, 0, 20);
        GroupConsumer a = new GroupConsumer(bootstrap(), group, List.of(topic), survivesRestart);
        GroupConsumer b = new GroupConsumer(bootstrap(), group, List.of(topic), survivesRestart);
        try {
            // a partition may be read twice when it moves before anything is committed: count distinct values
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(List.of(a, b), topic, PARTITIONS)
                    && consumed(a, b).size() == 20, SETTLE, "two members consuming 20 records");
            // commit until every partition's offset is stored (a member commits only positions it has fetched from)
            Admin admin = admin();
            GroupConsumer.await(() -> {
                try {
                    a.commit();
                    b.commit();
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata().get();
                    return committed.size() == PARTITIONS && committed.values().stream().allMatch(o -> o.offset() == 5);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, SETTLE, "offset 5 committed for every partition");
            int generation = a.generation();
            String aMember = a.memberId();
            String bMember = b.memberId();
            Set<TopicPartition> aOwned = a.owned();
            int revocations = a.revocations() + b.revocations();

            broker.close();
            broker = Broker.start(options(jdbcUrl));

            send(topic, 20, 20);
            GroupConsumer.await(() -> consumed(a, b).size() == 40, SETTLE, "the members consuming after the restart");
            assertEquals(aMember, a.memberId(), "the restored group knows its members");
            assertEquals(bMember, b.memberId());
            if (carryOn) {
                assertEquals(generation, a.generation(), "no rebalance: the group was restored");
                assertEquals(generation, b.generation());
                assertEquals(aOwned, a.owned());
                assertEquals(revocations, a.revocations() + b.revocations(), "nothing was revoked");
            } else {
                GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(List.of(a, b), topic, PARTITIONS), SETTLE,
                        "the members owning the partitions once after rejoining");
            }
            assertEquals(List.of(), a.failures());
            assertEquals(List.of(), b.failures());
        } finally {
            // leave without committing what was read after the restart
            a.close();
            b.close();
        }
        try (GroupConsumer c = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            GroupConsumer.await(() -> c.records().size() >= 20, SETTLE, "a new member resuming from the commit");
            Thread.sleep(500);
            Set<String> values = new TreeSet<>();
            for (ConsumerRecord<byte[], byte[]> r : c.records()) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
            Set<String> expected = new TreeSet<>();
            for (int i = 20; i < 40; i++) {
                expected.add("v" + i);
            }
            assertEquals(expected, values, "exactly the records after the commit made before the restart");
            assertEquals(20, c.records().size());
        }
    }

    private static Set<String> consumed(GroupConsumer... members) {
        Set<String> values = new TreeSet<>();
        for (GroupConsumer m : members) {
            m.records().forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
        }
        return values;
    }

    private void send(String topic, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap(),
                "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"))) {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (int i = from; i < from + count; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null,
                        ("v" + i).getBytes(StandardCharsets.UTF_8))));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
