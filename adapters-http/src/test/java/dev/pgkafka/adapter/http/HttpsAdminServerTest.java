package dev.pgkafka.adapter.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import io.helidon.common.tls.Tls;
import io.helidon.http.Status;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin listener over HTTPS: served with the given certificate, HTTPS only, the protocols and
 * client authentication asked for, and certificates reloaded for new connections while open ones
 * keep working.
 */
class HttpsAdminServerTest {
    private static final TestCertificates.Identity FIRST = TestCertificates.selfSigned("localhost");
    private static final TestCertificates.Identity SECOND = TestCertificates.selfSigned("localhost");
    /** Trusts both server certificates, so that which one was served is the only difference. */
    private static final SSLContext CLIENT = TestCertificates.context(null, FIRST.certificate(), SECOND.certificate());

    private HttpAdminServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpAdminServer start(HttpAdminSettings settings) {
        server = HttpAdminServer.start(settings, new Fakes.FakeHealth(), new Fakes.FakeTopics(),
                new Fakes.FakeCluster("cluster-x1", 7), null, null);
        return server;
    }

    private static HttpAdminSettings https(HttpTlsSettings tls) {
        return HttpAdminSettings.plain("127.0.0.1", 0).withTls(tls);
    }

    @Test
    void servesHttpsToAWebClientThatTrustsTheCertificate() {
        start(https(HttpTlsSettings.of(TestCertificates.context(FIRST))));
        assertTrue(server.isHttps());
        Http1Client client = Http1Client.builder()
                .baseUri("https://localhost:" + server.port())
                .tls(Tls.builder().sslContext(CLIENT).build())
                .build();
        try (Http1ClientResponse response = client.get("/api/v1/cluster").request()) {
            assertEquals(Status.OK_200, response.status());
            assertTrue(response.as(String.class).contains("cluster-x1"));
        }
    }

    @Test
    void aPlainHttpRequestGetsNoHttpAnswerAndTheListenerKeepsServing() throws IOException {
        start(https(HttpTlsSettings.of(TestCertificates.context(FIRST))));
        try (Socket plain = new Socket("127.0.0.1", server.port())) {
            plain.setSoTimeout(5_000);
            OutputStream out = plain.getOutputStream();
            out.write("GET /api/v1/cluster HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] answer = readUntilClosed(plain.getInputStream());
            // closed, at most after a TLS alert: never a plaintext answer, never a hanging connection
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("HTTP/"), new String(answer,
                    StandardCharsets.ISO_8859_1));
            assertFalse(new String(answer, StandardCharsets.ISO_8859_1).contains("cluster-x1"));
        }
        try (SSLSocket tls = connect(CLIENT)) {
            assertEquals(200, RawHttp.exchange(tls, "/health/live", true).status());
        }
    }

    @Test
    void reloadServesTheNewCertificateToNewConnectionsWhileAnOpenOneKeepsWorking() throws IOException {
        start(https(HttpTlsSettings.of(TestCertificates.context(FIRST))));
        try (SSLSocket open = connect(CLIENT)) {
            assertEquals(200, RawHttp.exchange(open, "/health/live", false).status());
            assertEquals(FIRST.certificate(), served(open));

            server.reloadTls(TestCertificates.context(SECOND));

            try (SSLSocket fresh = connect(CLIENT)) {
                assertEquals(SECOND.certificate(), served(fresh));
                assertEquals(200, RawHttp.exchange(fresh, "/api/v1/cluster", true).status());
            }
            // the connection opened before the reload was not dropped and still has its session
            assertEquals(200, RawHttp.exchange(open, "/api/v1/cluster", false).status());
            assertEquals(200, RawHttp.exchange(open, "/health/live", true).status());
            assertEquals(FIRST.certificate(), served(open));
        }
    }

    @Test
    void theContextSupplierIsAskedAtEveryConnection() throws IOException {
        AtomicReference<SSLContext> current = new AtomicReference<>(TestCertificates.context(FIRST));
        start(https(new HttpTlsSettings(current::get, List.of(), List.of(), HttpTlsSettings.ClientAuth.NONE)));
        try (SSLSocket before = connect(CLIENT)) {
            assertEquals(FIRST.certificate(), served(before));
        }
        current.set(TestCertificates.context(SECOND));
        try (SSLSocket after = connect(CLIENT)) {
            assertEquals(SECOND.certificate(), served(after));
            assertEquals(200, RawHttp.exchange(after, "/health/live", true).status());
        }
    }

