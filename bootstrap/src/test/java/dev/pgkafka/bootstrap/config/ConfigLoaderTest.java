package dev.pgkafka.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line and environment, layered as kafka-server-start.sh and our flags take them. */
class ConfigLoaderTest {

    @Test
    void laterSourcesWinFileThenEnvironmentThenCommandLineInOrder(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "num.partitions=2\nnode.id=7\nauto.create.topics.enable=false\nlog.retention.hours=24\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {"--config", file.toString(),
                "--default-partitions", "3", "--override", "num.partitions=4", "--node-id=9"},
                Map.of("PGKAFKA_NODE_ID", "8", "PGKAFKA_AUTO_CREATE_TOPICS", "true"));
        ServerProperties p = loaded.properties();
        assertEquals("4", p.get("num.partitions").orElseThrow(), "--override after the flag wins");
        assertEquals("9", p.get("node.id").orElseThrow(), "the flag beats the environment");
        assertEquals("true", p.get("auto.create.topics.enable").orElseThrow(), "the environment beats the file");
        assertEquals("24", p.get("log.retention.hours").orElseThrow(), "the file's own keys stay");
    }

    @Test
    void aLoneFirstArgumentIsTheConfigFileAsKafkaTakesIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "listeners=PLAINTEXT://127.0.0.1:0\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {file.toString(), "--override", "node.id=3"}, Map.of());
        assertEquals("PLAINTEXT://127.0.0.1:0", loaded.properties().get("listeners").orElseThrow());
        assertEquals("3", loaded.properties().get("node.id").orElseThrow());
    }

    @Test
    void unknownKeysAreReportedAndBrokerToBrokerKeysKnowinglyIgnored(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, "process.roles=broker,controller\ninter.broker.listener.name=SASL_PLAINTEXT\n"
                + "log.dirs=/tmp/kafka\nno.such.key=1\nlistener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=x\n"
                + "listener.name.sasl_ssl.ssl.keystore.location=/k\nlistener.name.x.bogus=1\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {"--config", file.toString()}, Map.of());
        assertEquals(List.of("listener.name.x.bogus", "no.such.key"), loaded.unknownKeys());
        assertEquals(List.of("inter.broker.listener.name", "log.dirs", "process.roles"), loaded.ignoredKeys());
    }

    @Test
    void configProvidersResolveFilesEnvironmentVariablesAndDirectories(@TempDir Path dir) throws Exception {
        Path secrets = dir.resolve("secrets.properties");
        Files.writeString(secrets, "keystore.password=from-file\n");
        Files.createDirectories(dir.resolve("run"));
        Files.writeString(dir.resolve("run").resolve("key-password"), "from-dir");
        Path file = dir.resolve("server.properties");
        Files.writeString(file, String.join("\n",
                "config.providers=file,env,dir",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "config.providers.dir.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider",
                "ssl.keystore.password=${file:" + secrets + ":keystore.password}",
                "ssl.truststore.password=${env:TRUST_PW}",
                "ssl.key.password=${dir:" + dir.resolve("run") + ":key-password}",
                "sasl.jaas.config=${unknown:x}"));
        ServerProperties p = ConfigLoader.load(new String[] {file.toString()}, Map.of("TRUST_PW", "from-env")).properties();
        assertEquals("from-file", p.get("ssl.keystore.password").orElseThrow());
        assertEquals("from-env", p.get("ssl.truststore.password").orElseThrow());
        assertEquals("from-dir", p.get("ssl.key.password").orElseThrow());
        assertEquals("${unknown:x}", p.get("sasl.jaas.config").orElseThrow(), "unknown providers stay as written");

        Files.writeString(file, "config.providers=env\n"
                + "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n"
                + "ssl.keystore.password=${env:MISSING}\n");
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(new String[] {file.toString()}, Map.of()));
        assertTrue(missing.getMessage().contains("MISSING") && missing.getMessage().contains("ssl.keystore.password"),
                missing.getMessage());
    }

    @Test
    void addScramComesFromFlagsAndFromAnEnvironmentVariableOnePerLine() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {"--add-scram", "SCRAM-SHA-256=[name=a,password=p]"},
                Map.of(ConfigLoader.ADD_SCRAM_ENV, "SCRAM-SHA-512=[name=b,password=q]\nSCRAM-SHA-256=[name=c,password=r]\n"));
        assertEquals(3, loaded.addScram().size());
        assertEquals("SCRAM-SHA-512=[name=b,password=q]", loaded.addScram().get(1));
    }

    @Test
    void badCommandLinesAreRefusedWithTheReasonAndNoSecret() {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--no-such-flag", "1"},
                Map.of())).getMessage().contains("--no-such-flag"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--override", "novalue"},
                Map.of())).getMessage().contains("key=value"));
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(
                new String[] {"a.properties", "ssl.keystore.password=hunter2"}, Map.of()));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.load(new String[] {"--config", "/no/such/file"},
                Map.of())).getMessage().contains("/no/such/file"));
        assertThrows(ConfigLoader.HelpRequested.class, () -> ConfigLoader.load(new String[] {"--help"}, Map.of()));
    }

    @Test
    void helpNamesEveryFlagWithItsKeyAndNeverShowsEnvironmentValues() {
        String help = ConfigLoader.usage();
        assertTrue(help.contains("--database-url") && help.contains("pgkafka.database.url"), help);
        assertTrue(help.contains("--default-partitions") && help.contains("num.partitions"), help);
        assertTrue(help.contains("--override") && help.contains("--config") && help.contains("--add-scram"), help);
        assertFalse(help.contains("password=") && help.contains("secret"), help);
    }
}
