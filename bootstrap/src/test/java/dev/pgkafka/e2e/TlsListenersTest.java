package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * TLS listeners with stock kafka-clients: a PKCS12 keystore (SSL), PEM key material with an
 * encrypted key and client certificates required (MTLS, per-listener overrides), certificates
 * reloaded from disk without dropping open connections, and what a TLS port does with clients that
 * don't speak TLS or don't show a certificate.
 */
class TlsListenersTest extends BrokerTestSupport {
    private static final Path CERTS = Path.of("target", "tls-listeners-test-certs");
    private static TestCertificates certs;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        certs = TestCertificates.create(CERTS);
        certs.client("alice", "CN=alice,OU=test");
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "PLAINTEXT://127.0.0.1:0,SSL://127.0.0.1:0,MTLS://127.0.0.1:0");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,SSL:SSL,MTLS:SSL");
        p.put("ssl.keystore.location", CERTS.resolve("server.p12").toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", TestCertificates.PASSWORD);
        p.put("ssl.key.password", TestCertificates.PASSWORD);
        // MTLS: PEM files with an encrypted PKCS#8 key, a PEM truststore, client certificates required
        p.put("listener.name.mtls.ssl.keystore.type", "PEM");
        p.put("listener.name.mtls.ssl.keystore.certificate.chain", read(CERTS.resolve("server.pem")));
        p.put("listener.name.mtls.ssl.keystore.key", read(CERTS.resolve("server-encrypted.key")));
        p.put("listener.name.mtls.ssl.truststore.type", "PEM");
        p.put("listener.name.mtls.ssl.truststore.location", CERTS.resolve("ca.pem").toString());
        p.put("listener.name.mtls.ssl.client.auth", "required");
        p.put("pgkafka.ssl.reload.check.interval.ms", "0"); // the test checks by hand
        return super.options(jdbcUrl).withProperties(p);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Map<String, Object> sslClient(String listener) {
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + broker.kafkaPort(listener));
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
        c.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certs.truststoreP12().toString());
        c.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        c.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return c;
    }

    private Map<String, Object> mtlsClient(String name) {
        Map<String, Object> c = sslClient("MTLS");
        c.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, certs.file(name + ".p12").toString());
        c.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        c.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        c.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        return c;
    }

    @Test
    void producesAndConsumesOverTlsWithAPkcs12Keystore() throws Exception {
        roundTrip(sslClient("SSL"), uniqueTopic("tls"));
    }

    @Test
    void mutualTlsWithPemKeyMaterialAcceptsAClientCertificate() throws Exception {
        roundTrip(mtlsClient("alice"), uniqueTopic("mtls"));
    }

    @Test
    void mutualTlsRefusesAClientWithoutCertificateAndOthersCarryOn() throws Exception {
        Map<String, Object> noCertificate = sslClient("MTLS");
        noCertificate.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        noCertificate.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(noCertificate)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof SslAuthenticationException, e.getCause().toString());
        }
        roundTrip(mtlsClient("alice"), uniqueTopic("mtls-after"));
    }

    @Test
    void aPlaintextClientOrGarbageOnTheTlsPortIsClosedAndTheBrokerCarriesOn() throws Exception {
        // a Kafka ApiVersions request in the clear
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SSL"))) {
            raw.send(new org.apache.kafka.common.message.ApiVersionsRequestData()
                    .setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short) 3);
            assertClosedAfterAtMostAnAlert(raw);
        }
        // bytes that look like a TLS record header, then nonsense
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SSL"))) {
            raw.sendRaw(new byte[] {0x16, 0x03, 0x01, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
            assertClosedAfterAtMostAnAlert(raw);
        }
        roundTrip(sslClient("SSL"), uniqueTopic("tls-after-garbage"));
    }

    @Test
    void newCertificatesOnDiskReachNewConnectionsWithoutDroppingOpenOnes() throws Exception {
        String topic = uniqueTopic("tls-reload");
        createTopic(topic, 1);
        Map<String, Object> config = sslClient("SSL");
        KafkaProducer<byte[], byte[]> open = producer(config);
        open.send(new ProducerRecord<>(topic, "before".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        assertEquals("CN=localhost", serverCertificate("SSL").getSubjectX500Principal().getName());

        // a new certificate from the same CA, written the way certificate tools do: a new file moved in place
        certs.server("renewed", "CN=localhost,OU=renewed", Duration.ofDays(90));
        Files.move(CERTS.resolve("renewed.p12"), CERTS.resolve("server.p12.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(CERTS.resolve("server.p12.tmp"), CERTS.resolve("server.p12"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        assertTrue(broker.reloadCertificates() > 0, "the changed keystore was noticed");

        assertTrue(serverCertificate("SSL").getSubjectX500Principal().getName().contains("OU=renewed"));
        RecordMetadata after = open.send(new ProducerRecord<>(topic, "after".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        assertEquals(1, after.offset(), "the open connection kept working");
        roundTrip(sslClient("SSL"), uniqueTopic("tls-renewed"));
    }

    /** The broker closes within the read timeout, having sent at most a TLS alert (a few bytes). */
    private static void assertClosedAfterAtMostAnAlert(RawKafkaConnection raw) throws IOException {
        for (int i = 0; i < 64; i++) {
            if (raw.closedByBroker()) {
                return;
            }
        }
        throw new AssertionError("the broker kept the connection open");
    }

    /** The certificate a fresh TLS connection to the listener is shown. */
    private X509Certificate serverCertificate(String listener) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.truststoreP12())) {
            trust.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", broker.kafkaPort(listener))) {
            s.setSoTimeout(10_000);
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    private void roundTrip(Map<String, Object> client, String topic) throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(client);
        for (int i = 0; i < 10; i++) {
            producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        KafkaConsumer<byte[], byte[]> consumer = consumer(client);
        List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, List.of(new TopicPartition(topic, 0)), 10,
                Duration.ofSeconds(30));
        assertEquals(10, records.size());
        assertArrayEquals("v9".getBytes(StandardCharsets.UTF_8), records.get(9).value());
    }

    @Test
    void describeConfigsShowsTheTlsSettingsButNeverAPassword() throws Exception {
        org.apache.kafka.common.config.ConfigResource broker1 = new org.apache.kafka.common.config.ConfigResource(
                org.apache.kafka.common.config.ConfigResource.Type.BROKER, "1");
        org.apache.kafka.clients.admin.Config config = admin().describeConfigs(List.of(broker1)).all()
                .get(30, TimeUnit.SECONDS).get(broker1);
        org.apache.kafka.clients.admin.ConfigEntry password = config.get("ssl.keystore.password");
        assertTrue(password.isSensitive());
        assertEquals(null, password.value());
        assertEquals(CERTS.resolve("server.p12").toString(), config.get("ssl.keystore.location").value());
        assertTrue(config.get("listeners").value().contains("MTLS://127.0.0.1:0"), config.get("listeners").value());
        assertTrue(config.entries().stream().noneMatch(e -> TestCertificates.PASSWORD.equals(e.value())));
    }

    @Test
    void aTlsClientThatRefusesTheServerCertificateFailsCleanly() {
        Map<String, Object> untrusting = sslClient("SSL");
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG);
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
        untrusting.remove(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG);
        untrusting.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        untrusting.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (Admin admin = Admin.create(untrusting)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof SslAuthenticationException
                    && e.getCause().getCause() instanceof SSLHandshakeException, e.getCause().toString());
        }
    }
}
