package dev.pgkafka.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.bootstrap.config.ConfigException;

/**
 * The connection limits under Kafka's names: defaults (Kafka's, but a bounded request budget),
 * per-listener and per-address limits, and Kafka's refusals of values that cannot be used.
 */
class BrokerOptionsConnectionsTest {

    private static BrokerOptions parse(String... overrides) throws Exception {
        String[] args = new String[overrides.length * 2];
        for (int i = 0; i < overrides.length; i++) {
            args[2 * i] = "--override";
            args[2 * i + 1] = overrides[i];
        }
        return BrokerOptions.parse(args, Map.of());
    }

    @Test
    void defaultsAreKafkasButTheRequestBudgetIsAQuarterOfTheHeapAtMostOneGibibyte() throws Exception {
        ConnectionLimits limits = parse().connectionLimits();
        assertEquals(ConnectionLimits.defaultRequestBytes(Runtime.getRuntime().maxMemory()),
                limits.queuedMaxRequestBytes());
        assertEquals(Integer.MAX_VALUE, limits.maxConnections());
        assertEquals(Integer.MAX_VALUE, limits.maxConnectionsPerIp());
        assertEquals(600_000, limits.idleMs());
        assertEquals(30_000, limits.requestReadTimeoutMs());
        assertEquals(30_000, limits.responseWriteTimeoutMs());
        assertEquals(30_000, limits.authenticationTimeoutMs());
        assertEquals(128L << 20, ConnectionLimits.defaultRequestBytes(512L << 20));
        assertEquals(1L << 30, ConnectionLimits.defaultRequestBytes(16L << 30));
        assertEquals(String.valueOf(limits.queuedMaxRequestBytes()),
                Broker.staticConfigs(parse()).get("queued.max.request.bytes"), "DescribeConfigs shows what is in force");
    }

    @Test
    void kafkasKeysSetThem() throws Exception {
        BrokerOptions o = parse("listeners=PLAINTEXT://127.0.0.1:9092,INTERNAL://127.0.0.1:9093",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
                "queued.max.request.bytes=-1", "max.connections=1000", "listener.name.internal.max.connections=10",
                "max.connections.per.ip=50", "max.connections.per.ip.overrides=127.0.0.1:200,localhost:300,[::1]:7",
                "connections.max.idle.ms=-1", "pgkafka.request.read.timeout.ms=5000",
                "pgkafka.response.write.timeout.ms=6000", "pgkafka.authentication.timeout.ms=7000");
        ConnectionLimits limits = o.connectionLimits();
        assertEquals(ConnectionLimits.UNBOUNDED, limits.queuedMaxRequestBytes());
        assertEquals(1_000, limits.maxConnections());
        assertEquals(10, limits.maxConnections("INTERNAL"));
        assertEquals(Integer.MAX_VALUE, limits.maxConnections("PLAINTEXT"));
        assertEquals(50, limits.maxConnectionsPerIp(InetAddress.getByName("10.1.2.3")));
        assertEquals(300, limits.maxConnectionsPerIp(InetAddress.getByName("127.0.0.1")), "the later entry wins");
        assertEquals(7, limits.maxConnectionsPerIp(InetAddress.getByName("::1")));
        assertEquals(-1, limits.idleMs());
        assertEquals(5_000, limits.requestReadTimeoutMs());
        assertEquals(6_000, limits.responseWriteTimeoutMs());
        assertEquals(7_000, limits.authenticationTimeoutMs());
        Map<String, String> shown = Broker.staticConfigs(o);
        assertEquals("1000", shown.get("max.connections"));
        assertEquals("-1", shown.get("queued.max.request.bytes"));
    }

    @Test
    void valuesThatCannotBeUsedStopTheStartNamingTheKey() {
        assertEquals("Invalid value 0 for configuration queued.max.request.bytes: must be positive, or -1 for no bound",
                refusal("queued.max.request.bytes=0"));
        assertEquals("Invalid value -5 for configuration max.connections: Value must be at least 0",
                refusal("max.connections=-5"));
        assertEquals("Invalid value many for configuration listener.name.plaintext.max.connections: "
                + "Not a number of type INT", refusal("listener.name.plaintext.max.connections=many"));
        assertEquals("max.connections.per.ip can be set to zero only if max.connections.per.ip.overrides property "
                + "is set.", refusal("max.connections.per.ip=0"));
        assertEquals("Invalid value 10.0.0.1 for configuration max.connections.per.ip.overrides: '10.0.0.1' is not "
                + "host:count", refusal("max.connections.per.ip.overrides=10.0.0.1"));
        assertEquals("Invalid value a:b for configuration max.connections.per.ip.overrides: 'a:b' does not end with "
                + "a number of connections", refusal("max.connections.per.ip.overrides=a:b"));
        assertEquals("Invalid value no-such-host.invalid:3 for configuration max.connections.per.ip.overrides: "
                + "unknown host 'no-such-host.invalid'", refusal("max.connections.per.ip.overrides=no-such-host.invalid:3"));
        assertEquals("Invalid value 0 for configuration pgkafka.request.read.timeout.ms: Value must be at least 1",
                refusal("pgkafka.request.read.timeout.ms=0"));
    }

    private static String refusal(String override) {
        return assertThrows(ConfigException.class, () -> parse(override)).getMessage();
    }
}
