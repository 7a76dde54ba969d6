package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Kafka's connection limits with real sockets: at max.connections the broker stops accepting
 * until a connection closes (the client waits in the accept backlog), and a connection from an
 * address over its max.connections.per.ip override is closed at once; both are logged. Clients
 * from 127.0.0.2 (also this machine's loopback) stand for one address with a limit.
 */
class ConnectionLimitsTest extends BrokerTestSupport {
    private static final int MAX_CONNECTIONS = 12;
    private static final int LIMITED_ADDRESS_MAX = 3;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return super.options(jdbcUrl).withProperties(Map.of(
                "max.connections", String.valueOf(MAX_CONNECTIONS),
                "max.connections.per.ip.overrides", "127.0.0.2:" + LIMITED_ADDRESS_MAX));
    }

    /** A raw connection from {@code localAddress}. */
    private RawKafkaConnection connectFrom(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", broker.kafkaPort()), 5_000);
        return new RawKafkaConnection(socket);
    }

    private static void served(RawKafkaConnection conn) throws IOException {
        ApiVersionsResponse response = conn.request(new ApiVersionsRequestData(), (short) 3, ApiVersionsResponse.class);
        assertEquals(Errors.NONE.code(), response.data().errorCode());
    }

    @Test
    void aConnectionFromAnAddressOverItsLimitIsClosedAndLogged() throws Exception {
        List<RawKafkaConnection> open = new ArrayList<>();
        try (CapturedLog log = CapturedLog.of("dev.pgkafka.adapter.kafka.server.KafkaListener")) {
            for (int i = 0; i < LIMITED_ADDRESS_MAX; i++) {
                RawKafkaConnection conn = connectFrom("127.0.0.2");
                open.add(conn);
                served(conn);
            }
            RawKafkaConnection over = connectFrom("127.0.0.2");
            open.add(over);
            over.readTimeout(10_000);
            assertTrue(over.closedByBroker(), "the fourth connection from 127.0.0.2 is closed");
            RawKafkaConnection other = connectFrom("127.0.0.1");
            open.add(other);
            served(other); // other addresses are not affected
            List<String> lines = log.await("Rejected connection from 127.0.0.2", Duration.ofSeconds(5));
            assertEquals(List.of("INFO Rejected connection from 127.0.0.2 on listener PLAINTEXT: the address already "
                    + "has the configured maximum of connections (max.connections.per.ip.overrides (3))"), lines);

            // a flood from that address adds no line per connection
            for (int i = 0; i < 20; i++) {
                try (RawKafkaConnection flood = connectFrom("127.0.0.2")) {
                    flood.readTimeout(10_000);
                    assertTrue(flood.closedByBroker());
                }
            }
            assertEquals(1, log.linesWith("Rejected connection").size());

            open.removeFirst().close();
            awaitOpenConnections(LIMITED_ADDRESS_MAX - 1 + 1); // the other two from 127.0.0.2, one from 127.0.0.1
            RawKafkaConnection again = connectFrom("127.0.0.2");
            open.add(again);
            served(again); // a closed connection made room
        } finally {
            for (RawKafkaConnection c : open) {
                c.close();
            }
        }
    }

    @Test
    void atMaxConnectionsTheBrokerAcceptsOnlyWhenAConnectionCloses() throws Exception {
        awaitOpenConnections(0);
        List<RawKafkaConnection> open = new ArrayList<>();
        try (CapturedLog log = CapturedLog.of("dev.pgkafka.adapter.kafka.server.KafkaListener")) {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                RawKafkaConnection conn = connectFrom("127.0.0.1");
                open.add(conn);
                served(conn);
            }
            // the kernel completes the TCP handshake, but the broker does not take the connection
            RawKafkaConnection waiting = connectFrom("127.0.0.1");
            open.add(waiting);
            int correlationId = waiting.send(new ApiVersionsRequestData(), (short) 3);
            assertFalse(log.await("reached max.connections=12", Duration.ofSeconds(5)).isEmpty());
            waiting.readTimeout(300);
            assertThrows(SocketTimeoutException.class, waiting::readFrame, "not answered while the broker is full");
            assertEquals(MAX_CONNECTIONS, broker.kafkaConnectionCount());

            open.removeFirst().close();
            waiting.readTimeout(15_000);
            ApiVersionsResponse answer = (ApiVersionsResponse) waiting.receive(ApiKeys.API_VERSIONS, (short) 3,
                    correlationId);
            assertEquals(Errors.NONE.code(), answer.data().errorCode(), "answered once a connection closed");
            assertEquals(List.of("WARNING Listener PLAINTEXT reached max.connections=12: new connections wait in the "
                    + "accept backlog until one closes"), log.linesWith("reached max.connections"));
        } finally {
            for (RawKafkaConnection c : open) {
                c.close();
            }
        }
    }

    private void awaitOpenConnections(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (broker.kafkaConnectionCount() != count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, broker.kafkaConnectionCount());
    }
}
