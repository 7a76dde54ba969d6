package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * A Node.js client, kafkajs: admin, idempotent gzip producer, a consumer group, and transactions
 * (commit, abort, sendOffsets, a fenced zombie) read back read_committed and read_uncommitted.
 * Needs {@code node} and kafkajs in the directory named by {@code PGKAFKA_NODE_MODULES} (its
 * node_modules); skipped, with the reason, without them. In CI (CI=true) .ci/run installs them and a
 * missing client fails.
 */
class NodeClientSmokeTest extends BrokerTestSupport {

    @Test
    void kafkajsProducesAndConsumesInAGroup() throws Exception {
        String topic = uniqueTopic("kafkajs");
        String output = runNode("kafkajs-smoke.js", topic, "group-" + topic);
        assertTrue(output.contains("created true"), output);
        assertTrue(output.contains("produced 20"), output);
        assertTrue(output.contains("consumed 20"), output);
        assertTrue(output.contains("committed 20"), output);
    }

    @Test
    void kafkajsTransactionsAreReadCommittedAndZombiesFenced() throws Exception {
        String topic = uniqueTopic("kafkajs-txn");
        String output = runNode("kafkajs-transactions.js", topic, "tx-" + topic, "group-" + topic);
        assertTrue(output.contains("zombie fenced INVALID_PRODUCER_EPOCH")
                || output.contains("zombie fenced PRODUCER_FENCED"), output);
        assertTrue(output.contains(
                "read_committed [\"0:committed-1\",\"0:committed-3\",\"1:committed-2\",\"1:committed-4\"]"), output);
        assertTrue(output.contains("read_uncommitted [\"0:aborted-1\",\"0:committed-1\",\"0:committed-3\","
                + "\"1:committed-2\",\"1:committed-4\"]"), output);
        assertTrue(output.contains("group offset 7"), output);
    }

    /** Runs a script from {@code /node} with the broker's address first; its output once it exited 0. */
    private String runNode(String scriptName, String... args) throws Exception {
        String modules = System.getenv("PGKAFKA_NODE_MODULES");
        boolean available = modules != null && Files.isDirectory(Path.of(modules, "kafkajs")) && nodeRuns();
        if (!available && System.getenv("CI") != null) {
            throw new AssertionError("CI must run the kafkajs smoke test: set PGKAFKA_NODE_MODULES to a node_modules "
                    + "holding kafkajs (.ci/run does)");
        }
        assumeTrue(available, "node and kafkajs are not installed (npm install kafkajs, then "
                + "PGKAFKA_NODE_MODULES=<dir>/node_modules)");

        Path script = Files.createTempFile("kafkajs", ".js");
        try (InputStream in = getClass().getResourceAsStream("/node/" + scriptName)) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString(), bootstrap()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("kafkajs", ".log");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("NODE_PATH", modules);
        Process p = pb.start();
        // the output goes to a file so that a hanging script is killed after the timeout, not waited on forever
        boolean exited = p.waitFor(90, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(script);
        Files.deleteIfExists(log);
        assertTrue(exited, "node did not finish within 90 s:\n" + output);
        assertEquals(0, p.exitValue(), output);
        return output;
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
