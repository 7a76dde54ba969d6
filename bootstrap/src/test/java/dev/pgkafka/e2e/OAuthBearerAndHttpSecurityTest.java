package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * OAUTHBEARER with the stock Java client's OAuthBearerLoginCallbackHandler (a token from a file), its
 * JWT validated against a JWKS file with Kafka's audience and issuer checks, the token's subject as
 * the principal ACLs name; and the HTTP admin API over HTTPS, which asks for Basic (the SASL users)
 * or Bearer (the same JWKS) and shows each principal only what it may describe.
 */
class OAuthBearerAndHttpSecurityTest extends BrokerTestSupport {
    private static final Path DIR = Path.of("target", "oauthbearer-http-test").toAbsolutePath();
    private static final String ISSUER = "https://issuer.test";
    private static TestCertificates certs;
    private static TestJwts idp;
    private static TestJwts impostor;
    private static Path jwks;
    private static final Map<String, Path> TOKEN_FILES = new HashMap<>();

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        try {
            certs = TestCertificates.create(DIR.resolve("certs"));
            idp = new TestJwts("idp-1");
            impostor = new TestJwts("idp-1"); // same key id, another key: a forged signature
            jwks = DIR.resolve("jwks.json");
            Files.writeString(jwks, idp.jwks());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // Kafka's clients and validators only read the token and key URLs they are told they may
        List<String> allowed = new java.util.ArrayList<>(List.of(jwks.toUri().toString()));
        for (String[] t : new String[][] {{"valid", "alice", ISSUER, "pgkafka"}, {"other-audience", "alice", ISSUER,
                "someone-else"}, {"other-issuer", "alice", "https://evil.test", "pgkafka"}}) {
            tokenFile(t[0], idp.token(t[1], t[2], t[3], 3600), allowed);
        }
        tokenFile("forged", impostor.token("alice", ISSUER, "pgkafka", 3600), allowed);
        System.setProperty("org.apache.kafka.sasl.oauthbearer.allowed.urls", String.join(",", allowed));
        Map<String, String> p = new HashMap<>();
        p.put("listeners", "SASL_PLAINTEXT://127.0.0.1:0");
        p.put("sasl.enabled.mechanisms", "OAUTHBEARER,PLAIN");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required user_admin=\"admin-secret\" "
                        + "user_bob=\"bob-secret\";");
        p.put("listener.name.sasl_plaintext.oauthbearer.sasl.jaas.config",
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        p.put("sasl.oauthbearer.jwks.endpoint.url", jwks.toUri().toString());
        p.put("sasl.oauthbearer.expected.audience", "pgkafka");
        p.put("sasl.oauthbearer.expected.issuer", ISSUER);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:admin");
        p.put("pgkafka.http.ssl.keystore.location", certs.file("server.p12").toString());
        p.put("pgkafka.http.ssl.keystore.type", "PKCS12");
        p.put("pgkafka.http.ssl.keystore.password", TestCertificates.PASSWORD);
        return super.options(jdbcUrl).withProperties(p);
    }

