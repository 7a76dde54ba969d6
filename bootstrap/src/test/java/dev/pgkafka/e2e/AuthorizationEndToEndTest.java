package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * ACLs enforced on stock kafka-clients 4.3.1, as Kafka's standard authorizer enforces them: a super
 * user over SASL, alice with PLAIN, and alice again with a client certificate mapped by
 * {@code ssl.principal.mapping.rules}; every refusal is the exception a Java client gets from Kafka,
 * listings hide what alice may not describe, and a grant is in force at once.
 */
class AuthorizationEndToEndTest extends BrokerTestSupport {
    private static final Path CERTS = Path.of("target", "authorization-e2e-certs");
    private static TestCertificates certs;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        certs = TestCertificates.create(CERTS);
        certs.client("alice-cert", "OU=eng,CN=alice"); // RFC 2253 reads it "CN=alice,OU=eng"
        certs.client("mallory-cert", "CN=mallory");
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0,MTLS://127.0.0.1:0");
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,MTLS:SSL");
        p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_admin=\"admin-secret\" "
                        + "user_alice=\"alice-secret\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:admin");
        p.put("ssl.keystore.location", CERTS.resolve("server.p12").toString());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.keystore.password", TestCertificates.PASSWORD);
        p.put("ssl.truststore.location", CERTS.resolve("truststore.p12").toString());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.password", TestCertificates.PASSWORD);
        p.put("ssl.client.auth", "required");
        p.put("ssl.principal.mapping.rules", "RULE:^CN=([a-z]+),OU=eng$/$1/L,DEFAULT");
        return super.options(jdbcUrl).withProperties(p);
    }

    private Map<String, Object> as(String user) {
        return ClientSecurity.sasl("127.0.0.1:" + broker.kafkaPort("SASL_PLAINTEXT"), "PLAIN", user, user + "-secret");
    }

    private Map<String, Object> withCertificate(String name) {
        Map<String, Object> c = ClientSecurity.withTls(Map.of("bootstrap.servers", "localhost:" + broker.kafkaPort("MTLS")),
                certs);
        c.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, certs.file(name + ".p12").toString());
        c.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, TestCertificates.PASSWORD);
        c.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PKCS12");
        return c;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType pattern, String principal,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    @BeforeAll
    void grant() throws Exception {
        Admin admin = admin(as("admin"));
        admin.createTopics(List.of(new NewTopic("alice-orders", 1, (short) 1), new NewTopic("secret-payroll", 1, (short) 1),
                new NewTopic("alice-audit", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(
                allow(ResourceType.TOPIC, "alice-", PatternType.PREFIXED, "User:alice", AclOperation.WRITE),
                allow(ResourceType.TOPIC, "alice-orders", PatternType.LITERAL, "User:alice", AclOperation.READ),
                allow(ResourceType.GROUP, "alice-", PatternType.PREFIXED, "User:alice", AclOperation.READ),
                allow(ResourceType.TRANSACTIONAL_ID, "alice-tx", PatternType.LITERAL, "User:alice", AclOperation.WRITE)))
                .all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aSuperUserMayDoEverything() throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(as("admin"));
        producer.send(new ProducerRecord<>("secret-payroll", "salary".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        assertEquals(Set.of("alice-orders", "secret-payroll", "alice-audit"),
                admin(as("admin")).listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> !t.startsWith("__")).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void aliceWritesAndReadsWhatSheMayInHerGroup() throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(as("alice"));
        producer.send(new ProducerRecord<>("alice-orders", "o1".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
        Map<String, Object> c = new HashMap<>(as("alice"));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "alice-readers");
        KafkaConsumer<byte[], byte[]> consumer = consumer(c);
        consumer.subscribe(List.of("alice-orders"));
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen == 0 && System.nanoTime() < deadline) {
            seen += consumer.poll(Duration.ofMillis(200)).count();
        }
        assertTrue(seen >= 1);
        consumer.commitSync();
    }

    @Test
    void producingToATopicWithoutWriteIsATopicAuthorizationException() {
        Map<String, Object> c = ClientSecurity.failFast(as("alice"));
        KafkaProducer<byte[], byte[]> producer = producer(c);
        ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                "secret-payroll", "x".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS));
        TopicAuthorizationException denied = assertInstanceOf(TopicAuthorizationException.class, e.getCause());
        assertEquals(Set.of("secret-payroll"), denied.unauthorizedTopics());
    }

    @Test
    void consumingATopicWithoutReadIsATopicAuthorizationException() {
        KafkaConsumer<byte[], byte[]> consumer = consumer(ClientSecurity.failFast(as("alice")));
        consumer.assign(List.of(new TopicPartition("alice-audit", 0)));
        consumer.seekToBeginning(List.of(new TopicPartition("alice-audit", 0)));
        TopicAuthorizationException denied = assertThrows(TopicAuthorizationException.class, () -> {
            for (int i = 0; i < 50; i++) {
                consumer.poll(Duration.ofMillis(200));
            }
        });
        assertEquals(Set.of("alice-audit"), denied.unauthorizedTopics());
    }

    @Test
    void aGroupWithoutReadIsAGroupAuthorizationException() {
        Map<String, Object> c = new HashMap<>(ClientSecurity.failFast(as("alice")));
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "payroll-readers");
        KafkaConsumer<byte[], byte[]> consumer = consumer(c);
        consumer.subscribe(List.of("alice-orders"));
        GroupAuthorizationException denied = assertThrows(GroupAuthorizationException.class, () -> {
            for (int i = 0; i < 50; i++) {
                consumer.poll(Duration.ofMillis(200));
            }
        });
        assertEquals("payroll-readers", denied.groupId());
    }

    @Test
    void aTransactionalIdWithoutWriteIsATransactionalIdAuthorizationException() throws Exception {
        Map<String, Object> c = new HashMap<>(ClientSecurity.failFast(as("alice")));
        c.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "someone-elses-tx");
        KafkaProducer<byte[], byte[]> producer = producer(c);
        assertThrows(TransactionalIdAuthorizationException.class, producer::initTransactions);

        Map<String, Object> allowed = new HashMap<>(as("alice"));
        allowed.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "alice-tx");
        KafkaProducer<byte[], byte[]> transactional = producer(allowed);
        transactional.initTransactions();
        transactional.beginTransaction();
        transactional.send(new ProducerRecord<>("alice-orders", "in-tx".getBytes(StandardCharsets.UTF_8)));
        transactional.commitTransaction();
    }

    @Test
    void adminOperationsWithoutPermissionGetKafkasExceptionsAndListingsHideTheRest() throws Exception {
        Admin alice = admin(ClientSecurity.failFast(as("alice")));
        ExecutionException create = assertThrows(ExecutionException.class, () -> alice.createTopics(
                List.of(new NewTopic("alice-new", 1, (short) 1))).all().get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, create.getCause());
        ExecutionException acls = assertThrows(ExecutionException.class, () -> alice.createAcls(List.of(
                allow(ResourceType.TOPIC, "secret-payroll", PatternType.LITERAL, "User:alice", AclOperation.READ)))
                .all().get(30, TimeUnit.SECONDS));
        assertInstanceOf(ClusterAuthorizationException.class, acls.getCause());
        ExecutionException delete = assertThrows(ExecutionException.class, () -> alice.deleteTopics(
                List.of("alice-orders")).all().get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, delete.getCause());

        // WRITE implies DESCRIBE: alice sees her topics, not the payroll
        Set<String> visible = alice.listTopics().names().get(30, TimeUnit.SECONDS);
        assertEquals(Set.of("alice-orders", "alice-audit"), visible);
        ExecutionException described = assertThrows(ExecutionException.class, () -> alice.describeTopics(
                List.of("secret-payroll")).allTopicNames().get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, described.getCause());
        Set<AclOperation> ops = alice.describeTopics(List.of("alice-orders"),
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).allTopicNames().get(30, TimeUnit.SECONDS)
                .get("alice-orders").authorizedOperations();
        assertEquals(Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE), ops);
        Set<AclOperation> cluster = alice.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true))
                .authorizedOperations().get(30, TimeUnit.SECONDS);
        assertTrue(cluster == null || cluster.isEmpty(), "alice may not describe the cluster: " + cluster);
    }

    @Test
    void aGrantIsInForceAtOnceAndARevocationToo() throws Exception {
        Admin admin = admin(as("admin"));
        AclBinding readPayroll = allow(ResourceType.TOPIC, "secret-payroll", PatternType.LITERAL, "User:alice",
                AclOperation.DESCRIBE);
        Admin alice = admin(as("alice"));
        assertFalse(alice.listTopics().names().get(30, TimeUnit.SECONDS).contains("secret-payroll"));
        admin.createAcls(List.of(readPayroll)).all().get(30, TimeUnit.SECONDS);
        assertTrue(alice.listTopics().names().get(30, TimeUnit.SECONDS).contains("secret-payroll"));
        admin.deleteAcls(List.of(readPayroll.toFilter())).all().get(30, TimeUnit.SECONDS);
        assertFalse(alice.listTopics().names().get(30, TimeUnit.SECONDS).contains("secret-payroll"));
    }

    @Test
    void aClientCertificateIsMappedToItsPrincipalByTheRules() throws Exception {
        // CN=alice,OU=eng becomes User:alice, with alice's ACLs
        KafkaProducer<byte[], byte[]> producer = producer(withCertificate("alice-cert"));
        producer.send(new ProducerRecord<>("alice-orders", "via-tls".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS);
        // CN=mallory matches no rule but DEFAULT: User:CN=mallory, who may nothing
        KafkaProducer<byte[], byte[]> mallory = producer(ClientSecurity.failFast(withCertificate("mallory-cert")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> mallory.send(new ProducerRecord<>(
                "alice-orders", "x".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }

    @Test
    void autoCreationNeedsCreate() {
        KafkaProducer<byte[], byte[]> producer = producer(ClientSecurity.failFast(as("alice")));
        ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                "alice-brand-new", "x".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }
}
