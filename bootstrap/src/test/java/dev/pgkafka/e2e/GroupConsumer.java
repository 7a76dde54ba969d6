package dev.pgkafka.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A stock KafkaConsumer in a group, polling on its own thread (the consumer is single-threaded), as
 * an application runs it. The test reads what it owns and what it consumed; {@link #close()} leaves
 * the group, {@link #crash()} stops without a LeaveGroup, so the broker must notice the missing
 * heartbeats.
 */
final class GroupConsumer implements AutoCloseable {
    /** Settings that keep group tests quick: short sessions and heartbeats, a bounded rebalance timeout. */
    static Map<String, Object> quickGroupSettings() {
        Map<String, Object> m = new HashMap<>();
        m.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 3000);
        m.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 300);
        m.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 15_000);
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return m;
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> records = new ConcurrentLinkedQueue<>();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicInteger assignments = new AtomicInteger();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile Set<TopicPartition> owned = Set.of();
    private volatile int generation = -1;
    private volatile String memberId = "";
    private volatile boolean running = true;
    private volatile boolean commitAfterPoll;
    private volatile CloseOptions.GroupMembershipOperation onClose = CloseOptions.GroupMembershipOperation.DEFAULT;

    GroupConsumer(String bootstrap, String groupId, Collection<String> topics, Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.putAll(quickGroupSettings());
        p.putAll(overrides);
        consumer = new KafkaConsumer<>(p);
        List<String> subscription = List.copyOf(topics);
        thread = Thread.ofPlatform().name("group-consumer-" + groupId).daemon().start(() -> run(subscription));
    }

    private void run(List<String> topics) {
        try {
            consumer.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        revocations.incrementAndGet();
                    }
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignments.incrementAndGet();
                }
            });
            while (running) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                owned = Set.copyOf(consumer.assignment());
                generation = consumer.groupMetadata().generationId();
                memberId = consumer.groupMetadata().memberId();
                if (commitAfterPoll) {
                    consumer.commitSync();
                    commitAfterPoll = false;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                failures.add(e);
            }
        } catch (Throwable t) {
            failures.add(t);
        } finally {
            try {
                consumer.close(CloseOptions.groupMembershipOperation(onClose).withTimeout(Duration.ofSeconds(10)));
            } catch (Throwable t) {
                failures.add(t);
            }
        }
    }

    Set<TopicPartition> owned() {
        return owned;
    }

    int generation() {
        return generation;
    }

    String memberId() {
        return memberId;
    }

    int revocations() {
        return revocations.get();
    }

    int assignments() {
        return assignments.get();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return new ArrayList<>(records);
    }

    List<Throwable> failures() {
        return new ArrayList<>(failures);
    }

    /** Commits what was consumed so far at the next poll, and waits until it did. */
    void commit() throws InterruptedException {
        commitAfterPoll = true;
        await(() -> !commitAfterPoll, Duration.ofSeconds(20), "the commit");
    }

    /** Leaves the group (a dynamic member sends LeaveGroup; a static one stays) and closes. */
    @Override
    public void close() {
        stop(CloseOptions.GroupMembershipOperation.DEFAULT);
    }

    /** Stops as if the process died: no LeaveGroup, no more heartbeats. */
    void crash() {
        stop(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
    }

    private void stop(CloseOptions.GroupMembershipOperation operation) {
        if (!thread.isAlive()) {
            return;
        }
        onClose = operation;
        running = false;
        consumer.wakeup();
        try {
            thread.join(20_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Whether the consumers own the topic's partitions exactly once between them, each owning at least one when possible. */
    static boolean ownExactlyOnce(List<GroupConsumer> consumers, String topic, int partitions) {
        Map<Integer, Integer> owners = new HashMap<>();
        for (GroupConsumer c : consumers) {
            if (c.owned().isEmpty() && consumers.size() <= partitions) {
                return false;
            }
            for (TopicPartition tp : c.owned()) {
                if (!tp.topic().equals(topic)) {
                    return false;
                }
                owners.merge(tp.partition(), 1, Integer::sum);
            }
        }
        if (owners.size() != partitions) {
            return false;
        }
        return owners.values().stream().allMatch(n -> n == 1);
    }

}
