package dev.pgkafka.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.listener.RequestLimits;
import dev.pgkafka.application.service.FetchService;
import dev.pgkafka.bootstrap.config.ConfigException;

/**
 * The bounds on requests' work (ADR 16): Kafka's {@code fetch.max.bytes}, our
 * {@code pgkafka.fetch.max.wait.ms} and {@code pgkafka.produce.max.uncompressed.request.bytes}: their
 * defaults, the keys that set them, what DescribeConfigs shows, and the values refused.
 */
class BrokerOptionsRequestLimitsTest {

    private static BrokerOptions parse(String... overrides) throws Exception {
        String[] args = new String[overrides.length * 2];
        for (int i = 0; i < overrides.length; i++) {
            args[2 * i] = "--override";
            args[2 * i + 1] = overrides[i];
        }
        return BrokerOptions.parse(args, Map.of());
    }

    @Test
    void defaultsAreKafkasFetchMaxBytesThirtySecondsAndAQuarterGibibyte() throws Exception {
        BrokerOptions o = parse();
        assertEquals(57_671_680, o.fetchLimits().maxBytes(), "Kafka's 55 MiB");
        assertEquals(30_000, o.fetchLimits().maxWaitMs());
        assertEquals(256L << 20, o.requestLimits().produceMaxUncompressedRequestBytes());
        Map<String, String> shown = Broker.staticConfigs(o);
        assertEquals("57671680", shown.get("fetch.max.bytes"), "DescribeConfigs shows what is in force");
        assertEquals("30000", shown.get("pgkafka.fetch.max.wait.ms"));
        assertEquals("268435456", shown.get("pgkafka.produce.max.uncompressed.request.bytes"));
    }

    @Test
    void theirKeysSetThem() throws Exception {
        BrokerOptions o = parse("fetch.max.bytes=1048576", "pgkafka.fetch.max.wait.ms=2000",
                "pgkafka.produce.max.uncompressed.request.bytes=33554432");
        assertEquals(new FetchService.Limits(1 << 20, 2_000), o.fetchLimits());
        assertEquals(new RequestLimits(32L << 20), o.requestLimits());
        Map<String, String> shown = Broker.staticConfigs(o);
        assertEquals("1048576", shown.get("fetch.max.bytes"));
        assertEquals("2000", shown.get("pgkafka.fetch.max.wait.ms"));
        assertEquals("33554432", shown.get("pgkafka.produce.max.uncompressed.request.bytes"));
    }

    @Test
    void valuesThatCannotBeUsedStopTheStartNamingTheKey() {
        assertEquals("Invalid value 1000 for configuration fetch.max.bytes: Value must be at least 1024",
                refusal("fetch.max.bytes=1000"));
        assertEquals("Invalid value -1 for configuration pgkafka.fetch.max.wait.ms: Value must be at least 0",
                refusal("pgkafka.fetch.max.wait.ms=-1"));
        assertEquals("Invalid value 0 for configuration pgkafka.produce.max.uncompressed.request.bytes: "
                + "Value must be at least 1", refusal("pgkafka.produce.max.uncompressed.request.bytes=0"));
    }

    private static String refusal(String override) {
        return assertThrows(ConfigException.class, () -> parse(override)).getMessage();
    }
}
