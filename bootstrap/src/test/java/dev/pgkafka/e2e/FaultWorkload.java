package dev.pgkafka.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What runs against the broker while the tests break its PostgreSQL: an idempotent acks=all producer
 * sending numbered records at a steady rate, a consumer group of two members committing after every
 * poll, a consumer outside any group that only fetches (whose fetch requests show whether consumers
 * spin), and a readiness poller; each remembers what it saw and when.
 */
final class FaultWorkload implements AutoCloseable {
    private final String bootstrap;
    private final String topic;
    private final int httpPort;
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    /** Acknowledged record numbers and when (System.nanoTime) each was acknowledged. */
    final ConcurrentSkipListMap<Long, Long> acknowledged = new ConcurrentSkipListMap<>();
    final AtomicLong sendFailures = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    /** Record numbers the group consumed, with how often. */
    final Map<Long, Integer> consumed = new ConcurrentHashMap<>();
    final AtomicLong lastConsumedNanos = new AtomicLong();
    final AtomicLong commitFailures = new AtomicLong();
    /** Fetch requests each consumer sent (its fetch-total metric); the reader is member -1. */
    private final Map<Integer, Long> fetchTotals = new ConcurrentHashMap<>();
    /** Records the producer sent again (its record-retry-total metric). */
    final AtomicLong producerRetries = new AtomicLong();
    /** Readiness answers: time (System.nanoTime), HTTP status, body. */
    final List<Readiness> readiness = new CopyOnWriteArrayList<>();

    record Readiness(long nanos, int status, String body) {
    }

    FaultWorkload(String bootstrap, String topic, int httpPort) {
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.httpPort = httpPort;
    }

    void start(int recordsPerSecond) {
        threads.add(Thread.ofPlatform().name("fault-producer").start(() -> produce(recordsPerSecond)));
        for (int i = 0; i < 2; i++) {
            int member = i;
            threads.add(Thread.ofPlatform().name("fault-consumer-" + i).start(() -> consume(member)));
        }
        threads.add(Thread.ofPlatform().name("fault-reader").start(this::read));
        threads.add(Thread.ofPlatform().name("fault-readiness").start(this::pollReadiness));
    }

    /** Fetch requests of the consumer that only fetches (no group, no commits that could block it). */
    long readerFetches() {
        return fetchTotals.getOrDefault(-1, 0L);
    }

    /** Fetch requests of the group's members. */
    long groupFetches() {
        return fetchTotals.entrySet().stream().filter(e -> e.getKey() >= 0).mapToLong(Map.Entry::getValue).sum();
    }

    /** The first acknowledgement at or after this time, or -1. */
    long firstAckAtOrAfter(long nanos) {
        return acknowledged.values().stream().filter(t -> t - nanos >= 0).min(Long::compare).orElse(-1L);
    }

    private void produce(int recordsPerSecond) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // long enough to ride out every outage of the tests
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 180_000);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        Semaphore inFlight = new Semaphore(5_000);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long next = System.nanoTime();
            long n = 0;
            while (running) {
                inFlight.acquireUninterruptibly();
                long number = n++;
                byte[] key = Long.toString(number).getBytes(StandardCharsets.UTF_8);
                sent.incrementAndGet();
                producer.send(new ProducerRecord<>(topic, key, key), (metadata, e) -> {
                    inFlight.release();
                    if (e == null) {
                        acknowledged.put(number, System.nanoTime());
                    } else {
                        sendFailures.incrementAndGet();
                    }
                });
                if (number % 100 == 0) {
                    producerRetries.set(metric(producer.metrics(), "record-retry-total", "producer-metrics"));
                }
                next += 1_000_000_000L / recordsPerSecond;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void consume(int member) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "fault-group");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(topic));
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    consumed.merge(Long.parseLong(new String(r.key(), StandardCharsets.UTF_8)), 1, Integer::sum);
                    lastConsumedNanos.set(System.nanoTime());
                }
                try {
                    consumer.commitSync();
                } catch (RuntimeException e) {
                    // retriable failures while PostgreSQL is away: the next poll's commit covers it
                    commitFailures.incrementAndGet();
                }
                fetchTotals.put(member, metric(consumer.metrics(), "fetch-total", "consumer-fetch-manager-metrics"));
            }
        }
    }

    /** A consumer of every partition, outside any group, that only polls: the one that would spin. */
    private void read() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(tps);
            while (running) {
                consumer.poll(Duration.ofMillis(200));
                fetchTotals.put(-1, metric(consumer.metrics(), "fetch-total", "consumer-fetch-manager-metrics"));
            }
        }
    }

    private static long metric(Map<MetricName, ? extends Metric> metrics, String name, String group) {
        for (Map.Entry<MetricName, ? extends Metric> m : metrics.entrySet()) {
            if (m.getKey().name().equals(name) && m.getKey().group().equals(group)) {
                return (long) ((Number) m.getValue().metricValue()).doubleValue();
            }
        }
        return 0;
    }

    private void pollReadiness() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + httpPort + "/health/ready");
        while (running) {
            long at = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                readiness.add(new Readiness(at, r.statusCode(), r.body()));
            } catch (java.io.IOException e) {
                readiness.add(new Readiness(at, -1, String.valueOf(e)));
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Readiness answers in a time window. */
    List<Readiness> readinessBetween(long fromNanos, long toNanos) {
        return readiness.stream().filter(r -> r.nanos - fromNanos >= 0 && toNanos - r.nanos >= 0).toList();
    }

    /** How many times each record was stored in the topic, read from the beginning by a fresh consumer. */
    static Map<Long, Integer> readTopic(String bootstrap, String topic, int partitions, long expectedAtLeast) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<Long, Integer> stored = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    stored.merge(Long.parseLong(new String(r.key(), StandardCharsets.UTF_8)), 1, Integer::sum);
                }
                boolean atEnd = true;
                for (TopicPartition tp : tps) {
                    atEnd &= consumer.position(tp) >= ends.get(tp);
                }
                if (atEnd && stored.size() >= expectedAtLeast) {
                    break;
                }
            }
        }
        return stored;
    }

    @Override
    public void close() {
        running = false;
        try {
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
