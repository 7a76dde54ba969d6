package dev.pgkafka.domain.group.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.regex.JdkRegexEngine;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Random interleavings of joins, heartbeats (some of whose answers are lost), leaves, static leaves
 * and rejoins, and partitions added to topics. After every step no partition is owned by two clients,
 * nor by two members in the coordinator's view; once the clients just heartbeat, the group becomes
 * stable with every partition assigned once and the counts within one. The seed is in every failure.
 */
class ConsumerGroupPropertyTest {
    private static final int RUNS = 300;

    @Test
    void noPartitionIsEverOwnedTwiceAndTheGroupConverges() {
        for (int run = 0; run < RUNS; run++) {
            long seed = 7_919L * run + 13;
            try {
                runOnce(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void runOnce(Random random) {
        List<Topic> topics = new ArrayList<>();
        int topicCount = 1 + random.nextInt(3);
        for (int t = 0; t < topicCount; t++) {
            topics.add(new Topic(new UUID(7, t), "t" + t, 1 + random.nextInt(12), Map.of()));
        }
        TopicImage image = new TopicImage(topics);
        List<String> names = topics.stream().map(Topic::name).toList();
        ConsumerGroup group = new ConsumerGroup("g", new ConsumerGroupConfig(1_000_000, 1_000, 100), JdkRegexEngine.INSTANCE);
        List<Client> clients = new ArrayList<>();
        int clientCount = 1 + random.nextInt(5);
        for (int c = 0; c < clientCount; c++) {
            String instanceId = random.nextInt(3) == 0 ? "instance-" + c : null;
            Client client = new Client("m" + c + "-" + random.nextInt(1000), instanceId, names);
            client.assignor = random.nextInt(4) == 0 ? "range" : null;
            clients.add(client);
        }
        boolean[] inGroup = new boolean[clientCount];
        ConsumerGroupSnapshot stored = group.snapshot();
        group.takeChanges();
        int restarts = 0;
        long now = 0;
        for (int step = 0; step < 200; step++) {
            int c = random.nextInt(clientCount);
            Client client = clients.get(c);
            int op = random.nextInt(20);
            if (!inGroup[c]) {
                if (op < 10) {
                    if (client.join(group, image, now).result().error() == dev.pgkafka.domain.error.ErrorCode.NONE) {
                        inGroup[c] = true;
                    }
                }
            } else if (op == 0) {
                client.leave(group, image, now);
                inGroup[c] = false;
                if (client.instanceId != null) {
                    // the static member comes back as a new process with a new member id, or as the same one
                    String id = random.nextBoolean() ? client.memberId : client.memberId + "-r" + restarts++;
                    Client successor = new Client(id, client.instanceId, names);
                    successor.assignor = client.assignor;
                    clients.set(c, successor);
                }
            } else if (op == 1) {
                client.heartbeatLost(group, image, now);
            } else if (op == 2 && step < 150) {
                int t = random.nextInt(topics.size());
                Topic old = topics.get(t);
                topics.set(t, new Topic(old.id(), old.name(), old.partitionCount() + 1 + random.nextInt(3), Map.of()));
                image = new TopicImage(topics);
            } else {
                client.heartbeat(group, image, now);
            }
            now++;
            checkDisjoint(clients, group);
            stored = checkChanges(group, stored);
        }
        // everyone (static members' successors included) comes back and just heartbeats
        for (int c = 0; c < clientCount; c++) {
            if (!inGroup[c]) {
                assertEquals(dev.pgkafka.domain.error.ErrorCode.NONE, clients.get(c).join(group, image, now++).result().error());
                inGroup[c] = true;
                checkDisjoint(clients, group);
            }
        }
        for (int round = 0; round < 20 && group.state() != ConsumerGroupState.STABLE; round++) {
            for (int c = 0; c < clientCount; c++) {
                Client client = clients.get(c);
                if (!inGroup[c]) {
                    continue;
                }
                client.heartbeat(group, image, now++);
                checkDisjoint(clients, group);
            }
        }
        for (int c = 0; c < clientCount; c++) {
            if (inGroup[c]) {
                clients.get(c).heartbeat(group, image, now++);
            }
        }
        long members = group.members().stream().filter(m -> m.memberEpoch() >= 0).count();
        if (members == 0) {
            return;
        }
        assertEquals(ConsumerGroupState.STABLE, group.state(), "the group settles");
        int total = topics.stream().mapToInt(Topic::partitionCount).sum();
        Map<TopicIdPartition, String> owner = new HashMap<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (ConsumerGroupMember m : group.members()) {
            int n = TopicPartitions.count(m.assignedPartitions());
            min = Math.min(min, n);
            max = Math.max(max, n);
            assertEquals(group.targetOf(m.memberId()), m.assignedPartitions(), "reconciled to its target");
            m.assignedPartitions().forEach((t, ps) -> ps.forEach(p -> owner.put(new TopicIdPartition(t, p), m.memberId())));
        }
        assertEquals(total, owner.size(), "every partition is assigned");
        assertTrue(max - min <= 1 || group.members().stream().anyMatch(m -> "range".equals(m.serverAssignor())),
                "balanced within one: " + min + ".." + max);
    }

    /** Storing only the changes gives what storing the whole group would. */
    private static ConsumerGroupSnapshot checkChanges(ConsumerGroup group, ConsumerGroupSnapshot stored) {
        ConsumerGroupSnapshot updated = group.takeChanges().applyTo(stored);
        assertEquals(group.snapshot(), updated, "the stored changes");
        return updated;
    }

    private static void checkDisjoint(List<Client> clients, ConsumerGroup group) {
        Map<TopicIdPartition, String> byClient = new HashMap<>();
        for (Client c : clients) {
            c.owned.forEach((t, ps) -> ps.forEach(p -> {
                String previous = byClient.put(new TopicIdPartition(t, p), c.memberId);
                if (previous != null) {
                    fail(t + "-" + p + " is owned by clients " + previous + " and " + c.memberId);
                }
            }));
        }
        Map<TopicIdPartition, String> byMember = new HashMap<>();
        for (ConsumerGroupMember m : group.members()) {
            m.ownedPartitions().forEach((t, ps) -> ps.forEach(p -> {
                String previous = byMember.put(new TopicIdPartition(t, p), m.memberId());
                if (previous != null) {
                    fail(t + "-" + p + " is owned by members " + previous + " and " + m.memberId());
                }
            }));
        }
        byClient.forEach((tp, memberId) -> {
            Set<Integer> held = group.members().stream().filter(m -> m.memberId().equals(memberId)).findFirst()
                    .map(m -> m.ownedPartitions().getOrDefault(tp.topicId(), Set.of())).orElse(Set.of());
            assertTrue(held.contains(tp.partition()), "client " + memberId + " owns " + tp + " unknown to the coordinator");
        });
    }
}
