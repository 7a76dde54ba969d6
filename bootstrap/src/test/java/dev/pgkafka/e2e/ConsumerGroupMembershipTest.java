package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.junit.jupiter.api.Test;

/**
 * Group membership with stock consumers: a crashed member is noticed by its session timeout, a static
 * member that restarts in time gets its partitions back without a rebalance, a duplicate static
 * instance is fenced, and many members joining and leaving at once settle with every partition owned once.
 */
class ConsumerGroupMembershipTest extends BrokerTestSupport {
    static final int PARTITIONS = 4;
    static final Duration SETTLE = Duration.ofSeconds(30);

    @Test
    void aCrashedMembersPartitionsAreHandedOverAfterItsSessionTimeout() throws Exception {
        String topic = uniqueTopic("crash");
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        try (GroupConsumer a = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of());
             GroupConsumer b = new GroupConsumer(bootstrap(), group, List.of(topic), Map.of())) {
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(List.of(a, b), topic, PARTITIONS), SETTLE, "two members");
            long crashedAt = System.nanoTime();
            a.crash();
            assertEquals(2, describe(group).members().size(), "no LeaveGroup: the broker still counts the crashed member");
            GroupConsumer.await(() -> b.owned().size() == PARTITIONS, SETTLE, "the survivor owning every partition");
            long tookMs = (System.nanoTime() - crashedAt) / 1_000_000;
            assertTrue(tookMs >= 2_000, "handed over by the session timeout (3 s), not a leave: " + tookMs + " ms");
            assertEquals(1, describe(group).members().size());
            assertEquals(List.of(), b.failures());
        }
    }

    @Test
    void aStaticMemberThatRestartsInTimeGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String topic = uniqueTopic("static");
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        Map<String, Object> longSession = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20_000);
        GroupConsumer a = new GroupConsumer(bootstrap(), group, List.of(topic), staticMember("instance-a", longSession));
        try (GroupConsumer b = new GroupConsumer(bootstrap(), group, List.of(topic),
                staticMember("instance-b", longSession))) {
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(List.of(a, b), topic, PARTITIONS), SETTLE, "two members");
            int generation = b.generation();
            int bRevocations = b.revocations();
            Set<TopicPartition> aOwned = a.owned();
            a.close(); // a static member does not leave the group on close

            try (GroupConsumer restarted = new GroupConsumer(bootstrap(), group, List.of(topic),
                    staticMember("instance-a", longSession))) {
                GroupConsumer.await(() -> restarted.owned().equals(aOwned), SETTLE, "the restarted member's partitions");
                assertEquals(generation, restarted.generation(), "same generation: no rebalance");
                Thread.sleep(1_000);
                assertEquals(generation, b.generation(), "the other member saw no rebalance");
                assertEquals(bRevocations, b.revocations(), "nothing was revoked from the other member");
                assertEquals(2, describe(group).members().size());
                assertEquals(List.of(), restarted.failures());
            }
            assertEquals(List.of(), b.failures());
        } finally {
            a.close();
        }
    }

    @Test
    void aDuplicateStaticInstanceFencesTheFirst() throws Exception {
        String topic = uniqueTopic("fenced");
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        try (GroupConsumer first = new GroupConsumer(bootstrap(), group, List.of(topic), staticMember("twin", Map.of()))) {
            GroupConsumer.await(() -> first.owned().size() == PARTITIONS, SETTLE, "the first instance");
            try (GroupConsumer second = new GroupConsumer(bootstrap(), group, List.of(topic),
                    staticMember("twin", Map.of()))) {
                GroupConsumer.await(() -> second.owned().size() == PARTITIONS, SETTLE, "the second instance taking over");
                GroupConsumer.await(() -> first.failures().stream().anyMatch(f -> f instanceof FencedInstanceIdException),
                        SETTLE, "the first instance to be fenced (FENCED_INSTANCE_ID)");
            }
        }
    }

    @Test
    void manyMembersJoiningAndLeavingAtOnceSettleWithEveryPartitionOwnedOnce() throws Exception {
        String topic = uniqueTopic("churn");
        String group = "group-" + topic;
        createTopic(topic, PARTITIONS);
        List<GroupConsumer> members = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                members.add(new GroupConsumer(bootstrap(), group, List.of(topic), Map.of()));
            }
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(members, topic, PARTITIONS)
                    && describe(group).members().size() == 6, SETTLE, "six members settling");
            // three leave and two join at the same moment
            List<Thread> churn = new ArrayList<>();
            for (GroupConsumer leaving : List.copyOf(members.subList(0, 3))) {
                members.remove(leaving);
                churn.add(Thread.ofVirtual().start(leaving::close));
            }
            for (int i = 0; i < 2; i++) {
                members.add(new GroupConsumer(bootstrap(), group, List.of(topic), Map.of()));
            }
            for (Thread t : churn) {
                t.join();
            }
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(members, topic, PARTITIONS)
                    && describe(group).members().size() == 5, SETTLE, "five members settling after the churn");
            // read the generation afresh each time: a further rebalance (a late leave) is legitimate
            GroupConsumer.await(() -> members.stream().map(GroupConsumer::generation).distinct().count() == 1
                    && GroupConsumer.ownExactlyOnce(members, topic, PARTITIONS), SETTLE,
                    "all members in one generation, owning every partition once");
            for (GroupConsumer m : members) {
                assertEquals(List.of(), m.failures(), "no consumer saw an error (e.g. UNKNOWN_MEMBER_ID)");
            }
        } finally {
            for (GroupConsumer m : members) {
                m.close();
            }
        }
    }

    private static Map<String, Object> staticMember(String instanceId, Map<String, Object> more) {
        Map<String, Object> m = new HashMap<>(more);
        m.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return m;
    }

    private Admin sharedAdmin;

    private ConsumerGroupDescription describe(String group) {
        if (sharedAdmin == null) {
            sharedAdmin = admin();
        }
        try {
            return sharedAdmin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (Exception e) {
            throw new AssertionError("describe " + group, e);
        }
    }
}
