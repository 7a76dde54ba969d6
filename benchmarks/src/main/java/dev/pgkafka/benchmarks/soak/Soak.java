package dev.pgkafka.benchmarks.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A long steady load to show that nothing grows: producers at a fixed rate, a consumer group whose
 * members leave and rejoin, short-lived connections (an admin client every few seconds), while the
 * broker's RSS, heap after GC, open sockets and PostgreSQL's table sizes are sampled each minute.
 * Prints one line per sample (and writes them as CSV); a soak is a command, not a CI test.
 *
 * <pre>
 * createdb -h 127.0.0.1 -U postgres soak
 * java -jar bootstrap/target/pgkafka.jar --database-url 'jdbc:postgresql://127.0.0.1:5432/soak?user=postgres' \
 *      --log-retention-check-interval-ms 30000 &
 * java -cp benchmarks/target/benchmarks.jar dev.pgkafka.benchmarks.soak.Soak --bootstrap 127.0.0.1:9092 \
 *      --broker-pid $(pgrep -f pgkafka.jar) --jdbc 'jdbc:postgresql://127.0.0.1:5432/soak?user=postgres' \
 *      --minutes 30 --rate 2000 --csv docs/soak.csv
 * </pre>
 */
public final class Soak {
    /** Held so the level sticks: JUL keeps loggers weakly. */
    private static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        KAFKA_LOGS.setLevel(java.util.logging.Level.SEVERE);
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        String bootstrap = o.getOrDefault("bootstrap", "127.0.0.1:9092");
        long pid = Long.parseLong(o.get("broker-pid"));
        String jdbc = o.get("jdbc");
        int minutes = Integer.parseInt(o.getOrDefault("minutes", "30"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "2000"));
        Path csv = Path.of(o.getOrDefault("csv", "soak.csv"));
        String topic = "soak-" + System.currentTimeMillis();

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // two minutes of retention: with the broker's cleaner running often, the records table must stay flat
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1).configs(Map.of("retention.ms",
                    o.getOrDefault("retention-ms", "120000"))))).all().get();
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong produced = new AtomicLong();
        AtomicLong consumed = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            workers.add(Thread.ofPlatform().name("soak-producer-" + p).start(() -> produce(bootstrap, topic, rate / 3,
                    running, produced)));
        }
        for (int c = 0; c < 3; c++) {
            int member = c;
            workers.add(Thread.ofPlatform().name("soak-consumer-" + c).start(() -> consume(bootstrap, topic, member,
                    running, consumed)));
        }
        workers.add(Thread.ofPlatform().name("soak-admin").start(() -> shortConnections(bootstrap, running)));

        List<String> lines = new ArrayList<>();
        lines.add("minute,records_produced,records_consumed,rss_mib,heap_after_gc_mib,sockets,records_table_mib,"
                + "total_kafka_schema_mib");
        System.out.println(lines.getFirst());
        Instant start = Instant.now();
        for (int m = 0; m <= minutes; m++) {
            if (m > 0) {
                Thread.sleep(Duration.ofMinutes(1));
            }
            String line = String.format(Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d", m, produced.get(), consumed.get(),
                    rssMib(pid), heapAfterGcMib(pid), sockets(pid), tableMib(jdbc, "kafka.records"), schemaMib(jdbc));
            lines.add(line);
            System.out.println(line);
            Files.write(csv, lines, StandardCharsets.UTF_8);
        }
        running.set(false);
        for (Thread t : workers) {
            t.join(TimeUnit.SECONDS.toMillis(30));
        }
        System.out.printf(Locale.ROOT, "soak: %d min, produced %d, consumed %d (%s)%n",
                Duration.between(start, Instant.now()).toMinutes(), produced.get(), consumed.get(), csv);
    }

    private static void produce(String bootstrap, String topic, int perSecond, AtomicBoolean running, AtomicLong produced) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        byte[] value = new byte[200];
        new Random(7).nextBytes(value);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            long next = System.nanoTime();
            long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
            long n = 0;
            while (running.get()) {
                producer.send(new ProducerRecord<>(topic, ("k" + (n++ % 1000)).getBytes(StandardCharsets.UTF_8), value),
                        (md, e) -> {
                            if (e == null) {
                                produced.incrementAndGet();
                            }
                        });
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A group member that leaves and rejoins every few minutes (each member at its own time): churn. */
    private static void consume(String bootstrap, String topic, int member, AtomicBoolean running, AtomicLong consumed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "soak-group");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        while (running.get()) {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + 30L * member);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
                consumer.subscribe(List.of(topic));
                while (running.get() && System.nanoTime() < until) {
                    consumed.addAndGet(consumer.poll(Duration.ofMillis(500)).count());
                }
            }
        }
    }

    /** Connections that come and go, as monitoring tools and scripts open them. */
    private static void shortConnections(String bootstrap, AtomicBoolean running) {
        while (running.get()) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.listTopics().names().get(30, TimeUnit.SECONDS);
                admin.listGroups().all().get(30, TimeUnit.SECONDS);
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                System.err.println("soak: admin call failed: " + e);
            }
        }
    }

    private static long rssMib(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    /** Heap in use right after a full GC (jcmd), so garbage waiting for a collection does not count. */
    private static long heapAfterGcMib(long pid) throws IOException, InterruptedException {
        run(List.of(jcmd(), String.valueOf(pid), "GC.run"));
        Matcher m = HEAP_USED.matcher(run(List.of(jcmd(), String.valueOf(pid), "GC.heap_info")));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    private static long sockets(long pid) throws IOException {
        try (var fds = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return fds.filter(f -> {
                try {
                    return Files.readSymbolicLink(f).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    private static long tableMib(String jdbc, String table) throws SQLException {
        return query(jdbc, "SELECT pg_total_relation_size('" + table + "')") / (1024 * 1024);
    }

    private static long schemaMib(String jdbc) throws SQLException {
        return query(jdbc, "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'kafka' AND c.relkind = 'r'")
                / (1024 * 1024);
    }

    private static long query(String jdbc, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
