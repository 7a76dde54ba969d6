package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A Node.js client, kafkajs: admin, idempotent gzip producer and a consumer group against the broker.
 * Needs {@code node} and kafkajs in the directory named by {@code PGKAFKA_NODE_MODULES} (its
 * node_modules); skipped, with the reason, without them. In CI (CI=true) .ci/run installs them and a
 * missing client fails.
 */
class NodeClientSmokeTest extends BrokerTestSupport {

    @Test
    void kafkajsProducesAndConsumesInAGroup() throws Exception {
        String modules = System.getenv("PGKAFKA_NODE_MODULES");
        boolean available = modules != null && Files.isDirectory(Path.of(modules, "kafkajs")) && nodeRuns();
        if (!available && System.getenv("CI") != null) {
            throw new AssertionError("CI must run the kafkajs smoke test: set PGKAFKA_NODE_MODULES to a node_modules "
                    + "holding kafkajs (.ci/run does)");
        }
        assumeTrue(available, "node and kafkajs are not installed (npm install kafkajs, then "
                + "PGKAFKA_NODE_MODULES=<dir>/node_modules)");

        Path script = Files.createTempFile("kafkajs-smoke", ".js");
        try (InputStream in = getClass().getResourceAsStream("/node/kafkajs-smoke.js")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String topic = uniqueTopic("kafkajs");
        ProcessBuilder pb = new ProcessBuilder("node", script.toString(), bootstrap(), topic, "group-" + topic)
                .redirectErrorStream(true);
        pb.environment().put("NODE_PATH", modules);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("created true"), output);
        assertTrue(output.contains("produced 20"), output);
        assertTrue(output.contains("consumed 20"), output);
        assertTrue(output.contains("committed 20"), output);
    }

    private static boolean nodeRuns() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
