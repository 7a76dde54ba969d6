package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stock consumers in a group with each of Kafka's client-side assignors: 1, 2 and 3 members on a
 * 4-partition topic own every partition exactly once; a member that closes hands its partitions over;
 * every record is consumed by the group.
 */
class ConsumerGroupAssignorsTest extends BrokerTestSupport {
    static final int PARTITIONS = 4;
    static final Duration SETTLE = Duration.ofSeconds(30);

    @ParameterizedTest
    @ValueSource(classes = {RangeAssignor.class, RoundRobinAssignor.class, StickyAssignor.class,
            CooperativeStickyAssignor.class})
    void oneTwoThreeMembersOwnEveryPartitionOnceAndAClosingMemberHandsOver(Class<?> assignor) throws Exception {
        String topic = uniqueTopic("assign-" + assignor.getSimpleName());
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        Map<String, Object> settings = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, assignor.getName());
        List<GroupConsumer> members = new ArrayList<>();
        try {
            for (int n = 1; n <= 3; n++) {
                members.add(new GroupConsumer(bootstrap(), group, List.of(topic), settings));
                List<GroupConsumer> current = List.copyOf(members);
                GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(current, topic, PARTITIONS), SETTLE,
                        n + " member(s) owning the " + PARTITIONS + " partitions once");
            }
            // a cooperative rebalance takes two rounds: members may briefly sit in different generations
            GroupConsumer.await(() -> members.stream().map(GroupConsumer::generation).distinct().count() == 1
                            && GroupConsumer.ownExactlyOnce(members, topic, PARTITIONS), SETTLE,
                    "all members in one generation");

            KafkaProducer<byte[], byte[]> producer = producer(Map.of());
            Set<String> sent = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                String value = "v" + i;
                sent.add(value);
                producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();

            GroupConsumer leaving = members.removeFirst();
            leaving.close();
            List<GroupConsumer> remaining = List.copyOf(members);
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(remaining, topic, PARTITIONS), SETTLE,
                    "the two remaining members taking over the partitions of the one that left");
            GroupConsumer.await(() -> consumedValues(members, leaving).containsAll(sent), SETTLE,
                    "every record consumed by the group");
            for (GroupConsumer m : members) {
                assertEquals(List.of(), m.failures(), "consumer failures");
            }
            assertEquals(List.of(), leaving.failures(), "consumer failures");
        } finally {
            for (GroupConsumer m : members) {
                m.close();
            }
        }
    }

    private static Set<String> consumedValues(List<GroupConsumer> members, GroupConsumer left) {
        Set<String> values = new HashSet<>();
        List<GroupConsumer> all = new ArrayList<>(members);
        all.add(left);
        for (GroupConsumer m : all) {
            for (ConsumerRecord<byte[], byte[]> r : m.records()) {
                values.add(new String(r.value(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