    private static void tokenFile(String name, String token, List<String> allowed) {
        Path file = DIR.resolve("token-" + name + ".jwt");
        try {
            Files.writeString(file, token);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TOKEN_FILES.put(name, file);
        allowed.add(file.toUri().toString());
    }

    /** A client whose login callback handler reads the named token file, as with an identity provider's agent. */
    private Map<String, Object> oauth(String tokenName) {
        Path file = TOKEN_FILES.get(tokenName);
        Map<String, Object> c = new HashMap<>();
        c.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        c.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        c.put(SaslConfigs.SASL_MECHANISM, "OAUTHBEARER");
        c.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        c.put(SaslConfigs.SASL_LOGIN_CALLBACK_HANDLER_CLASS,
                "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler");
        c.put(SaslConfigs.SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL, file.toUri().toString());
        return c;
    }

    @BeforeAll
    void topicsAndAcls() throws Exception {
        Admin admin = admin(ClientSecurity.sasl(bootstrap(), "PLAIN", "admin", "admin-secret"));
        admin.createTopics(List.of(new NewTopic("oauth-events", 1, (short) 1), new NewTopic("payroll", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        admin.createAcls(List.of(new AclBinding(new ResourcePattern(ResourceType.TOPIC, "oauth-", PatternType.PREFIXED),
                new AccessControlEntry("User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
                .all().get(30, TimeUnit.SECONDS);
    }

    @Test
    void aValidTokenLogsInAsItsSubjectWhomTheAclsName() throws Exception {
        KafkaProducer<byte[], byte[]> producer = producer(ClientSecurity.failFast(oauth("valid")));
        assertEquals(0, producer.send(new ProducerRecord<>("oauth-events", "hi".getBytes(StandardCharsets.UTF_8)))
                .get(30, TimeUnit.SECONDS).offset());
        ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                "payroll", "x".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS));
        assertInstanceOf(TopicAuthorizationException.class, e.getCause());
    }

    @Test
    void aForgedSignatureOrAnotherAudienceOrIssuerIsRefused() {
        for (String token : List.of("forged", "other-audience", "other-issuer")) {
            try (Admin admin = Admin.create(ClientSecurity.failFast(oauth(token)))) {
                ExecutionException e = assertThrows(ExecutionException.class,
                        () -> admin.describeCluster().clusterId().get(20, TimeUnit.SECONDS));
                SaslAuthenticationException refused = assertInstanceOf(SaslAuthenticationException.class, e.getCause());
                assertTrue(refused.getMessage().contains("invalid_token"), refused.getMessage());
            }
        }
    }

    @Test
    void theHttpAdminApiAsksForCredentialsAndShowsEachPrincipalWhatItMayDescribe() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustingTheTestCa()).connectTimeout(Duration.ofSeconds(10))
                .build();
        String base = "https://localhost:" + broker.httpPort();

        assertEquals(200, get(http, base + "/health/live", null).statusCode(), "probes need no login");
        HttpResponse<String> anonymous = get(http, base + "/api/v1/topics", null);
        assertEquals(401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").contains("Basic"));
        assertEquals(401, get(http, base + "/api/v1/topics", basic("admin", "wrong")).statusCode());

        String asAdmin = get(http, base + "/api/v1/topics", basic("admin", "admin-secret")).body();
        assertTrue(asAdmin.contains("\"payroll\"") && asAdmin.contains("\"oauth-events\""), asAdmin);

        String bearer = "Bearer " + idp.token("alice", ISSUER, "pgkafka", 3600);
        HttpResponse<String> asAlice = get(http, base + "/api/v1/topics", bearer);
        assertEquals(200, asAlice.statusCode(), asAlice.body());
        assertTrue(asAlice.body().contains("\"oauth-events\""), asAlice.body());
        assertFalse(asAlice.body().contains("payroll"), asAlice.body());
        assertEquals(403, get(http, base + "/api/v1/topics/payroll", bearer).statusCode());
        assertEquals(401, get(http, base + "/api/v1/topics", "Bearer " + impostor.token("alice", ISSUER, "pgkafka", 3600))
                .statusCode());

        // bob has a password but no ACL: he sees nothing, and a plain-HTTP request to the HTTPS port gets no answer
        HttpResponse<String> asBob = get(http, base + "/api/v1/topics", basic("bob", "bob-secret"));
        assertEquals("[]", asBob.body().replaceAll("\\s", ""));
        assertThrows(java.io.IOException.class, () -> get(HttpClient.newHttpClient(),
                "http://localhost:" + broker.httpPort() + "/health/live", null));
    }

    private static HttpResponse<String> get(HttpClient http, String url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trustingTheTestCa() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certs.truststoreP12())) {
            trust.load(in, TestCertificates.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }
}
