package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Abuse of the request memory, with real sockets against a broker whose requests may hold
 * {@value #BUDGET} bytes (queued.max.request.bytes): a thousand connections that each announce a
 * 100 MiB request and send nothing, and connections that send large requests half-way. The broker's
 * heap stays within the budget plus a margin for the connections themselves, and stock clients that
 * connect during the attack are served. (Before the budget, the first attack grew the broker by
 * gigabytes and new clients got no answer.)
 *
 * <p>Each attacking connection costs this JVM two file descriptors (client and broker side): 2,000
 * of the limit, which is 20,000 on our machines; with a lower {@code ulimit -n} the attack shrinks to
 * what fits, and says so.
 */
class MemoryAbuseTest extends BrokerTestSupport {
    private static final long BUDGET = 32L * 1024 * 1024;
    private static final int ANNOUNCED = 100 * 1024 * 1024;
    /**
     * What a connection costs besides its requests' buffers (its two virtual threads, socket, queue,
     * objects; this JVM's client sockets too): measured at about 6 KiB, allowed 32 KiB each.
     */
    private static final long MARGIN_PER_CONNECTION = 32 * 1024;
    /** How long the stock clients may take for each step while the broker is under attack. */
    private static final Duration BOUND = Duration.ofSeconds(15);

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withProperties(Map.of("queued.max.request.bytes", String.valueOf(BUDGET)));
    }

    @Test
    void aThousandSilentHundredMebibyteRequestsCostNoMemoryAndNewClientsAreServed() throws Exception {
        String topic = uniqueTopic("silent-attack");
        createTopic(topic, 1);
        int attackers = attackersThatFit(1_000);
        KafkaProducer<byte[], byte[]> working = producer(Map.of());
        working.send(new ProducerRecord<>(topic, new byte[100])).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        long before = usedHeapAfterGc();
        List<SocketChannel> attack = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < attackers; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", broker.kafkaPort()));
                c.write(ByteBuffer.allocate(4).putInt(ANNOUNCED).flip());
                attack.add(c);
            }
            System.out.printf("MemoryAbuseTest: %d connections announced %d MiB each in %d ms%n", attackers,
                    ANNOUNCED >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            awaitConnections(attackers);

            // a producer that was working before the attack goes on, and new clients are served
            long sentAt = System.nanoTime();
            working.send(new ProducerRecord<>(topic, new byte[100])).get(BOUND.toSeconds(), TimeUnit.SECONDS);
            System.out.printf("MemoryAbuseTest: a running producer's record acknowledged during the attack in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt));
            clientsAreServed(topic, "during the silent attack", 2);

            assertTrue(broker.kafkaConnectionCount() >= attackers, "the attack is still on while we measure");
            long grown = usedHeapAfterGc() - before;
            System.out.printf("MemoryAbuseTest: heap grew by %.1f MiB with %d silent connections open%n",
                    grown / 1048576.0, attackers);
            assertTrue(grown < BUDGET + attackers * MARGIN_PER_CONNECTION,
                    "heap grew by " + grown + " bytes with " + attackers + " connections");
            assertEquals(0, broker.requestBytesInUse(), "a request that sent nothing holds nothing");
        } finally {
            closeAll(attack);
        }
    }

    @Test
    void halfSentRequestsHoldAtMostTheBudgetAndSmallRequestsAreStillServed() throws Exception {
        String topic = uniqueTopic("half-sent");
        createTopic(topic, 1);
        int attackers = 16;
        int sent = 4 * 1024 * 1024; // 64 MiB offered in all, twice the budget
        ByteBuffer body = ByteBuffer.allocate(sent); // one array for all attackers: this JVM's heap is measured
        long before = usedHeapAfterGc();
        List<SocketChannel> attack = new ArrayList<>();
        try {
            for (int i = 0; i < attackers; i++) {
                SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", broker.kafkaPort()));
                attack.add(c);
                // the broker stops reading them when the budget is spent, so their writes block: one thread each
                Thread.ofVirtual().start(() -> {
                    try {
                        c.write(ByteBuffer.allocate(4).putInt(ANNOUNCED).flip());
                        c.write(body.duplicate());
                    } catch (IOException closedByTheTest) {
                        // the test ends the attack by closing the socket
                    }
                });
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            // growing frames may use 7/8 of the budget; doubling buffers leave some of that unused
            while (broker.requestBytesInUse() < BUDGET * 3 / 4 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(broker.requestBytesInUse() >= BUDGET * 3 / 4,
                    "the attack spent the budget: " + broker.requestBytesInUse());

            // small requests (each below the first 8 KiB buffer) live on the eighth kept for them
            clientsAreServed(topic, "while half-sent requests hold the budget", 0);

            long inUse = broker.requestBytesInUse();
            long grown = usedHeapAfterGc() - before;
            System.out.printf("MemoryAbuseTest: %d half-sent requests hold %.1f MiB of the %d MiB budget; heap grew by "
                    + "%.1f MiB%n", attackers, inUse / 1048576.0, BUDGET >> 20, grown / 1048576.0);
            // one frame may overdraw, by at most twice what it received
            assertTrue(inUse <= BUDGET + 2L * sent, "requests hold " + inUse + " bytes");
            assertTrue(grown < BUDGET + 2L * sent + attackers * MARGIN_PER_CONNECTION + (8L << 20),
                    "heap grew by " + grown + " bytes");
        } finally {
            closeAll(attack);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (broker.requestBytesInUse() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, broker.requestBytesInUse(), "closed connections gave their memory back");
    }

    /**
     * A producer, a consumer and an admin client created now each get their answers within
     * {@link #BOUND}; the consumer reads the producer's 20 records after the {@code earlier} ones.
     */
    private void clientsAreServed(String topic, String when, int earlier) throws Exception {
        long start = System.nanoTime();
        try (Admin admin = admin(); KafkaProducer<byte[], byte[]> producer = producer(Map.of());
             KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
            assertTrue(admin.listTopics().names().get(BOUND.toSeconds(), TimeUnit.SECONDS).contains(topic), when);
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), new byte[100]))
                        .get(BOUND.toSeconds(), TimeUnit.SECONDS);
            }
            List<ConsumerRecord<byte[], byte[]>> read = readAll(consumer, List.of(new TopicPartition(topic, 0)),
                    earlier + 20, BOUND);
            assertEquals(earlier + 20, read.size(), when);
        }
        System.out.printf("MemoryAbuseTest: new clients served %s in %d ms%n", when,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private void awaitConnections(int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (broker.kafkaConnectionCount() < atLeast && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(broker.kafkaConnectionCount() >= atLeast, "accepted " + broker.kafkaConnectionCount());
    }

    /** The wanted number of attacking connections, or fewer when this JVM's descriptor limit is lower (Linux). */
    private static int attackersThatFit(int wanted) throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            return wanted;
        }
        long max = Files.readAllLines(limits).stream().filter(l -> l.startsWith("Max open files"))
                .map(l -> l.substring("Max open files".length()).trim().split("\\s+")[0])
                .filter(v -> v.matches("\\d+")).mapToLong(Long::parseLong).findFirst().orElse(Long.MAX_VALUE);
        long open;
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            open = fds.count();
        }
        long free = max - open - 500;
        if (free >= 2L * wanted) {
            return wanted;
        }
        int fit = (int) Math.max(100, free / 2);
        System.out.printf("MemoryAbuseTest: ulimit -n (%d) allows %d attacking connections, not %d%n", max, fit, wanted);
        return fit;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void closeAll(List<SocketChannel> channels) {
        for (SocketChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
