package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/**
 * SIGTERM takes the broker out of rotation first: readiness answers DOWN ("shutting down") while a
 * produce in progress is still being answered, and only then does the broker stop.
 */
class ShutdownReadinessTest extends WithOwnDatabase {
    @Test
    void readinessGoesDownBeforeTheRequestsInProgressAreDrained() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(jdbcUrl)) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
                admin.createTopics(List.of(new NewTopic("drained", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            assertEquals(200, ready(broker).statusCode());
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 Connection holder = DriverManager.getConnection(jdbcUrl)) {
                producer.send(new ProducerRecord<>("drained", "warm".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                // a produce that stays in progress: its partition's head is locked by this transaction
                holder.setAutoCommit(false);
                try (Statement s = holder.createStatement()) {
                    s.execute("SELECT 1 FROM kafka.partitions FOR UPDATE");
                }
                Future<RecordMetadata> inProgress = producer.send(new ProducerRecord<>("drained",
                        "in-progress".getBytes(StandardCharsets.UTF_8)));
                Thread.sleep(500);
                assertFalse(inProgress.isDone(), "the produce waits for the lock");

                broker.sigterm();
                HttpResponse<String> down = awaitNot200(broker);
                assertEquals(503, down.statusCode());
                assertTrue(down.body().contains("DOWN") && down.body().contains("shutting down"), down.body());
                assertTrue(broker.isAlive(), "readiness is DOWN while the broker still drains");

                holder.commit(); // the produce in progress goes through and is answered
                RecordMetadata answered = inProgress.get(20, TimeUnit.SECONDS);
                assertEquals(1, answered.offset());
            }
            int exit = broker.awaitExit(Duration.ofSeconds(60));
            // the JVM reports death by SIGTERM (143) even after a clean shutdown hook
            assertTrue(exit == 0 || exit == 143, "exit code " + exit);
            List<String> lines = broker.lines();
            int readinessDown = indexOf(lines, "shutting down: readiness is DOWN");
            int stopped = indexOf(lines, "pgkafka stopped");
            assertTrue(readinessDown >= 0 && stopped > readinessDown, String.join("\n", lines));
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static HttpResponse<String> awaitNot200(BrokerProcess broker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = ready(broker);
            if (r.statusCode() != 200 || System.nanoTime() > deadline) {
                return r;
            }
            Thread.sleep(20);
        }
    }

    private static HttpResponse<String> ready(BrokerProcess broker) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.httpPort
                + "/health/ready")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
