package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Clients that hold a connection without using it: silent ones are closed after
 * connections.max.idle.ms, a frame that stops (or trickles) half-way after
 * pgkafka.request.read.timeout.ms, an answer the client does not read after
 * pgkafka.response.write.timeout.ms, and a SASL client that never logs in after
 * pgkafka.authentication.timeout.ms. The timeouts are short here (1 s, idle 2 s); the watchdog
 * looks every 200 ms.
 */
class SlowClientsTest extends BrokerTestSupport {
    private static final long IDLE_MS = 2_000;
    private static final long TIMEOUT_MS = 1_000;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withProperties(Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:0,SASL_PLAINTEXT://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT",
                "sasl.enabled.mechanisms", "PLAIN",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";",
                "connections.max.idle.ms", String.valueOf(IDLE_MS),
                "pgkafka.request.read.timeout.ms", String.valueOf(TIMEOUT_MS),
                "pgkafka.response.write.timeout.ms", String.valueOf(TIMEOUT_MS),
                "pgkafka.authentication.timeout.ms", String.valueOf(TIMEOUT_MS)));
    }

    private RawKafkaConnection connect(String listener) throws IOException {
        return new RawKafkaConnection("127.0.0.1", broker.kafkaPort(listener));
    }

    private static void served(RawKafkaConnection conn) throws IOException {
        ApiVersionsResponse response = conn.request(new ApiVersionsRequestData(), (short) 3, ApiVersionsResponse.class);
        assertEquals(Errors.NONE.code(), response.data().errorCode());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    @Test
    void aConnectionWithNoRequestForTheIdleTimeIsClosed() throws Exception {
        try (RawKafkaConnection conn = connect("PLAINTEXT")) {
            served(conn);
            long answered = System.nanoTime();
            conn.readTimeout(15_000);
            assertTrue(conn.closedByBroker());
            long after = millisSince(answered);
            assertTrue(after >= IDLE_MS - 300, "closed " + after + " ms after the last answer");
        }
    }

    @Test
    void aConnectionThatKeepsAskingIsNotIdle() throws Exception {
        try (RawKafkaConnection conn = connect("PLAINTEXT")) {
            long start = System.nanoTime();
            while (millisSince(start) < 2 * IDLE_MS) {
                served(conn);
                Thread.sleep(IDLE_MS / 5);
            }
            served(conn);
        }
    }

    @Test
    void halfSentFramesAreClosedAfterTheReadTimeoutWhetherTheyStopOrTrickle() throws Exception {
        try (CapturedLog log = CapturedLog.of("dev.pgkafka.adapter.kafka.server.ConnectionWatchdog");
             RawKafkaConnection conn = connect("PLAINTEXT")) {
            served(conn);
            long started = System.nanoTime();
            conn.sendRaw(ByteBuffer.allocate(14).putInt(1_000).putShort((short) 18).putShort((short) 3).putInt(7)
                    .array());
            assertTrue(conn.closedByBroker());
            long after = millisSince(started);
            assertTrue(after >= TIMEOUT_MS - 100 && after < IDLE_MS + 5_000, "closed after " + after + " ms");
            List<String> lines = log.await("a request did not arrive completely", Duration.ofSeconds(5));
            assertEquals(1, lines.size(), String.valueOf(lines));
            assertTrue(lines.getFirst().startsWith("INFO Closing connection /127.0.0.1:"), lines.getFirst());
        }
        // a client that sends a byte now and then must not keep its frame (and its memory) forever
        try (RawKafkaConnection conn = connect("PLAINTEXT")) {
            conn.sendRaw(ByteBuffer.allocate(4).putInt(1_000).array());
            long started = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 1_000; i++) { // 100 s if it were let through
                        conn.sendRaw(new byte[] {1});
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the broker closed the connection, as it should
                }
            });
            assertTrue(conn.closedByBroker());
            long after = millisSince(started);
            assertTrue(after >= TIMEOUT_MS - 300 && after < 10_000, "closed after " + after + " ms");
            trickle.interrupt();
        }
    }

    @Test
    void answersTheClientDoesNotReadAreClosedAfterTheWriteTimeout() throws Exception {
        awaitOpenConnections(0);
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4_096);
        socket.connect(new InetSocketAddress("127.0.0.1", broker.kafkaPort("PLAINTEXT")), 5_000);
        try (CapturedLog log = CapturedLog.of("dev.pgkafka.adapter.kafka.server.ConnectionWatchdog");
             RawKafkaConnection conn = new RawKafkaConnection(socket)) {
            // each answer lists every broker config with its documentation: tens of KiB, never read
            DescribeConfigsRequestData describe = new DescribeConfigsRequestData().setIncludeDocumentation(true)
                    .setIncludeSynonyms(true);
            describe.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource()
                    .setResourceType((byte) 4).setResourceName("1").setConfigurationKeys(null));
            Thread sender = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        conn.send(describe, (short) 4);
                    }
                } catch (IOException closed) {
                    // the broker closed the connection
                }
            });
            List<String> lines = log.await("an answer was not taken by the client", Duration.ofSeconds(20));
            assertFalse(lines.isEmpty(), "the broker gave up on the client");
            awaitOpenConnections(0);
            sender.interrupt();
        }
    }

    @Test
    void aSaslClientThatNeverLogsInIsClosedAfterTheAuthenticationTimeout() throws Exception {
        try (CapturedLog log = CapturedLog.of("dev.pgkafka.adapter.kafka.server.ConnectionWatchdog");
             RawKafkaConnection conn = connect("SASL_PLAINTEXT")) {
            long connected = System.nanoTime();
            served(conn); // ApiVersions is answered before the login, nothing else
            assertTrue(conn.closedByBroker());
            long after = millisSince(connected);
            assertTrue(after >= TIMEOUT_MS - 100, "closed after " + after + " ms");
            assertFalse(log.await("not authenticated within pgkafka.authentication.timeout.ms", Duration.ofSeconds(5))
                    .isEmpty());
        }
    }

    private void awaitOpenConnections(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (broker.kafkaConnectionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, broker.kafkaConnectionCount());
    }
}
