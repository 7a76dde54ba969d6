package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidRegularExpression;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ConsumerGroupHeartbeatResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Regular expressions chosen by clients (KIP-848 subscriptions) are compiled with RE2/J and capped:
 * stock consumers with {@code group.protocol=consumer} and {@code subscribe(SubscriptionPattern)}.
 */
class ClientRegexTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300);
    }

    private KafkaConsumer<byte[], byte[]> consumer(String group) {
        return consumer(Map.of(ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
    }

    /**
     * {@code (a+)+} backtracks 2^60 times in the JDK's engine on a topic named 60 a's and a dash; RE2/J
     * resolves it against every topic in linear time. The heartbeat that resolves it is answered within
     * a second, and a stock consumer gets the topic the other branch names.
     */
    @Test
    void aPathologicalRegexIsResolvedInLinearTime() throws Exception {
        createTopic("a".repeat(60) + "-x", 1);
        String target = uniqueTopic("regex");
        createTopic(target, 1);
        String regex = "(a+)+|" + target;

        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            long start = System.nanoTime();
            ConsumerGroupHeartbeatResponseData joined = conn.request(new ConsumerGroupHeartbeatRequestData()
                    .setGroupId(uniqueTopic("raw")).setMemberId("m-1").setMemberEpoch(0).setRebalanceTimeoutMs(30_000)
                    .setSubscribedTopicRegex(regex).setTopicPartitions(List.of()), (short) 1,
                    ConsumerGroupHeartbeatResponse.class).data();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Errors.NONE.code(), joined.errorCode(), joined.errorMessage());
            assertTrue(millis < 1_000, "answered in " + millis + " ms");
        }

        producer(Map.of()).send(new ProducerRecord<>(target, "k".getBytes(), "v".getBytes())).get();
        KafkaConsumer<byte[], byte[]> consumer = consumer(uniqueTopic("pathological"));
        consumer.subscribe(new SubscriptionPattern(regex));
        int received = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (received == 0 && System.nanoTime() < deadline) {
            received += consumer.poll(Duration.ofMillis(200)).count();
        }
        assertEquals(1, received, "the record of the topic the regex names");
    }

    @Test
    void anInvalidRegexFailsTheConsumerWithInvalidRegularExpression() {
        KafkaConsumer<byte[], byte[]> consumer = consumer(uniqueTopic("invalid"));
        consumer.subscribe(new SubscriptionPattern("orders-("));
        assertThrows(InvalidRegularExpression.class, () -> pollUntilError(consumer));
    }

    @Test
    void aRegexLongerThanTheCapFailsTheConsumerWithInvalidRegularExpression() {
        KafkaConsumer<byte[], byte[]> consumer = consumer(uniqueTopic("long"));
        consumer.subscribe(new SubscriptionPattern("a".repeat(1025)));
        InvalidRegularExpression e = assertThrows(InvalidRegularExpression.class, () -> pollUntilError(consumer));
        assertTrue(e.getMessage().contains("1025 characters long"), e.getMessage());
    }

    @Test
    void aRegexThatExpandsTooFarFailsTheConsumerWithInvalidRegularExpression() {
        KafkaConsumer<byte[], byte[]> consumer = consumer(uniqueTopic("bomb"));
        consumer.subscribe(new SubscriptionPattern("((a{1000}){1000}){1000}"));
        assertThrows(InvalidRegularExpression.class, () -> pollUntilError(consumer));
    }

    /** Polls for at most 30 s; the error the broker answered surfaces from poll. */
    private static void pollUntilError(KafkaConsumer<byte[], byte[]> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200));
        }
    }
}
