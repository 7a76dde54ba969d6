package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A non-Java client: kcat (librdkafka) reads metadata, produces keyed records and consumes them from
 * the beginning. Skipped, with the reason, where kcat is not installed; in CI (CI=true) a missing kcat fails.
 */
class KcatSmokeTest extends BrokerTestSupport {

    @BeforeAll
    void requireKcat() throws Exception {
        ExternalClients.requireKcat();
    }

    @Test
    void kcatReadsMetadataProducesWithKeysAndConsumesFromTheBeginning() throws Exception {
        String topic = uniqueTopic("kcat");
        createTopic(topic, 1);
        ExternalClients.Result produce = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"),
                "k1:hello\nk2:world\nk3:from kcat\n");
        assertEquals(0, produce.exit(), produce.output());

        ExternalClients.Result metadata = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-L", "-t", topic), null);
        assertEquals(0, metadata.exit(), metadata.output());
        assertTrue(metadata.output().contains("1 brokers"), metadata.output());
        assertTrue(metadata.output().contains("topic \"" + topic + "\" with 1 partitions"), metadata.output());

        ExternalClients.Result consume = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-q", "-C", "-t", topic, "-o", "beginning", "-e",
                "-f", "%k=%s@%o\\n"), null);
        assertEquals(0, consume.exit(), consume.output());
        assertTrue(consume.output().contains("k1=hello@0\nk2=world@1\nk3=from kcat@2\n"), consume.output());
    }

    @Test
    void kcatConsumesAsABalancedConsumerInAGroupAndResumesFromItsCommit() throws Exception {
        String topic = uniqueTopic("kcat-group");
        String group = "kcat-" + topic;
        createTopic(topic, 3);
        ExternalClients.Result produce = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"),
                "k1:one\nk2:two\nk3:three\nk4:four\nk5:five\nk6:six\n");
        assertEquals(0, produce.exit(), produce.output());

        // librdkafka's balanced consumer: JoinGroup/SyncGroup/Heartbeat, range assignment by the client
        ExternalClients.Result first = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-G", group, "-X", "auto.offset.reset=earliest", "-q",
                "-c", "6", "-f", "%k=%s\n", topic), null);
        assertEquals(0, first.exit(), first.output());
        for (String line : List.of("k1=one", "k2=two", "k3=three", "k4=four", "k5=five", "k6=six")) {
            assertTrue(first.output().contains(line + "\n"), line + " in " + first.output());
        }

        // it committed on close: a second run reads only what came after
        ExternalClients.Result more = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-P", "-t", topic, "-K:"), "k7:seven\n");
        assertEquals(0, more.exit(), more.output());
        ExternalClients.Result second = ExternalClients.run(List.of("kcat", "-b", bootstrap(), "-G", group, "-X", "auto.offset.reset=earliest", "-q",
                "-c", "1", "-f", "%k=%s\n", topic), null);
        assertEquals(0, second.exit(), second.output());
        assertEquals("k7=seven\n", second.output());
    }
}
