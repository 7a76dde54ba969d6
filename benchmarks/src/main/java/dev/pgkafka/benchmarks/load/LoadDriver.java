package dev.pgkafka.benchmarks.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end load with the real Java producer and consumer against a running broker (pgkafka or
 * Apache Kafka, for comparison). Prints records/s, MB/s and send-to-ack latency percentiles for the
 * produce phase, then records/s for reading everything back.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.pgkafka.benchmarks.load.LoadDriver \
 *      --bootstrap localhost:9092 --records 1000000 --size 100 --acks all --partitions 1
 * </pre>
 *
 * With {@code --transactional --txn-size 1000} each producer is transactional (its own
 * transactional.id) and commits every {@code txn-size} records; the read-back is read_committed.
 */
public final class LoadDriver {
    /** Held so the level sticks: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");

    private LoadDriver() {
    }

    public static void main(String[] args) throws Exception {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING); // the clients' INFO chatter hides the results
        Map<String, String> o = parse(args);
        String bootstrap = o.getOrDefault("bootstrap", "localhost:9092");
        long records = Long.parseLong(o.getOrDefault("records", "1000000"));
        int size = Integer.parseInt(o.getOrDefault("size", "100"));
        String acks = o.getOrDefault("acks", "all");
        int partitions = Integer.parseInt(o.getOrDefault("partitions", "1"));
        int producers = Integer.parseInt(o.getOrDefault("producers", "1"));
        String compression = o.getOrDefault("compression", "none");
        String topic = o.getOrDefault("topic", "load-" + System.currentTimeMillis());
        boolean consumeOnly = Boolean.parseBoolean(o.getOrDefault("consume-only", "false"));
        boolean transactional = Boolean.parseBoolean(o.getOrDefault("transactional", "false"));
        int txnSize = Integer.parseInt(o.getOrDefault("txn-size", "1000"));

        System.out.printf(Locale.ROOT, "load: bootstrap=%s topic=%s records=%d size=%dB acks=%s partitions=%d producers=%d "
                + "compression=%s%s%n", bootstrap, topic, records, size, acks, partitions, producers, compression,
                transactional ? " transactional, " + txnSize + " records per transaction" : "");
        if (!consumeOnly) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
            produce(bootstrap, topic, records, size, acks, producers, compression, transactional ? txnSize : 0);
        }
        consume(bootstrap, topic, partitions, records, transactional);
    }

    /** @param txnSize records per transaction, 0 for a plain (idempotent) producer */
    private static void produce(String bootstrap, String topic, long records, int size, String acks, int producers,
                                String compression, int txnSize) throws Exception {
        byte[] value = new byte[size];
        new Random(1).nextBytes(value);
        long perProducer = records / producers;
        Histogram latency = new Histogram();
        AtomicLong failed = new AtomicLong();
        AtomicLong transactions = new AtomicLong();
        CountDownLatch done = new CountDownLatch(producers);
        long start = System.nanoTime();
        for (int p = 0; p < producers; p++) {
            String transactionalId = "load-" + topic + "-" + p;
            Thread.ofPlatform().name("load-producer-" + p).start(() -> {
                Properties props = new Properties();
                props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
                props.put(ProducerConfig.ACKS_CONFIG, acks);
                props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
                props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
                props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
                props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
                if (txnSize > 0) {
                    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
                }
                try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                    if (txnSize > 0) {
                        producer.initTransactions();
                    }
                    for (long i = 0; i < perProducer; i++) {
                        if (txnSize > 0 && i % txnSize == 0) {
                            if (i > 0) {
                                producer.commitTransaction();
                                transactions.incrementAndGet();
                            }
                            producer.beginTransaction();
                        }
                        long sent = System.nanoTime();
                        producer.send(new ProducerRecord<>(topic, null, value), (meta, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            } else {
                                latency.record(System.nanoTime() - sent);
                            }
                        });
                    }
                    if (txnSize > 0 && perProducer > 0) {
                        producer.commitTransaction();
                        transactions.incrementAndGet();
                    }
                    producer.flush();
                } catch (RuntimeException e) {
                    System.err.println("producer failed: " + e);
                    failed.incrementAndGet();
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double seconds = (System.nanoTime() - start) / 1e9;
        long acked = latency.count();
        System.out.printf(Locale.ROOT, "produce: %d records acked (%d failed) in %.2f s = %.0f records/s, %.2f MB/s; "
                        + "send->ack latency ms p50 %.1f p95 %.1f p99 %.1f max %.1f%n",
                acked, failed.get(), seconds, acked / seconds, acked * (double) size / seconds / (1 << 20),
                latency.percentileMillis(50), latency.percentileMillis(95), latency.percentileMillis(99),
                latency.percentileMillis(100));
        if (txnSize > 0) {
            System.out.printf(Locale.ROOT, "transactions: %d committed = %.1f transactions/s%n", transactions.get(),
                    transactions.get() / seconds);
        }
    }

    private static void consume(String bootstrap, String topic, int partitions, long expected, boolean readCommitted) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long end = consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
            long target = Math.min(expected, end);
            long count = 0;
            long bytes = 0;
            long start = System.nanoTime();
            long idleSince = System.nanoTime();
            while (count < target) {
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                if (batch.isEmpty()) {
                    if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(30)) {
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (var r : batch) {
                    count++;
                    bytes += r.serializedValueSize();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "consume: %d of %d records in %.2f s = %.0f records/s, %.2f MB/s%n", count,
                    target, seconds, count / seconds, bytes / seconds / (1 << 20));
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("usage: --name value ... (got " + Arrays.toString(args) + ")");
            }
            // a flag without a value (--transactional) is true
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                options.put(args[i].substring(2), "true");
            } else {
                options.put(args[i].substring(2), args[++i]);
            }
        }
        return options;
    }

    /** Latencies in 1 ms buckets up to 60 s (a percentile reads as the bucket's upper bound); lock-free for producer callbacks. */
    static final class Histogram {
        private final AtomicLong[] buckets = new AtomicLong[60_000];
        private final AtomicLong count = new AtomicLong();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new AtomicLong();
            }
        }

        void record(long nanos) {
            int bucket = (int) Math.min(buckets.length - 1, nanos / 1_000_000);
            buckets[bucket].incrementAndGet();
            count.incrementAndGet();
        }

        long count() {
            return count.get();
        }

        double percentileMillis(double percentile) {
            long total = count.get();
            if (total == 0) {
                return Double.NaN;
            }
            long rank = (long) Math.ceil(total * percentile / 100.0);
            long seen = 0;
            for (int i = 0; i < buckets.length; i++) {
                seen += buckets[i].get();
                if (seen >= rank) {
                    return i + 1;
                }
            }
            return buckets.length;
        }
    }
}
