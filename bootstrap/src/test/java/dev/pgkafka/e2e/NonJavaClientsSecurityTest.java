package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * librdkafka (kcat) and kafkajs against a broker with TLS, SASL and ACLs: kcat with SASL_SSL PLAIN and
 * with a client certificate, kafkajs with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512 over TLS; each
 * writes and reads what its ACLs allow and gets Kafka's refusal where they don't. Debian's librdkafka
 * 2.0.2 sends a malformed SCRAM nonce (librdkafka#4895), which Kafka 4 refuses since its fix for
 * CVE-2024-56128, and so does pgkafka.
 */
class NonJavaClientsSecurityTest extends BrokerTestSupport {
    private static final Path CERTS = Path.of("target", "non-java-security-certs");
    private static TestCertificates certs;

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        certs = TestCertificates.create(CERTS);
        certs.client("alice-cert", "CN=alice");
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "SASL_SSL://127.0.0.1:0,MTLS://127.0.0.1:0");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,MTLS:SSL");
        p.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:admin");
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.certificate.chain", read("server.pem"));
        p.put("ssl.keystore.key", read("server.key"));
        p.put("listener.name.mtls.ssl.client.auth", "required");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", CERTS.resolve("ca.pem").toString());
        p.put("ssl.principal.mapping.rules", "RULE:^CN=(.*)$/$1/,DEFAULT");
        return super.options(jdbcUrl).withProperties(p).withAddScram(List.of(
                "SCRAM-SHA-512=[name=admin,password=admin-secret]", "SCRAM-SHA-256=[name=carol,password=carol-secret]",
                "SCRAM-SHA-512=[name=carol,password=carol-secret]"));
    }

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(CERTS.resolve(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String saslSsl() {
        return "127.0.0.1:" + broker.kafkaPort("SASL_SSL");
    }

    @BeforeAll
    void topicsAndAcls() throws Exception {
        Admin admin = admin(ClientSecurity.withTls(ClientSecurity.sasl(saslSsl(), "SCRAM-SHA-512", "admin",
                "admin-secret"), certs));
        admin.createTopics(List.of(new NewTopic("open-kcat", 1, (short) 1), new NewTopic("open-node", 1, (short) 1),
                new NewTopic("closed", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        List<AclBinding> acls = new java.util.ArrayList<>();
        for (String user : List.of("User:alice", "User:carol")) {
            for (AclOperation op : List.of(AclOperation.READ, AclOperation.WRITE)) {
                acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "open-", PatternType.PREFIXED),
                        new AccessControlEntry(user, "*", op, AclPermissionType.ALLOW)));
            }
            acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, "*", PatternType.LITERAL),
                    new AccessControlEntry(user, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        }
        admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    }

    private List<String> kcatSaslSsl(String mechanism, String user, String password) {
        return List.of("kcat", "-b", saslSsl(), "-X", "security.protocol=SASL_SSL", "-X", "sasl.mechanisms=" + mechanism,
                "-X", "sasl.username=" + user, "-X", "sasl.password=" + password,
                "-X", "ssl.ca.location=" + certs.caPem());
    }

    private List<String> kcatMtls() {
        return List.of("kcat", "-b", "127.0.0.1:" + broker.kafkaPort("MTLS"), "-X", "security.protocol=SSL",
                "-X", "ssl.ca.location=" + certs.caPem(),
                "-X", "ssl.certificate.location=" + certs.file("alice-cert.pem"),
                "-X", "ssl.key.location=" + certs.file("alice-cert.key"));
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new java.util.ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void kcatWithSaslSslPlainWritesAndReadsWhatAliceMayAndIsRefusedTheRest() throws Exception {
        ExternalClients.requireKcat();
        List<String> kcat = kcatSaslSsl("PLAIN", "alice", "alice-secret");
        ExternalClients.Result produce = ExternalClients.run(plus(kcat, "-P", "-t", "open-kcat", "-K:"), "k1:v1\nk2:v2\n");
        assertEquals(0, produce.exit(), produce.output());
        ExternalClients.Result consume = ExternalClients.run(plus(kcat, "-C", "-t", "open-kcat", "-o", "beginning",
                "-e", "-q", "-f", "%k=%s\\n"), null);
        assertEquals(0, consume.exit(), consume.output());
        assertTrue(consume.output().contains("k1=v1\nk2=v2\n"), consume.output());

        ExternalClients.Result denied = ExternalClients.run(plus(kcat, "-P", "-t", "closed"), "x\n");
        assertTrue(denied.output().contains("Topic authorization failed"), denied.output());
        ExternalClients.Result wrong = ExternalClients.run(plus(kcatSaslSsl("PLAIN", "alice", "wrong"), "-L"), null);
        assertNotEquals(0, wrong.exit(), wrong.output());
        assertTrue(wrong.output().contains("Authentication failed"), wrong.output());
    }

    @Test
    void kcatWithAClientCertificateIsAliceByTheMappingRules() throws Exception {
        ExternalClients.requireKcat();
        ExternalClients.Result produce = ExternalClients.run(plus(kcatMtls(), "-P", "-t", "open-kcat"), "via-cert\n");
        assertEquals(0, produce.exit(), produce.output());
        ExternalClients.Result denied = ExternalClients.run(plus(kcatMtls(), "-P", "-t", "closed"), "x\n");
        assertTrue(denied.output().contains("Topic authorization failed"), denied.output());
        ExternalClients.Result noCertificate = ExternalClients.run(List.of("kcat", "-b", "127.0.0.1:"
                + broker.kafkaPort("MTLS"), "-X", "security.protocol=SSL", "-X", "ssl.ca.location=" + certs.caPem(),
                "-m", "5", "-L"), null);
        assertNotEquals(0, noCertificate.exit(), noCertificate.output());
    }

    @Test
    void debiansLibrdkafkaScramLoginIsRefusedAsKafkaRefusesItsMalformedNonce() throws Exception {
        ExternalClients.requireKcat();
        ExternalClients.Result version = ExternalClients.run(List.of("kcat", "-V"), null);
        ExternalClients.Result scram = ExternalClients.run(plus(kcatSaslSsl("SCRAM-SHA-256", "carol", "carol-secret"),
                "-m", "10", "-L"), null);
        if (version.output().contains("librdkafka 2.0.")) {
            assertNotEquals(0, scram.exit(), scram.output());
            assertTrue(scram.output().contains("Authentication failed"), scram.output());
        } else {
            // a librdkafka with the fix logs in
            assertEquals(0, scram.exit(), scram.output());
        }
    }

    @Test
    void kafkajsWithPlainAndBothScramMechanismsOverTls() throws Exception {
        for (String[] login : List.of(new String[] {"plain", "alice", "alice-secret"},
                new String[] {"scram-sha-256", "carol", "carol-secret"},
                new String[] {"scram-sha-512", "carol", "carol-secret"})) {
            String output = ExternalClients.node("kafkajs-security.js", "localhost:" + broker.kafkaPort("SASL_SSL"),
                    certs.caPem().toAbsolutePath().toString(), login[0], login[1], login[2], "open-node", "closed",
                    "node-" + login[0]);
            assertTrue(output.contains("produced 5"), login[0] + ": " + output);
            assertTrue(output.contains("denied write TOPIC_AUTHORIZATION_FAILED"), login[0] + ": " + output);
            assertTrue(output.contains("consumed "), login[0] + ": " + output);
            assertTrue(output.contains("wrong password SASL_AUTHENTICATION_FAILED")
                    || output.contains("wrong password KafkaJSSASLAuthenticationError"), login[0] + ": " + output);
        }
    }
}
