package dev.pgkafka.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures, with stock consumers using {@code group.protocol=consumer}, how long a group takes from a
 * new member's subscribe (its first heartbeat follows at once) until every member owns its share of
 * the new target assignment (6 partitions split evenly, each owned once): the group is fully reconciled
 * at the new epoch. Works against any broker, pgkafka or Kafka; the heartbeat interval is the broker's
 * ({@code group.consumer.heartbeat.interval.ms}).
 */
final class ReconciliationTimer {
    static final int PARTITIONS = 6;

    private ReconciliationTimer() {
    }

    /** Milliseconds from the subscribe of member {@code from + 1} until the {@code from + 1} members own their shares. */
    static long join(String bootstrap, String topic, int from) throws InterruptedException {
        String group = "reconcile-timer-" + System.nanoTime();
        OwnershipLedger ledger = new OwnershipLedger();
        List<ProtocolConsumer> members = new ArrayList<>();
        try {
            for (int i = 0; i < from; i++) {
                members.add(new ProtocolConsumer("m" + i, bootstrap, group, List.of(topic), ledger, Map.of()));
            }
            ProtocolConsumer.await(() -> reconciled(members, topic), Duration.ofSeconds(120), from + " members");
            long start = System.nanoTime();
            members.add(new ProtocolConsumer("m" + from, bootstrap, group, List.of(topic), ledger, Map.of()));
            ProtocolConsumer.await(() -> reconciled(members, topic), Duration.ofSeconds(120), (from + 1) + " members");
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (!ledger.violations().isEmpty()) {
                throw new AssertionError("partitions owned twice: " + ledger.violations());
            }
            return ms;
        } finally {
            for (ProtocolConsumer m : members) {
                m.close();
            }
        }
    }

    /** Every member owns exactly its even share and together they own every partition. */
    static boolean reconciled(List<ProtocolConsumer> members, String topic) {
        Set<TopicPartition> union = new HashSet<>();
        for (ProtocolConsumer m : members) {
            Set<TopicPartition> owned = m.owned();
            if (owned.size() != PARTITIONS / members.size()) {
                return false;
            }
            union.addAll(owned);
        }
        return union.size() == PARTITIONS;
    }

    /** Runs 1→2 and 2→3 {@code rounds} times each against {@code bootstrap}; returns a printable summary. */
    static String measure(String bootstrap, int rounds) throws Exception {
        String topic = "reconcile-timer-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        List<Long> second = new ArrayList<>();
        List<Long> third = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            second.add(join(bootstrap, topic, 1));
            third.add(join(bootstrap, topic, 2));
        }
        return String.format("%s: 1->2 members %s ms (median %d), 2->3 members %s ms (median %d)", bootstrap, second,
                RebalanceTimer.median(second), third, RebalanceTimer.median(third));
    }
}
