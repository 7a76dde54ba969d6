package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterClientQuotasOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.Test;

/**
 * Client quotas with stock kafka-clients: the Admin API round trip and Kafka's refusals, then each kind
 * of quota throttling real clients the way Kafka does (KIP-219: answers carry the throttle time, which
 * the Java clients report as {@code produce-throttle-time-*} and {@code fetch-throttle-time-*}).
 * Quotas are set per client id so the tests do not limit each other. Rates are measured on this busy
 * 2-core machine, so the assertions leave room for a slow moment without letting a broken quota pass.
 */
class ClientQuotasTest extends BrokerTestSupport {
    private static final int MB = 1024 * 1024;

    @Test
    void theAdminApiSetsDescribesAndRemovesQuotasAsKafkaDoes() throws Exception {
        Admin admin = admin();
        ClientQuotaEntity alice = entity("user", "alice");
        ClientQuotaEntity aliceApps = entity("user", "alice", "client-id", null);
        ClientQuotaEntity anyIp = entity("ip", null);
        admin.alterClientQuotas(List.of(
                new ClientQuotaAlteration(alice, List.of(op("producer_byte_rate", 1048576.0), op("request_percentage", 50.0))),
                new ClientQuotaAlteration(aliceApps, List.of(op("consumer_byte_rate", 2048.0))),
                new ClientQuotaAlteration(anyIp, List.of(op("connection_creation_rate", 100.0))))).all().get(30, TimeUnit.SECONDS);

        assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1048576.0, "request_percentage", 50.0)),
                describe(admin, ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))));
        assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1048576.0, "request_percentage", 50.0),
                        aliceApps, Map.of("consumer_byte_rate", 2048.0)),
                describe(admin, ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity("user", "alice")))));
        assertEquals(Map.of(aliceApps, Map.of("consumer_byte_rate", 2048.0)), describe(admin, ClientQuotaFilter.contains(
                List.of(ClientQuotaFilterComponent.ofDefaultEntity("client-id")))));
        assertEquals(Map.of(anyIp, Map.of("connection_creation_rate", 100.0)), describe(admin, ClientQuotaFilter.contains(
                List.of(ClientQuotaFilterComponent.ofEntityType("ip")))));

        // validate only changes nothing; a null value removes a key
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice, List.of(op("producer_byte_rate", 1.0)))),
                new AlterClientQuotasOptions().validateOnly(true)).all().get(30, TimeUnit.SECONDS);
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice, List.of(op("request_percentage", null))),
                new ClientQuotaAlteration(aliceApps, List.of(op("consumer_byte_rate", null))),
                new ClientQuotaAlteration(anyIp, List.of(op("connection_creation_rate", null))))).all().get(30, TimeUnit.SECONDS);
        ClientQuotaFilter alicesAndIps = ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity("user",
                "alice")));
        assertEquals(Map.of(alice, Map.of("producer_byte_rate", 1048576.0)), describe(admin, alicesAndIps));
        assertEquals(Map.of(), describe(admin, ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType(
                "ip")))));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(alice, List.of(op("producer_byte_rate", null)))))
                .all().get(30, TimeUnit.SECONDS);
        assertEquals(Map.of(), describe(admin, alicesAndIps));
        assertTrue(describe(admin, ClientQuotaFilter.all()).keySet().stream().noneMatch(e -> e.entries().containsKey("user")),
                "no user quota left (the other tests set client-id quotas only)");
    }

    @Test
    void refusalsAreKafkasExceptionsAndMessages() {
        Admin admin = admin();
        assertRefused(admin, entity("ip", "10.0.0.1", "user", "alice"), op("connection_creation_rate", 5.0),
                "Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId");
        assertRefused(admin, entity("ip", "not an address"), op("connection_creation_rate", 5.0),
                "not an address is not a valid IP or resolvable host.");
        assertRefused(admin, entity("user", "alice"), op("producer_rate", 5.0), "Invalid configuration key producer_rate");
        assertRefused(admin, entity("user", "alice"), op("consumer_byte_rate", -1.0),
                "Quota consumer_byte_rate must be greater than 0");
        assertRefused(admin, entity("client-id", "x"), op("producer_byte_rate", 10.5),
                "producer_byte_rate cannot be a fractional value.");
        ExecutionException filter = assertThrows(ExecutionException.class, () -> admin.describeClientQuotas(
                ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("ip"),
                        ClientQuotaFilterComponent.ofEntityType("user")))).entities().get(30, TimeUnit.SECONDS));
        assertInstanceOf(InvalidRequestException.class, filter.getCause());
        ExecutionException custom = assertThrows(ExecutionException.class, () -> admin.describeClientQuotas(
                ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType("group"))))
                .entities().get(30, TimeUnit.SECONDS));
        assertInstanceOf(UnsupportedVersionException.class, custom.getCause());
        assertEquals("Unsupported entity type group", custom.getCause().getMessage());
    }

    /**
     * The promise: a producer capped at 1 MB/s measures within 15% of 1 MB/s over 30 s, while an
     * uncapped producer on the same broker is not slowed. Both send as fast as they can; the capped one's
     * rate is its bytes on the wire (what its quota counts). The uncapped one is measured alone before and
     * after, and beside the capped one: it is never throttled, and keeps at least half of its slower solo
     * rate (on this 2-core machine the two share one broker and one PostgreSQL, so some of it goes to the
     * capped one's megabyte per second, and other builds come and go).
     */
    @Test
    void aProducerCappedAtOneMegabytePerSecondIsHeldThereAndAnUncappedOneIsNotSlowed() throws Exception {
        setQuota(entity("client-id", "capped-producer"), "producer_byte_rate", MB);
        String topic = uniqueTopic("capped");
        createTopic(topic, 1);
        // small buffers: a sender blocks instead of queueing megabytes that closing would have to wait for
        KafkaProducer<byte[], byte[]> capped = producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "capped-producer",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 2 * MB, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000));
        KafkaProducer<byte[], byte[]> uncapped = producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "uncapped-producer",
                ProducerConfig.BUFFER_MEMORY_CONFIG, 4 * MB));
        byte[] value = new byte[1000];
        Sender uncappedSender = new Sender(uncapped, topic, value);
        Sender cappedSender = new Sender(capped, topic, value);
        try {
            uncappedSender.start();
            Thread.sleep(1000); // warm up: metadata, producer id, connections
            double aloneBefore = uncappedSender.rateOver(Duration.ofSeconds(5));

            cappedSender.start();
            long wireStart = (long) metric(capped.metrics(), "producer-metrics", "outgoing-byte-total");
            long start = System.nanoTime();
            double beside = uncappedSender.rateOver(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - start) / 1e9;
            long wireBytes = (long) metric(capped.metrics(), "producer-metrics", "outgoing-byte-total") - wireStart;
            cappedSender.stop();
            double aloneAfter = uncappedSender.rateOver(Duration.ofSeconds(5));

            double cappedRate = wireBytes / seconds / MB;
            // the machine's load drifts (other builds): the slower of the two solo measurements is the baseline
            double alone = Math.min(aloneBefore, aloneAfter);
            double cappedThrottleMax = metric(capped.metrics(), "producer-metrics", "produce-throttle-time-max");
            double cappedThrottleAvg = metric(capped.metrics(), "producer-metrics", "produce-throttle-time-avg");
            double uncappedThrottleMax = metric(uncapped.metrics(), "producer-metrics", "produce-throttle-time-max");
            String report = String.format("capped %.3f MB/s over %.1f s (produce-throttle-time avg %.0f ms, max %.0f ms); "
                            + "uncapped alone %.2f then %.2f MB/s, beside the capped one %.2f MB/s (throttle max %.0f ms)",
                    cappedRate, seconds, cappedThrottleAvg, cappedThrottleMax, aloneBefore / MB, aloneAfter / MB,
                    beside / MB, uncappedThrottleMax);
            System.out.println("[client quotas] " + report);
            assertTrue(Math.abs(cappedRate - 1) <= 0.15, report);
            assertTrue(cappedThrottleAvg > 0, "the producer saw throttle times: " + report);
            assertEquals(0.0, uncappedThrottleMax, "never throttled: " + report);
            assertTrue(beside >= 0.5 * alone, "not slowed: " + report);
        } finally {
            cappedSender.stop();
            uncappedSender.stop();
            capped.close(Duration.ZERO); // what is still buffered would take the quota's pace to send
            uncapped.close(Duration.ZERO);
        }
    }

    @Test
    void aConsumerIsHeldAtItsByteRate() throws Exception {
        String topic = uniqueTopic("consumer-capped");
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20));
        byte[] value = new byte[1000];
        for (int i = 0; i < 3000; i++) {
            producer.send(new ProducerRecord<>(topic, value));
        }
        producer.flush();
        setQuota(entity("client-id", "slow-consumer"), "consumer_byte_rate", 100 * 1024);
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));

        KafkaConsumer<byte[], byte[]> slow = consumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "slow-consumer"));
        long slowBytes = consumedBytes(slow, partitions, Duration.ofSeconds(6));
        KafkaConsumer<byte[], byte[]> fast = consumer(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "fast-consumer"));
        long fastBytes = consumedBytes(fast, partitions, Duration.ofSeconds(3));

        double throttle = metric(slow.metrics(), "consumer-fetch-manager-metrics", "fetch-throttle-time-avg");
        String report = "capped consumer read " + slowBytes + " B in 6 s (fetch throttle avg " + throttle
                + " ms), uncapped " + fastBytes + " B in 3 s";
        System.out.println("[client quotas] " + report);
        // 100 kB/s measured over 10 windows: about 1 MB in the first seconds, never the 3 MB there are
        assertTrue(slowBytes >= 400_000 && slowBytes <= 1_700_000, report);
        assertEquals(3_000_000, fastBytes, report);
        assertTrue(throttle > 0, report);
    }

    @Test
    void requestTimeIsLimitedAndItsThrottleIsAtMostOneWindow() throws Exception {
        setQuota(entity("client-id", "chatty-producer"), "request_percentage", 0.5);
        String topic = uniqueTopic("chatty");
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> chatty = producer(Map.of(ProducerConfig.CLIENT_ID_CONFIG, "chatty-producer",
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1));
        // one tiny record per request: bytes do not matter here, the time spent on each request does
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (metric(chatty.metrics(), "producer-metrics", "produce-throttle-time-max") <= 0
                && System.nanoTime() < deadline) {
            chatty.send(new ProducerRecord<>(topic, new byte[10])).get(30, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 3; i++) { // a few more throttled requests: none waits longer than a window
            chatty.send(new ProducerRecord<>(topic, new byte[10])).get(30, TimeUnit.SECONDS);
        }
        double max = metric(chatty.metrics(), "producer-metrics", "produce-throttle-time-max");
        System.out.println("[client quotas] request_percentage 0.5: produce throttle max " + max + " ms");
        assertTrue(max > 0, "throttled for its request time");
        assertTrue(max <= 1000, "Kafka caps a request-time throttle at one window: " + max);
    }

    @Test
    void controllerMutationsBeyondTheRateAreRefusedWithTheTimeToWait() throws Exception {
        setQuota(entity("client-id", "mutator"), "controller_mutation_rate", 1.0);
        Admin mutator = admin(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "mutator"));
        CreateTopicsOptions noRetry = new CreateTopicsOptions().retryOnQuotaViolation(false);
        // a fresh bucket holds 11 partitions' worth: 8 + 8 go (it may go below zero once), then it is spent
        mutator.createTopics(List.of(new NewTopic(uniqueTopic("m"), 8, (short) 1)), noRetry).all().get(30, TimeUnit.SECONDS);
        mutator.createTopics(List.of(new NewTopic(uniqueTopic("m"), 8, (short) 1)), noRetry).all().get(30, TimeUnit.SECONDS);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> mutator.createTopics(
                List.of(new NewTopic(uniqueTopic("m"), 1, (short) 1)), noRetry).all().get(30, TimeUnit.SECONDS));
        ThrottlingQuotaExceededException e = assertInstanceOf(ThrottlingQuotaExceededException.class, refused.getCause());
        assertTrue(e.throttleTimeMs() > 3000 && e.throttleTimeMs() <= 5000, "5 partitions short: " + e.throttleTimeMs());
        assertEquals("The throttling quota has been exceeded.", e.getMessage());

        // Kafka's Admin retries a refused mutation after the throttle time by default
        long start = System.nanoTime();
        mutator.createTopics(List.of(new NewTopic(uniqueTopic("m"), 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        long waitedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMs >= 2000, "created after the refill: " + waitedMs + " ms");
    }

    /**
     * KIP-219 on the wire: the throttled answer comes at once with its throttle time, then that connection
     * takes no request until the time has passed, even from a client that does not wait by itself; another
     * connection is answered at once meanwhile.
     */
    @Test
    void aThrottledConnectionIsMutedAndNoOtherIs() throws Exception {
        setQuota(entity("client-id", "raw-test"), "producer_byte_rate", 10 * 1024); // RawKafkaConnection's id
        String topic = uniqueTopic("muted");
        createTopic(topic, 1);
        SimpleRecord[] records = new SimpleRecord[120];
        for (int i = 0; i < records.length; i++) {
            records[i] = new SimpleRecord(new byte[1000]);
        }
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.withRecords(Compression.NONE, records)));
        produce.topicData().add(data);
        try (RawKafkaConnection throttled = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
             RawKafkaConnection other = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            // about 120 kB against 10 kB/s over ten windows: 20% over, two seconds
            ProduceResponse answer = throttled.request(produce, (short) 12, ProduceResponse.class);
            int throttleMs = answer.data().throttleTimeMs();
            assertTrue(throttleMs >= 1500 && throttleMs <= 2500, "throttle " + throttleMs + " ms");
            long asked = System.nanoTime();
            int id = throttled.send(new ApiVersionsRequestData(), (short) 3);
            int otherId = other.send(new ApiVersionsRequestData(), (short) 3);
            other.receive(ApiKeys.API_VERSIONS, (short) 3, otherId);
            long otherMs = (System.nanoTime() - asked) / 1_000_000;
            throttled.receive(ApiKeys.API_VERSIONS, (short) 3, id);
            long mutedMs = (System.nanoTime() - asked) / 1_000_000;
            System.out.println("[client quotas] throttle " + throttleMs + " ms: the muted connection answered after "
                    + mutedMs + " ms, the other after " + otherMs + " ms");
            assertTrue(mutedMs >= throttleMs - 100, "muted " + mutedMs + " ms for a throttle of " + throttleMs);
            assertTrue(otherMs < throttleMs / 2, "the other connection waited " + otherMs + " ms");
        }
    }

    @Test
    void anAddressOverItsConnectionCreationRateIsRefusedAndOthersAreNot() throws Exception {
        // the quota is on 127.0.0.2, a loopback address of its own, so the other tests' clients keep theirs
        setQuota(entity("ip", "127.0.0.2"), "connection_creation_rate", 1);
        int accepted = 0;
        int refused = 0;
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
                socket.connect(new java.net.InetSocketAddress("127.0.0.1", broker.kafkaPort()), 5_000);
                socket.setSoTimeout(5_000);
                byte[] request = RawKafkaConnection.frame(new ApiVersionsRequestData(), (short) 3, 1);
                socket.getOutputStream().write(request);
                if (socket.getInputStream().read() >= 0) {
                    accepted++;
                } else {
                    refused++;
                }
            } catch (java.io.IOException closedBeforeAnAnswer) {
                refused++;
            }
        }
        // ten windows' worth at once (about ten), then one a second; a refused connection is closed only after
        // its delay, so the loop takes a while and earns a few more
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        System.out.println("[client quotas] connection_creation_rate 1/s: " + accepted + " of 30 accepted in " + seconds
                + " s");
        assertTrue(accepted >= 5 && accepted <= 12 + seconds, "accepted " + accepted + " in " + seconds + " s");
        assertTrue(refused >= 5, "refused " + refused);
        assertEquals(30, accepted + refused);
        try (RawKafkaConnection other = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            other.request(new ApiVersionsRequestData(), (short) 3, org.apache.kafka.common.requests.ApiVersionsResponse.class);
        }
        admin().alterClientQuotas(List.of(new ClientQuotaAlteration(entity("ip", "127.0.0.2"),
                List.of(op("connection_creation_rate", null))))).all().get(30, TimeUnit.SECONDS);
    }

    // ---- helpers ----

    private void setQuota(ClientQuotaEntity entity, String key, double value) throws Exception {
        admin().alterClientQuotas(List.of(new ClientQuotaAlteration(entity, List.of(op(key, value)))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static void assertRefused(Admin admin, ClientQuotaEntity entity, ClientQuotaAlteration.Op op, String message) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> admin.alterClientQuotas(
                List.of(new ClientQuotaAlteration(entity, List.of(op)))).all().get(30, TimeUnit.SECONDS));
        assertInstanceOf(InvalidRequestException.class, e.getCause());
        assertEquals(message, e.getCause().getMessage());
    }

    private static Map<ClientQuotaEntity, Map<String, Double>> describe(Admin admin, ClientQuotaFilter filter)
            throws Exception {
        return admin.describeClientQuotas(filter).entities().get(30, TimeUnit.SECONDS);
    }

    /** An entity from type-name pairs (a null name is the default). */
    private static ClientQuotaEntity entity(String... typeAndName) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < typeAndName.length; i += 2) {
            entries.put(typeAndName[i], typeAndName[i + 1]);
        }
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaAlteration.Op op(String key, Double value) {
        return new ClientQuotaAlteration.Op(key, value);
    }

    private static double metric(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name) && e.getKey().tags().size() == 1) {
                Object v = e.getValue().metricValue();
                return v instanceof Double d && !d.isNaN() ? d : 0.0;
            }
        }
        throw new AssertionError("no metric " + group + "/" + name);
    }

    private static long consumedBytes(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                      Duration duration) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long bytes = 0;
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                bytes += r.value().length;
            }
        }
        return bytes;
    }

    /** Sends records as fast as the producer takes them, on its own thread, counting what is acknowledged. */
    private static final class Sender {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final byte[] value;
        private final AtomicLong acked = new AtomicLong();
        private Thread thread;

        Sender(KafkaProducer<byte[], byte[]> producer, String topic, byte[] value) {
            this.producer = producer;
            this.topic = topic;
            this.value = value;
        }

        void start() {
            thread = Thread.ofPlatform().name("quota-test-sender").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        producer.send(new ProducerRecord<>(topic, value), (metadata, exception) -> {
                            if (exception == null) {
                                acked.addAndGet(value.length);
                            }
                        });
                    } catch (org.apache.kafka.common.errors.InterruptException e) {
                        return;
                    }
                }
            });
        }

        /** Acknowledged bytes per second over the next {@code duration}. */
        double rateOver(Duration duration) throws InterruptedException {
            long before = acked.get();
            long start = System.nanoTime();
            Thread.sleep(duration.toMillis());
            return (acked.get() - before) / ((System.nanoTime() - start) / 1e9);
        }

        void stop() throws InterruptedException {
            if (thread != null) {
                thread.interrupt();
                thread.join(10_000);
            }
        }
    }
}
