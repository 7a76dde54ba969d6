package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * SASL listeners with stock kafka-clients 4.3.1: PLAIN against JAAS users and against SCRAM users,
 * SCRAM-SHA-256/512 against users created at start and with the Admin API (in force for the next
 * login), over plain TCP and over TLS, with Kafka's exceptions for every refusal, re-authentication,
 * and a thousand failed logins that leave everyone else working.
 */
class SaslListenersTest extends BrokerTestSupport {
    private static final Path CERTS = Path.of("target", "sasl-listeners-test-certs");
    private static TestCertificates certs;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        certs = TestCertificates.create(CERTS);
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0,SASL_SSL://127.0.0.1:0,REAUTH://127.0.0.1:0");
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL,REAUTH:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\" "
                        + "user_bob=\"bob-secret\";");
        p.put("listener.name.sasl_ssl.sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        p.put("listener.name.reauth.sasl.enabled.mechanisms", "SCRAM-SHA-256");
        p.put("listener.name.reauth.connections.max.reauth.ms", "1500");
        p.put("ssl.keystore.location", CERTS.resolve("server.p12").toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", TestCertificates.PASSWORD);
        return super.options(jdbcUrl).withProperties(p).withAddScram(List.of(
                "SCRAM-SHA-256=[name=admin,password=admin-secret]",
                "SCRAM-SHA-512=[name=admin,password=admin-secret]"));
    }

    private String listener(String name) {
        return "127.0.0.1:" + broker.kafkaPort(name);
    }

    @Test
    void plainWithAJaasUserProducesAndConsumes() throws Exception {
        roundTrip(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "PLAIN", "alice", "alice-secret"), uniqueTopic("plain"));
    }

    @Test
    void scramUsersCreatedAtStartLogInWithBothMechanismsOverTls() throws Exception {
        roundTrip(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "SCRAM-SHA-256", "admin", "admin-secret"),
                uniqueTopic("scram256"));
        roundTrip(ClientSecurity.withTls(ClientSecurity.sasl("localhost:" + broker.kafkaPort("SASL_SSL"),
                "SCRAM-SHA-512", "admin", "admin-secret"), certs), uniqueTopic("scram512-tls"));
    }

    @Test
    void wrongPasswordsGetKafkasExceptionsAndMessages() {
        SaslAuthenticationException plain = loginFailure(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "PLAIN",
                "alice", "wrong"));
        assertEquals("Authentication failed: Invalid username or password", plain.getMessage());
        SaslAuthenticationException scram = loginFailure(ClientSecurity.sasl(listener("SASL_PLAINTEXT"),
                "SCRAM-SHA-512", "admin", "wrong"));
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512", scram.getMessage());
        SaslAuthenticationException unknownUser = loginFailure(ClientSecurity.sasl(listener("SASL_PLAINTEXT"),
                "SCRAM-SHA-256", "nobody", "x"));
        assertTrue(unknownUser.getMessage().startsWith("Authentication failed"), unknownUser.getMessage());
    }

    @Test
    void aMechanismTheListenerDoesNotOfferIsRefused() {
        Map<String, Object> c = ClientSecurity.failFast(ClientSecurity.sasl(listener("REAUTH"), "PLAIN", "alice",
                "alice-secret"));
        try (Admin admin = Admin.create(c)) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
            assertInstanceOf(UnsupportedSaslMechanismException.class, e.getCause());
        }
    }

    @Test
    void scramUsersManagedWithTheAdminApiApplyToTheNextLoginAndPlainChecksThemToo() throws Exception {
        Map<String, Object> adminConfig = ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "SCRAM-SHA-512", "admin",
                "admin-secret");
        Admin admin = admin(adminConfig);
        admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion("carol",
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), "carol-secret"))).all()
                .get(30, TimeUnit.SECONDS);
        roundTrip(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "SCRAM-SHA-512", "carol", "carol-secret"),
                uniqueTopic("carol"));
        // one user store: PLAIN accepts carol's SCRAM password as well
        roundTrip(ClientSecurity.withTls(ClientSecurity.sasl("localhost:" + broker.kafkaPort("SASL_SSL"), "PLAIN",
                "carol", "carol-secret"), certs), uniqueTopic("carol-plain"));

        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("carol", ScramMechanism.SCRAM_SHA_512)))
                .all().get(30, TimeUnit.SECONDS);
        loginFailure(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "SCRAM-SHA-512", "carol", "carol-secret"));
    }

    @Test
    void aTransactionalProducerWorksOverSaslSsl() throws Exception {
        String topic = uniqueTopic("txn-sasl");
        createTopicAs(topic);
        Map<String, Object> c = ClientSecurity.withTls(ClientSecurity.sasl("localhost:" + broker.kafkaPort("SASL_SSL"),
                "SCRAM-SHA-512", "admin", "admin-secret"), certs);
        Map<String, Object> p = new HashMap<>(c);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sasl-txn");
        KafkaProducer<byte[], byte[]> producer = producer(p);
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "in-txn".getBytes(StandardCharsets.UTF_8)));
        producer.commitTransaction();
        Map<String, Object> consumerConfig = new HashMap<>(c);
        consumerConfig.put("isolation.level", "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer(consumerConfig),
                List.of(new TopicPartition(topic, 0)), 1, Duration.ofSeconds(30));
        assertEquals(1, records.size());
    }

    @Test
    void clientsReauthenticateBeforeTheirSessionEndsAndCarryOn() throws Exception {
        String topic = uniqueTopic("reauth");
        Map<String, Object> c = ClientSecurity.sasl(listener("REAUTH"), "SCRAM-SHA-256", "admin", "admin-secret");
        KafkaProducer<byte[], byte[]> producer = producer(c);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int sent = 0;
        while (System.nanoTime() < deadline) {
            producer.send(new ProducerRecord<>(topic, ("r" + sent).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            sent++;
            Thread.sleep(200);
        }
        assertTrue(sent >= 10, "kept producing across three session lifetimes: " + sent);
    }

    @Test
    void aConnectionThatDoesNotReauthenticateIsClosedAfterItsSession() throws Exception {
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("REAUTH"))) {
            RawScram.login(raw, "SCRAM-SHA-256", "admin", "admin-secret");
            raw.request(new MetadataRequestData().setTopics(List.of()), (short) 12,
                    org.apache.kafka.common.requests.MetadataResponse.class);
            Thread.sleep(1_800);
            raw.send(new MetadataRequestData().setTopics(List.of()), (short) 12);
            assertTrue(raw.closedByBroker(), "a request after the session lifetime closes the connection");
        }
    }

    @Test
    void requestsBeforeAuthenticationCloseTheConnection() throws Exception {
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
            raw.send(new MetadataRequestData().setTopics(null), (short) 12);
            assertTrue(raw.closedByBroker());
        }
        // a produce before authenticating: closed, nothing stored
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
            raw.send(new ApiVersionsRequestData().setClientSoftwareName("raw").setClientSoftwareVersion("1"), (short) 3);
            raw.readFrame();
            raw.send(new org.apache.kafka.common.message.ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000),
                    (short) 9);
            assertTrue(raw.closedByBroker());
        }
        roundTrip(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "PLAIN", "bob", "bob-secret"), uniqueTopic("after"));
    }

    @Test
    void aThousandFailedLoginsAreEachRefusedAndOthersKeepWorking() throws Exception {
        String topic = uniqueTopic("bystander");
        KafkaProducer<byte[], byte[]> bystander = producer(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "PLAIN",
                "bob", "bob-secret"));
        bystander.send(new ProducerRecord<>(topic, "first".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<?>> attempts = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            int n = i;
            attempts.add(pool.submit(() -> {
                try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
                    SaslHandshakeResponse handshake = raw.request(new SaslHandshakeRequestData().setMechanism("PLAIN"),
                            (short) 1, SaslHandshakeResponse.class);
                    assertEquals(Errors.NONE.code(), handshake.data().errorCode());
                    SaslAuthenticateResponse answer = raw.request(new SaslAuthenticateRequestData().setAuthBytes(
                            ("\0alice\0guess" + n).getBytes(StandardCharsets.UTF_8)), (short) 2,
                            SaslAuthenticateResponse.class);
                    if (answer.data().errorCode() == Errors.SASL_AUTHENTICATION_FAILED.code() && raw.closedByBroker()) {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
            if (attempts.size() % 200 == 0) {
                // the bystander keeps producing while the attack goes on
                bystander.send(new ProducerRecord<>(topic, ("during-" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        for (Future<?> f : attempts) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(1_000, refused.get());
        assertEquals(6, bystander.send(new ProducerRecord<>(topic, "last".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS).offset());
    }

    @Test
    void aReplayedOrForgedScramFinalMessageIsRefused() throws Exception {
        // a genuine login, whose client-final message an eavesdropper on a plain TCP listener could copy
        byte[] capturedFinal;
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
            org.apache.kafka.common.security.scram.internals.ScramSaslClient client = RawScram.client("SCRAM-SHA-256",
                    "admin", "admin-secret");
            RawScram.handshake(raw, "SCRAM-SHA-256");
            SaslAuthenticateResponse first = RawScram.authenticate(raw, client.evaluateChallenge(new byte[0]));
            capturedFinal = client.evaluateChallenge(first.data().authBytes());
            assertEquals(Errors.NONE.code(), RawScram.authenticate(raw, capturedFinal).data().errorCode());
        }
        // replayed on a new connection: the server's nonce differs, so the proof no longer fits
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
            org.apache.kafka.common.security.scram.internals.ScramSaslClient client = RawScram.client("SCRAM-SHA-256",
                    "admin", "admin-secret");
            RawScram.handshake(raw, "SCRAM-SHA-256");
            RawScram.authenticate(raw, client.evaluateChallenge(new byte[0]));
            SaslAuthenticateResponse replayed = RawScram.authenticate(raw, capturedFinal);
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), replayed.data().errorCode());
            assertTrue(raw.closedByBroker());
        }
        // forged: the right nonce but a proof made up without the password
        try (RawKafkaConnection raw = new RawKafkaConnection("127.0.0.1", broker.kafkaPort("SASL_PLAINTEXT"))) {
            RawScram.handshake(raw, "SCRAM-SHA-256");
            SaslAuthenticateResponse serverFirst = RawScram.authenticate(raw,
                    "n,,n=admin,r=forgerclientnonce".getBytes(StandardCharsets.UTF_8));
            String nonce = new String(serverFirst.data().authBytes(), StandardCharsets.UTF_8).split(",")[0].substring(2);
            String forged = "c=biws,r=" + nonce + ",p=" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
            SaslAuthenticateResponse refused = RawScram.authenticate(raw, forged.getBytes(StandardCharsets.UTF_8));
            assertEquals(Errors.SASL_AUTHENTICATION_FAILED.code(), refused.data().errorCode());
            assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                    + "SCRAM-SHA-256", refused.data().errorMessage());
        }
    }

    private void createTopicAs(String topic) throws Exception {
        admin(ClientSecurity.sasl(listener("SASL_PLAINTEXT"), "SCRAM-SHA-512", "admin", "admin-secret"))
                .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all()
                .get(30, TimeUnit.SECONDS);
    }

    private SaslAuthenticationException loginFailure(Map<String, Object> config) {
        try (Admin admin = Admin.create(ClientSecurity.failFast(config))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
            return assertInstanceOf(SaslAuthenticationException.class, e.getCause());
        }
    }

    private void roundTrip(Map<String, Object> client, String topic) throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(client);
        for (int i = 0; i < 5; i++) {
            producer.send(new ProducerRecord<>(topic, ("v" + i).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        }
        KafkaConsumer<byte[], byte[]> consumer = consumer(client);
        assertEquals(5, readAll(consumer, List.of(new TopicPartition(topic, 0)), 5, Duration.ofSeconds(30)).size());
    }
}
