package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.GroupMaxSizeReachedException;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * {@code group.max.size} (classic groups) and {@code group.consumer.max.size} (KIP-848) set to 2: a third
 * stock consumer fails with GroupMaxSizeReachedException while the first two keep their partitions.
 */
class GroupSizeLimitTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300)
                .withProperties(Map.of("group.max.size", "2", "group.consumer.max.size", "2"));
    }

    @Test
    void aThirdClassicMemberGetsGroupMaxSizeReached() throws Exception {
        assertThirdMemberIsRefused("classic");
    }

    @Test
    void aThirdConsumerProtocolMemberGetsGroupMaxSizeReached() throws Exception {
        assertThirdMemberIsRefused("consumer");
    }

    @Test
    void describeConfigsShowsBothLimits() throws Exception {
        try (Admin admin = admin()) {
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(broker)).all().get().get(broker);
            assertEquals("2", config.get("group.max.size").value());
            assertEquals("2", config.get("group.consumer.max.size").value());
        }
    }

    private void assertThirdMemberIsRefused(String protocol) throws Exception {
        String topic = uniqueTopic("sized-" + protocol);
        createTopic(topic, 4);
        String group = uniqueTopic("group-" + protocol);
        Map<String, Object> overrides = Map.of(ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        KafkaConsumer<byte[], byte[]> first = consumer(overrides);
        KafkaConsumer<byte[], byte[]> second = consumer(overrides);
        first.subscribe(List.of(topic));
        second.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((first.assignment().isEmpty() || second.assignment().isEmpty()) && System.nanoTime() < deadline) {
            first.poll(Duration.ofMillis(100));
            second.poll(Duration.ofMillis(100));
        }
        assertEquals(4, first.assignment().size() + second.assignment().size(), "two members share the partitions");

        KafkaConsumer<byte[], byte[]> third = consumer(overrides);
        third.subscribe(Set.of(topic));
        assertThrows(GroupMaxSizeReachedException.class, () -> {
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < until) {
                third.poll(Duration.ofMillis(100));
                first.poll(Duration.ofMillis(10));
                second.poll(Duration.ofMillis(10));
            }
        });
        third.close(CloseOptions.timeout(Duration.ZERO));
        first.poll(Duration.ofMillis(100));
        second.poll(Duration.ofMillis(100));
        assertEquals(4, first.assignment().size() + second.assignment().size(), "the first two keep working");
    }
}
