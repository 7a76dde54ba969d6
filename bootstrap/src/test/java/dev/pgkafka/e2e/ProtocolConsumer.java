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
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A stock KafkaConsumer with {@code group.protocol=consumer} (KIP-848) polling on its own thread.
 * Its rebalance callbacks report to an {@link OwnershipLedger}; the test reads what it owns.
 */
final class ProtocolConsumer implements AutoCloseable {
    private final String name;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final OwnershipLedger ledger;
    private final Thread thread;
    private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> records = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger revocations = new AtomicInteger();
    private volatile Set<TopicPartition> owned = Set.of();
    private volatile String memberId = "";
    private volatile int epoch = -1;
    private volatile boolean running = true;
    private volatile boolean commitAfterPoll;
    private volatile CloseOptions.GroupMembershipOperation onClose = CloseOptions.GroupMembershipOperation.DEFAULT;

    /** Subscribes to topic names. */
    ProtocolConsumer(String name, String bootstrap, String groupId, Collection<String> topics, OwnershipLedger ledger,
                     Map<String, Object> overrides) {
        this(name, bootstrap, groupId, List.copyOf(topics), null, ledger, overrides);
    }

    /** Subscribes to a regular expression the broker resolves (SubscriptionPattern). */
    ProtocolConsumer(String name, String bootstrap, String groupId, SubscriptionPattern pattern, OwnershipLedger ledger,
                     Map<String, Object> overrides) {
        this(name, bootstrap, groupId, null, pattern, ledger, overrides);
    }

    private ProtocolConsumer(String name, String bootstrap, String groupId, List<String> topics,
                             SubscriptionPattern pattern, OwnershipLedger ledger, Map<String, Object> overrides) {
        this.name = name;
        this.ledger = ledger;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 30_000);
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000);
        p.putAll(overrides);
        consumer = new KafkaConsumer<>(p);
        thread = Thread.ofPlatform().name("protocol-consumer-" + name).daemon().start(() -> run(topics, pattern));
    }

    static Map<String, Object> settings() {
        return new HashMap<>();
    }

    private void run(List<String> topics, SubscriptionPattern pattern) {
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    revocations.incrementAndGet();
                }
                partitions.forEach(tp -> ledger.released(name, tp));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> ledger.assigned(name, tp));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                partitions.forEach(tp -> ledger.released(name, tp));
            }
        };
        try {
            if (pattern != null) {
                consumer.subscribe(pattern, listener);
            } else {
                consumer.subscribe(topics, listener);
            }
            while (running) {
                consumer.poll(Duration.ofMillis(50)).forEach(records::add);
                owned = Set.copyOf(consumer.assignment());
                memberId = consumer.groupMetadata().memberId();
                epoch = consumer.groupMetadata().generationId();
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
            owned = Set.of();
        }
    }

    String name() {
        return name;
    }

    Set<TopicPartition> owned() {
        return owned;
    }

    String memberId() {
        return memberId;
    }

    int epoch() {
        return epoch;
    }

    int revocations() {
        return revocations.get();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return new ArrayList<>(records);
    }

    List<Throwable> failures() {
        return new ArrayList<>(failures);
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    /** Commits what was consumed so far at the next poll, and waits until it did. */
    void commit() throws InterruptedException {
        commitAfterPoll = true;
        await(() -> !commitAfterPoll, Duration.ofSeconds(20), "the commit of " + name);
    }

    /** Closes without leaving the group (a static member then keeps its partitions for its session). */
    void closeRemainingInGroup() throws InterruptedException {
        onClose = CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP;
        close();
    }

    @Override
    public void close() {
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
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
