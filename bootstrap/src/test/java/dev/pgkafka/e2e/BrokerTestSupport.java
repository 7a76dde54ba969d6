package dev.pgkafka.e2e;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.bootstrap.Broker;
import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Starts one real broker per test class on a fresh PostgreSQL database (see {@link PostgresTestDatabase}
 * for how the server is chosen), on free ports, and hands out stock kafka-clients wired to it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BrokerTestSupport {
    protected String databaseName;
    protected String jdbcUrl;
    protected Broker broker;
    private final List<AutoCloseable> clients = new ArrayList<>();

    /** Override to change options, e.g. to switch auto-creation off. */
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true);
    }

    protected static BrokerOptions testOptions(String jdbcUrl, boolean autoCreate) {
        return testOptions(jdbcUrl, autoCreate, 300_000L);
    }

    /** @param cleanerIntervalMs log.retention.check.interval.ms: how often the log cleaner runs */
    protected static BrokerOptions testOptions(String jdbcUrl, boolean autoCreate, long cleanerIntervalMs) {
        return new BrokerOptions(0, 0, "127.0.0.1", "127.0.0.1", Optional.of(jdbcUrl), Path.of("target/unused"),
                autoCreate, 1, 1, 100 * 1024 * 1024, 8)
                // groups: no initial rebalance delay, and session timeouts down to 500 ms for quick crash detection
                .withGroups(0, 500, 1_800_000, 10_080)
                .withLogRetentionCheckIntervalMs(cleanerIntervalMs);
    }

    /** Override to give the broker a clock the test moves (retention, compaction). */
    protected Clock clock() {
        return Clock.systemUTC();
    }

    @BeforeAll
    void startBroker() throws Exception {
        databaseName = PostgresTestDatabase.server().createDatabase();
        jdbcUrl = PostgresTestDatabase.server().urlOf(databaseName);
        broker = Broker.start(options(jdbcUrl), clock());
    }

    @AfterAll
    void stopBroker() throws Exception {
        for (AutoCloseable c : clients) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (broker != null) {
            broker.close();
        }
        if (databaseName != null) {
            PostgresTestDatabase.server().dropDatabase(databaseName);
        }
    }

    protected String bootstrap() {
        return "127.0.0.1:" + broker.kafkaPort();
    }

    protected static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        p.putAll(overrides);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        clients.add(producer);
        return producer;
    }

    protected KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.putAll(overrides);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        clients.add(consumer);
        return consumer;
    }

    protected Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        Admin admin = Admin.create(p);
        clients.add(admin);
        return admin;
    }

    /** An admin client with these settings on top (security tests log in with them). */
    protected Admin admin(Map<String, Object> overrides) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        p.putAll(overrides);
        Admin admin = Admin.create(p);
        clients.add(admin);
        return admin;
    }

    protected void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        }
    }

    /** Reads from the start of the given partitions until {@code count} records arrived or the time is up. */
    protected static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConsumer<byte[], byte[]> consumer,
                                                                 Collection<TopicPartition> partitions, int count,
                                                                 Duration timeout) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }
}