    @Test
    void aConnectionThatCannotGetAContextIsClosedAndTheListenerKeepsAccepting() throws IOException {
        SSLContext context = TestCertificates.context(FIRST);
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean();
        start(https(new HttpTlsSettings(() -> {
            if (broken.get()) {
                throw new IllegalStateException("keystore half written");
            }
            return context;
        }, List.of(), List.of(), HttpTlsSettings.ClientAuth.NONE)));
        broken.set(true);
        assertThrows(IOException.class, () -> connect(CLIENT).close());
        broken.set(false);
        try (SSLSocket tls = connect(CLIENT)) {
            assertEquals(200, RawHttp.exchange(tls, "/health/live", true).status());
        }
    }

    @Test
    void onlyTheEnabledProtocolsAreSpoken() throws IOException {
        start(https(new HttpTlsSettings(() -> TestCertificates.context(FIRST), List.of("TLSv1.3"), List.of(),
                HttpTlsSettings.ClientAuth.NONE)));
        try (SSLSocket tls13 = connect(CLIENT, "TLSv1.3")) {
            assertEquals("TLSv1.3", tls13.getSession().getProtocol());
        }
        assertThrows(IOException.class, () -> {
            try (SSLSocket tls12 = connect(CLIENT, "TLSv1.2")) {
                RawHttp.exchange(tls12, "/health/live", true);
            }
        });
    }

    @Test
    void aRequiredClientCertificateIsRequired() throws IOException {
        TestCertificates.Identity operator = TestCertificates.selfSigned("operator");
        SSLContext serverContext = TestCertificates.context(FIRST, operator.certificate());
        start(https(new HttpTlsSettings(() -> serverContext, List.of(), List.of(), HttpTlsSettings.ClientAuth.REQUIRED)));

        // with TLS 1.3 the refusal can come after the client's side of the handshake: on the first read
        assertThrows(IOException.class, () -> {
            try (SSLSocket anonymous = connect(CLIENT)) {
                RawHttp.exchange(anonymous, "/health/live", true);
            }
        });
        SSLContext withCertificate = TestCertificates.context(operator, FIRST.certificate());
        try (SSLSocket identified = connect(withCertificate)) {
            assertEquals(200, RawHttp.exchange(identified, "/health/live", true).status());
        }
    }

    @Test
    void authenticationAndTheClientAddressWorkOverHttps() throws IOException {
        Fakes.FakeAuthentication authentication = new Fakes.FakeAuthentication();
        authentication.passwords.put("alice", "alice-pw");
        Fakes.FakeAuthorization authorization = new Fakes.FakeAuthorization();
        authorization.allowEverything = true;
        start(https(HttpTlsSettings.of(TestCertificates.context(FIRST)))
                .withAuthentication(authentication, true)
                .withAuthorization(authorization));
        try (SSLSocket tls = connect(CLIENT)) {
            assertEquals(401, RawHttp.exchange(tls, "/api/v1/topics", false).status());
            String basic = Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
            assertEquals(200, RawHttp.exchange(tls, "/api/v1/topics", true, "Authorization: Basic " + basic).status());
        }
        // empty topic list: nothing to authorize, so ask about a named one
        try (SSLSocket tls = connect(CLIENT)) {
            String basic = Base64.getEncoder().encodeToString("alice:alice-pw".getBytes(StandardCharsets.UTF_8));
            RawHttp.exchange(tls, "/api/v1/topics/orders", true, "Authorization: Basic " + basic);
        }
        assertEquals(new Requester(KafkaPrincipal.user("alice"), "127.0.0.1"), authorization.asked.getFirst().requester());
    }

    @Test
    void reloadingAPlainHttpListenerIsRefused() {
        start(HttpAdminSettings.plain("127.0.0.1", 0));
        assertFalse(server.isHttps());
        assertThrows(IllegalStateException.class, () -> server.reloadTls(TestCertificates.context(FIRST)));
    }

    private SSLSocket connect(SSLContext context, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(10_000);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.startHandshake();
        return socket;
    }

    private static Certificate served(SSLSocket socket) throws IOException {
        return socket.getSession().getPeerCertificates()[0];
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a plaintext connection open on its HTTPS port", e);
        } catch (IOException e) {
            // a reset is a clean refusal too
            return new byte[0];
        }
    }
}
