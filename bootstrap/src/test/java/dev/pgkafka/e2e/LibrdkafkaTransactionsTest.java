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
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The C client's transactions: a small librdkafka program (compiled here with gcc) commits, aborts,
 * is fenced by a second instance, and reads partition 0 read_committed and read_uncommitted. Needs
 * gcc and librdkafka's headers (apt-get install librdkafka-dev); skipped, with the reason, without
 * them. In CI (CI=true) .ci/run installs them and their absence fails.
 */
class LibrdkafkaTransactionsTest extends BrokerTestSupport {

    @Test
    void librdkafkaTransactionsAreReadCommittedAndZombiesFenced() throws Exception {
        Path dir = Files.createTempDirectory("librdkafka");
        Path source = dir.resolve("librdkafka-transactions.c");
        try (InputStream in = getClass().getResourceAsStream("/c/librdkafka-transactions.c")) {
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = dir.resolve("librdkafka-transactions");
        Result compiled = run(List.of("gcc", "-O1", "-o", binary.toString(), source.toString(), "-lrdkafka"), dir);
        boolean available = compiled.exit == 0;
        if (!available && System.getenv("CI") != null) {
            throw new AssertionError("CI must run the librdkafka test (.ci/run installs gcc and librdkafka-dev): "
                    + compiled.output);
        }
        assumeTrue(available, "cannot compile against librdkafka (apt-get install gcc librdkafka-dev): "
                + compiled.output);

        String topic = uniqueTopic("librdkafka-txn");
        createTopic(topic, 1);
        Result result = run(List.of(binary.toString(), bootstrap(), topic, "tx-" + topic), dir);
        assertEquals(0, result.exit, result.output);
        assertTrue(result.output.contains("zombie fenced=1 fatal=1"), result.output);
        // offsets: each transaction's record, then its marker
        assertTrue(result.output.contains("read_committed: 0=committed-1 4=committed-2 6=committed-3\n"),
                result.output);
        assertTrue(result.output.contains(
                "read_uncommitted: 0=committed-1 2=aborted-1 4=committed-2 6=committed-3\n"), result.output);
    }

    private record Result(int exit, String output) {
    }

    /** Runs a command with its output in a file, so a hanging one is killed after the timeout. */
    private static Result run(List<String> command, Path dir) throws InterruptedException, IOException {
        Path log = Files.createTempFile(dir, "run", ".log");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, "timed out after 120 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, e.toString());
        }
    }
}
