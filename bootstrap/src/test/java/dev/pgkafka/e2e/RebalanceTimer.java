package dev.pgkafka.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Measures how long a rebalance takes with stock consumers, from the moment the joining members
 * start until every partition is owned exactly once by the members: against pgkafka in the tests, and
 * against any broker (e.g. Kafka itself) with {@link #main}.
 */
final class RebalanceTimer {
    private RebalanceTimer() {
    }

    /** Consumer settings: the tests' short heartbeat, or Kafka's defaults. */
    static Map<String, Object> settings(boolean kafkaDefaults) {
        Map<String, Object> m = new HashMap<>();
        if (kafkaDefaults) {
            m.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 45_000);
            m.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 3_000);
            m.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 300_000);
        }
        return m;
    }

    /** Three members start at once on an empty group: milliseconds until the partitions are owned once. */
    static long threeMembersStartTogether(String bootstrap, String topic, int partitions, Map<String, Object> settings)
            throws InterruptedException {
        String group = "rebalance-timer-" + System.nanoTime();
        List<GroupConsumer> members = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < 3; i++) {
                members.add(new GroupConsumer(bootstrap, group, List.of(topic), settings));
            }
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(members, topic, partitions), Duration.ofSeconds(60),
                    "three members owning the partitions");
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            members.forEach(GroupConsumer::close);
        }
    }

    /** A third member joins a stable group of two: milliseconds until the three own the partitions once. */
    static long thirdMemberJoins(String bootstrap, String topic, int partitions, Map<String, Object> settings)
            throws InterruptedException {
        String group = "rebalance-timer-" + System.nanoTime();
        List<GroupConsumer> members = new ArrayList<>();
        try {
            members.add(new GroupConsumer(bootstrap, group, List.of(topic), settings));
            members.add(new GroupConsumer(bootstrap, group, List.of(topic), settings));
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(members, topic, partitions), Duration.ofSeconds(60),
                    "two members");
            long start = System.nanoTime();
            members.add(new GroupConsumer(bootstrap, group, List.of(topic), settings));
            GroupConsumer.await(() -> GroupConsumer.ownExactlyOnce(members, topic, partitions), Duration.ofSeconds(60),
                    "three members");
            return (System.nanoTime() - start) / 1_000_000;
        } finally {
            members.forEach(GroupConsumer::close);
        }
    }

    /**
     * {@code RebalanceTimer BOOTSTRAP TOPIC PARTITIONS ROUNDS}: prints the median of each scenario with
     * the tests' heartbeat (300 ms) and with Kafka's defaults (3 s), e.g. against Kafka for comparison.
     */
    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        int partitions = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        for (boolean defaults : new boolean[] {false, true}) {
            Map<String, Object> s = new HashMap<>(GroupConsumer.quickGroupSettings());
            // Kafka refuses sessions under its group.min.session.timeout.ms (6 s)
            s.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
            s.putAll(settings(defaults));
            List<Long> together = new ArrayList<>();
            List<Long> third = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                together.add(threeMembersStartTogether(bootstrap, topic, partitions, s));
                third.add(thirdMemberJoins(bootstrap, topic, partitions, s));
            }
            System.out.printf("%s heartbeat %s: 3 start together %s ms (median %d), third joins %s ms (median %d)%n",
                    bootstrap, defaults ? "3000 ms (Kafka default)" : "300 ms", together, median(together), third,
                    median(third));
        }
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        return sorted.get(sorted.size() / 2);
    }
}
