package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A non-Java client: kcat (librdkafka) reads metadata, produces keyed records and consumes them from
 * the beginning. Skipped, with the reason, where kcat is not installed; in CI (CI=true) a missing kcat fails.
 */
class KcatSmokeTest extends BrokerTestSupport {

    @BeforeAll
    void requireKcat() throws Exception {
        boolean present = run(List.of("kcat", "-V"), null).exit == 0;
        if (!present && System.getenv("CI") != null) {
            throw new AssertionError("kcat is not installed, but CI must run the kcat smoke test (.ci/run installs it)");
        }
        assumeTrue(present, "kcat is not installed (apt-get install kcat); the smoke test needs it");
    }

    @Test
    void kcatReadsMetadataProducesWithKeysAndConsumesFromTheBeginning() throws Exception {
        String topic = uniqueTopic("kcat");
        createTopic(topic, 1);
        Result produce = run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"),
                "k1:hello\nk2:world\nk3:from kcat\n");
        assertEquals(0, produce.exit, produce.output);

        Result metadata = run(List.of("kcat", "-b", bootstrap(), "-L", "-t", topic), null);
        assertEquals(0, metadata.exit, metadata.output);
        assertTrue(metadata.output.contains("1 brokers"), metadata.output);
        assertTrue(metadata.output.contains("topic \"" + topic + "\" with 1 partitions"), metadata.output);

        Result consume = run(List.of("kcat", "-b", bootstrap(), "-q", "-C", "-t", topic, "-o", "beginning", "-e",
                "-f", "%k=%s@%o\\n"), null);
        assertEquals(0, consume.exit, consume.output);
        assertTrue(consume.output.contains("k1=hello@0\nk2=world@1\nk3=from kcat@2\n"), consume.output);
    }

    @Test
    void kcatConsumesAsABalancedConsumerInAGroupAndResumesFromItsCommit() throws Exception {
        String topic = uniqueTopic("kcat-group");
        String group = "kcat-" + topic;
        createTopic(topic, 3);
        Result produce = run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"),
                "k1:one\nk2:two\nk3:three\nk4:four\nk5:five\nk6:six\n");
        assertEquals(0, produce.exit, produce.output);

        // librdkafka's balanced consumer: JoinGroup/SyncGroup/Heartbeat, range assignment by the client
        Result first = run(List.of("kcat", "-b", bootstrap(), "-G", group, "-X", "auto.offset.reset=earliest", "-q",
                "-c", "6", "-f", "%k=%s\n", topic), null);
        assertEquals(0, first.exit, first.output);
        for (String line : List.of("k1=one", "k2=two", "k3=three", "k4=four", "k5=five", "k6=six")) {
            assertTrue(first.output.contains(line + "\n"), line + " in " + first.output);
        }

        // it committed on close: a second run reads only what came after
        Result more = run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"), "k7:seven\n");
        assertEquals(0, more.exit, more.output);
        Result second = run(List.of("kcat", "-b", bootstrap(), "-G", group, "-X", "auto.offset.reset=earliest", "-q",
                "-c", "1", "-f", "%k=%s\n", topic), null);
        assertEquals(0, second.exit, second.output);
        assertEquals("k7=seven\n", second.output);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, String stdin) throws InterruptedException {
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
}
