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

/**
 * Clients that are not Java: kcat (librdkafka) and Node.js scripts with kafkajs, run as processes
 * with a bounded wait. Skipped, with the reason, where they are not installed; in CI (CI=true),
 * where .ci/run installs them, a missing client fails.
 */
final class ExternalClients {
    private ExternalClients() {
    }

    record Result(int exit, String output) {
    }

    /** Skips (or in CI fails) the calling test when kcat is missing. */
    static void requireKcat() throws InterruptedException {
        boolean present = run(List.of("kcat", "-V"), null).exit() == 0;
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("kcat is not installed, but CI must run the kcat tests (.ci/run installs it)");
        }
        assumeTrue(present, "kcat is not installed (apt-get install kcat); the test needs it");
    }

    /** Runs a command (at most 60 s) with {@code stdin} (or none); its exit code and output. */
    static Result run(List<String> command, String stdin) throws InterruptedException {
        List<String> withTimeout = new ArrayList<>(List.of("timeout", "60"));
        withTimeout.addAll(command);
        try {
            Process p = new ProcessBuilder(withTimeout).redirectErrorStream(true).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(70, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, output);
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            return new Result(127, e.toString());
        }
    }

    /**
     * Runs a script from the test resources' {@code /node} with kafkajs from {@code PGKAFKA_NODE_MODULES};
     * its output once it exited 0.
     */
    static String node(String scriptName, String... args) throws Exception {
        String modules = System.getenv("PGKAFKA_NODE_MODULES");
        boolean available = modules != null && Files.isDirectory(Path.of(modules, "kafkajs")) && nodeRuns();
        if (!available && System.getenv("CI") != null) {
            throw new AssertionError("CI must run the kafkajs tests: set PGKAFKA_NODE_MODULES to a node_modules "
                    + "holding kafkajs (.ci/run does)");
        }
        assumeTrue(available, "node and kafkajs are not installed (npm install kafkajs, then "
                + "PGKAFKA_NODE_MODULES=<dir>/node_modules)");

        Path script = Files.createTempFile("kafkajs", ".js");
        try (InputStream in = ExternalClients.class.getResourceAsStream("/node/" + scriptName)) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> command = new ArrayList<>(List.of("node", script.toString()));
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
