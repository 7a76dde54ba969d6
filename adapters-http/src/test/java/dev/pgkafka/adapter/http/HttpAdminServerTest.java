package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;

import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.Test;

/**
 * The public entry point: binds a free port, serves, and stops on close. (Helidon's client rather than
 * java.net.http: tests compile inside the adapter's module, which does not read java.net.http.)
 */
class HttpAdminServerTest {

    @Test
    void startsOnAFreePortServesAndStopsOnClose() {
        int port;
        try (HttpAdminServer server = HttpAdminServer.start("127.0.0.1", 0, new Fakes.FakeHealth(),
                new Fakes.FakeTopics(), new Fakes.FakeCluster("c", 1))) {
            port = server.port();
            assertTrue(port > 0, "bound port " + port);
            Http1Client client = Http1Client.builder().baseUri("http://127.0.0.1:" + port).build();
            try (Http1ClientResponse response = client.get("/health").request()) {
                assertEquals(Status.OK_200, response.status());
                assertTrue(response.as(String.class).contains("\"UP\""));
            }
        }
        assertFalse(isListening(port), "still listening on " + port + " after close()");
    }

    @Test
    void closeTwiceIsHarmless() {
        HttpAdminServer server = HttpAdminServer.start("127.0.0.1", 0, new Fakes.FakeHealth(), new Fakes.FakeTopics(),
                new Fakes.FakeCluster("c", 1));
        int port = server.port();
        server.close();
        server.close();
        assertFalse(isListening(port), "still listening on " + port + " after close()");
    }

    @Test
    void aPortInUseFailsTheStartInsteadOfServingNothing() throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HttpAdminServer.start("127.0.0.1",
                    taken.getLocalPort(), new Fakes.FakeHealth(), new Fakes.FakeTopics(), new Fakes.FakeCluster("c", 1)));
            assertTrue(e.getMessage().contains(String.valueOf(taken.getLocalPort())), e.getMessage());
        }
    }

    private static boolean isListening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return s.isConnected();
        } catch (IOException e) {
            return false;
        }
    }
}
