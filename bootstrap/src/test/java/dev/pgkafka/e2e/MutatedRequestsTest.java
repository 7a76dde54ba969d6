package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;

/**
 * An attacker's requests: for every API and version the broker advertises, a well-formed request
 * whose body is then damaged (bytes flipped, lengths blown up, cut short). Each connection gets an
 * answer or is closed, none takes the broker down, and afterwards an unrelated connection and a
 * real producer and consumer work as before.
 */
class MutatedRequestsTest extends BrokerTestSupport {
    private static final int MUTANTS_PER_VERSION = 4;
    /** Size prefix, api key, version, correlation id, client id "raw-test" (2 + 8 bytes). */
    private static final int HEADER_PREFIX = 4 + 2 + 2 + 4 + 2 + 8;

    @Test
    void damagedRequestsOfEveryApiAndVersionGetAnAnswerOrACloseAndTheBrokerCarriesOn() throws Exception {
        List<ApiVersion> apis;
        try (RawKafkaConnection probe = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            apis = List.copyOf(probe.request(new ApiVersionsRequestData(), (short) 3, ApiVersionsResponse.class)
                    .data().apiKeys());
        }
        Random random = new Random(20261124);
        int sent = 0;
        int answered = 0;
        int closed = 0;
        for (ApiVersion api : apis) {
            ApiKeys key = ApiKeys.forId(api.apiKey());
            for (short version = api.minVersion(); version <= api.maxVersion(); version++) {
                byte[] valid;
                try {
                    valid = RawKafkaConnection.frame(key.messageType.newRequest(), version, 1);
                } catch (RuntimeException e) {
                    continue; // the default message cannot be written at this version: nothing to damage
                }
                for (int m = 0; m < MUTANTS_PER_VERSION; m++) {
                    byte[] mutant = mutate(valid, random);
                    try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
                        conn.readTimeout(500);
                        conn.sendRaw(mutant);
                        sent++;
                        switch (outcome(conn)) {
                            case ANSWERED -> answered++;
                            case CLOSED -> closed++;
                            case SILENT -> { } // acks=0, a held fetch or join: legitimate silence
                        }
                    }
                }
            }
        }
        assertTrue(sent > 500, "damaged " + sent + " requests");
        assertTrue(answered + closed > sent / 2, sent + " sent, " + answered + " answered, " + closed + " closed");

        try (RawKafkaConnection bystander = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            ApiVersionsResponse response = bystander.request(new ApiVersionsRequestData(), (short) 3,
                    ApiVersionsResponse.class);
            assertEquals(Errors.NONE.code(), response.data().errorCode());
        }
        String topic = uniqueTopic("after-mutants");
        createTopic(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, "still".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(Map.of())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String value = null;
            while (value == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    value = new String(r.value(), StandardCharsets.UTF_8);
                }
            }
            assertEquals("still", value);
        }
    }

    private enum Outcome { ANSWERED, CLOSED, SILENT }

    private static Outcome outcome(RawKafkaConnection conn) {
        try {
            conn.readFrame();
            return Outcome.ANSWERED;
        } catch (SocketTimeoutException e) {
            return Outcome.SILENT;
        } catch (EOFException e) {
            return Outcome.CLOSED;
        } catch (IOException e) {
            return Outcome.CLOSED; // reset by the broker
        }
    }

    /** The request with its body damaged one of three ways; the header stays readable, the size prefix true. */
    private static byte[] mutate(byte[] valid, Random random) {
        int bodyStart = Math.min(HEADER_PREFIX, valid.length);
        byte[] out;
        switch (random.nextInt(3)) {
            case 0 -> { // flip a few bytes
                out = valid.clone();
                for (int i = 0; i < 1 + random.nextInt(3) && out.length > bodyStart; i++) {
                    out[bodyStart + random.nextInt(out.length - bodyStart)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> { // a length or count blown up
                out = valid.clone();
                if (out.length > bodyStart) {
                    int at = bodyStart + random.nextInt(out.length - bodyStart);
                    for (int i = at; i < Math.min(out.length, at + 4); i++) {
                        out[i] = (byte) 0x7f;
                    }
                }
            }
            default -> { // cut short, or followed by garbage
                int length = bodyStart + random.nextInt(Math.max(1, valid.length - bodyStart + 16));
                out = new byte[length];
                System.arraycopy(valid, 0, out, 0, Math.min(length, valid.length));
                for (int i = valid.length; i < length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
            }
        }
        ByteBuffer.wrap(out).putInt(out.length - 4);
        return out;
    }
}
