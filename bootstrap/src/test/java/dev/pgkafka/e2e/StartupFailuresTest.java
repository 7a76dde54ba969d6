package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

/**
 * A start that cannot happen exits non-zero with the reason on its last line, naming the setting at
 * fault and never showing a secret, so scripts and supervisors can say what is wrong.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartupFailuresTest {
    private static final String SECRET = "hunter2-do-not-show";
    private String database;
    private String jdbcUrl;
    private TestCertificates certs;

    @BeforeAll
    void setUp() {
        database = PostgresTestDatabase.server().createDatabase();
        jdbcUrl = PostgresTestDatabase.server().urlOf(database);
        certs = TestCertificates.create(Path.of("target", "startup-failures-certs"));
    }

    @AfterAll
    void tearDown() {
        PostgresTestDatabase.server().dropDatabase(database);
    }

    record Exit(int code, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }

    private static Exit run(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile("pgkafka-start-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.pgkafka.bootstrap.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the broker did not exit within 60 s:\n" + Files.readString(log));
        }
        return new Exit(p.exitValue(), Files.readString(log));
    }

    @Test
    void anInvalidValueStopsTheStartNamingTheKey() throws Exception {
        Exit exit = run("--database-url", jdbcUrl, "--http-port", "0", "--override", "num.partitions=zero");
        assertEquals(2, exit.code(), exit.output());
        assertTrue(exit.lastLine().contains("num.partitions") && exit.lastLine().contains("zero"), exit.output());
    }

    @Test
    void aMissingKeystoreStopsTheStartNamingTheSetting() throws Exception {
        Exit exit = run("--database-url", jdbcUrl, "--http-port", "0",
                "--override", "listeners=SSL://127.0.0.1:0",
                "--override", "ssl.keystore.location=/no/such/keystore.p12",
                "--override", "ssl.keystore.password=" + SECRET);
        assertEquals(1, exit.code(), exit.output());
        assertTrue(exit.lastLine().contains("ssl.keystore.location") && exit.lastLine().contains("/no/such/keystore.p12"),
                exit.output());
        assertFalse(exit.output().contains(SECRET), exit.output());
    }

    @Test
    void aWrongKeystorePasswordStopsTheStartWithoutShowingIt() throws Exception {
        Exit exit = run("--database-url", jdbcUrl, "--http-port", "0",
                "--override", "listeners=SSL://127.0.0.1:0",
                "--override", "ssl.keystore.type=PKCS12",
                "--override", "ssl.keystore.location=" + certs.file("server.p12"),
                "--override", "ssl.keystore.password=" + SECRET);
        assertEquals(1, exit.code(), exit.output());
        assertTrue(exit.lastLine().contains("ssl.keystore.password"), exit.output());
        assertFalse(exit.output().contains(SECRET), exit.output());
    }

    @Test
    void aPortInUseStopsTheStartNamingTheListener() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Exit exit = run("--database-url", jdbcUrl, "--http-port", "0",
                    "--override", "listeners=PLAINTEXT://127.0.0.1:" + taken.getLocalPort());
            assertEquals(1, exit.code(), exit.output());
            assertTrue(exit.lastLine().contains("PLAINTEXT") && exit.lastLine().contains("cannot bind"), exit.output());
        }
    }

    @Test
    void anUnreachableDatabaseStopsTheStartWithoutShowingItsPassword() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Exit jdbc = run("--database-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/db?user=u&password=" + SECRET,
                "--http-port", "0", "--kafka-port", "0");
        assertEquals(1, jdbc.code(), jdbc.output());
        assertFalse(jdbc.output().contains(SECRET), jdbc.output());
        Exit uri = run("--database-url", "postgres://u:" + SECRET + "@127.0.0.1:" + closedPort + "/db",
                "--http-port", "0", "--kafka-port", "0");
        assertEquals(1, uri.code(), uri.output());
        assertFalse(uri.output().contains(SECRET), uri.output());
    }

    @Test
    void aCustomPrincipalBuilderOrCallbackHandlerIsRefusedRatherThanIgnored() throws Exception {
        Exit exit = run("--database-url", jdbcUrl, "--http-port", "0", "--kafka-port", "0",
                "--override", "principal.builder.class=com.example.LdapPrincipalBuilder");
        assertEquals(1, exit.code(), exit.output());
        assertTrue(exit.lastLine().contains("principal.builder.class"), exit.output());
        Exit handler = run("--database-url", jdbcUrl, "--http-port", "0", "--kafka-port", "0",
                "--override", "listener.name.sasl_ssl.plain.sasl.server.callback.handler.class=com.example.Ldap");
        assertEquals(1, handler.code(), handler.output());
        assertTrue(handler.lastLine().contains("sasl.server.callback.handler.class"), handler.output());
    }

    /**
     * The options scripts combine: a config file, overrides, a SCRAM user from the environment, the
     * database URL and a free HTTP port; the broker starts, the user logs in, and no secret is printed.
     */
    @Test
    void configOverridesAndAddScramCombineWithDatabaseUrlAndAFreeHttpPort() throws Exception {
        Path config = Files.createTempFile("pgkafka-", ".properties");
        Files.writeString(config, String.join("\n",
                "listeners=SASL_PLAINTEXT://127.0.0.1:0",
                "sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256",
                "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                "super.users=User:ops",
                "num.partitions=1"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.pgkafka.bootstrap.Main",
                "--config", config.toString(), "--override", "num.partitions=3", "--database-url", jdbcUrl,
                "--http-port", "0", "--add-scram", "SCRAM-SHA-512=[name=ops,password=" + SECRET + "]"));
        Path log = Files.createTempFile("pgkafka-start-", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("PGKAFKA_ADD_SCRAM", "SCRAM-SHA-256=[name=reader,password=" + SECRET + "-2]");
        Process p = pb.start();
        try {
            int port = awaitListenerPort(p, log, "SASL_PLAINTEXT");
            java.util.Map<String, Object> ops = ClientSecurity.sasl("127.0.0.1:" + port, "SCRAM-SHA-512", "ops", SECRET);
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(ops)) {
                admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("scripted", java.util.Optional
                        .empty(), java.util.Optional.empty()))).all().get(30, TimeUnit.SECONDS);
                assertEquals(3, admin.describeTopics(List.of("scripted")).allTopicNames().get(30, TimeUnit.SECONDS)
                        .get("scripted").partitions().size(), "--override wins over the file");
            }
            // the user from PGKAFKA_ADD_SCRAM logs in too (DescribeCluster needs no ACL)
            try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                    ClientSecurity.sasl("127.0.0.1:" + port, "SCRAM-SHA-256", "reader", SECRET + "-2"))) {
                assertFalse(admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS).isEmpty());
            }
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertFalse(output.contains(SECRET), output);
    }

    private static int awaitListenerPort(Process p, Path log, String listener) throws Exception {
        java.util.regex.Pattern bound = java.util.regex.Pattern.compile(
                "Kafka listener " + listener + " \\(\\w+\\) on /127\\.0\\.0\\.1:(\\d+)");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String output = Files.readString(log);
            if (!p.isAlive()) {
                throw new AssertionError("the broker exited:\n" + output);
            }
            java.util.regex.Matcher m = bound.matcher(output);
            if (output.contains("pgkafka started") && m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the broker did not start within 60 s:\n" + Files.readString(log));
    }

    @Test
    void shorthandsAndListenersTogetherAreRefused() throws Exception {
        Exit exit = run("--database-url", jdbcUrl, "--kafka-port", "0", "--override", "listeners=PLAINTEXT://127.0.0.1:0");
        assertEquals(2, exit.code(), exit.output());
        assertTrue(exit.lastLine().contains("listeners"), exit.output());
    }
}
