package dev.pgkafka.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** listeners, advertised.listeners and listener.security.protocol.map, read as Kafka reads them. */
class ListenerSpecTest {

    private static List<ListenerSpec> parse(Map<String, String> props) {
        return ListenerSpec.parse(new ServerProperties(props), "127.0.0.1", 9092, null);
    }

    @Test
    void withoutListenersThereIsOnePlaintextListenerOnLoopback() {
        List<ListenerSpec> specs = parse(Map.of());
        assertEquals(List.of(new ListenerSpec("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 9092, "127.0.0.1", 0)), specs);
        assertFalse(specs.getFirst().bindsBeyondLoopback());
    }

    @Test
    void namedListenersMapToProtocolsAndAdvertiseTheirOwnAddresses() {
        List<ListenerSpec> specs = parse(Map.of(
                "listeners", "INTERNAL://:9092,EXTERNAL://0.0.0.0:9093,SASL_SSL://[::1]:9094,CONTROLLER://:9095",
                "advertised.listeners", "INTERNAL://broker1:9092,EXTERNAL://kafka.example.com:443",
                "listener.security.protocol.map", "INTERNAL:SASL_PLAINTEXT,EXTERNAL:SSL,SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT",
                "controller.listener.names", "CONTROLLER"));
        assertEquals(3, specs.size(), "the controller listener is not bound: pgkafka runs no controller");
        assertEquals(new ListenerSpec("INTERNAL", "SASL_PLAINTEXT", "", 9092, "broker1", 9092), specs.get(0));
        assertEquals(new ListenerSpec("EXTERNAL", "SSL", "0.0.0.0", 9093, "kafka.example.com", 443), specs.get(1));
        assertEquals(new ListenerSpec("SASL_SSL", "SASL_SSL", "::1", 9094, "::1", 0), specs.get(2));
        assertTrue(specs.get(0).usesSasl() && !specs.get(0).usesTls());
        assertTrue(specs.get(1).bindsBeyondLoopback());
        assertFalse(specs.get(2).bindsBeyondLoopback());
    }

    @Test
    void listenerNamesAreCaseInsensitiveAsInKafka() {
        List<ListenerSpec> specs = parse(Map.of("listeners", "sasl_ssl://127.0.0.1:0"));
        assertEquals("SASL_SSL", specs.getFirst().name());
        assertEquals("SASL_SSL", specs.getFirst().protocol());
    }

    @Test
    void mistakesNameTheKey() {
        assertMessage(Map.of("listeners", "PLAINTEXT://:9092,PLAINTEXT://:9093"), "listeners", "different name");
        assertMessage(Map.of("listeners", "A://:9092,B://:9092", "listener.security.protocol.map", "A:SSL,B:SSL"),
                "listeners", "different port");
        assertMessage(Map.of("listeners", "INTERNAL://:9092"), "listener.security.protocol.map", "INTERNAL");
        assertMessage(Map.of("listeners", "PLAINTEXT://localhost"), "listeners", "broker endpoint");
        assertMessage(Map.of("listeners", "A://:1", "listener.security.protocol.map", "A:SASL_GSSAPI"),
                "listener.security.protocol.map", "unknown security protocol");
        assertMessage(Map.of("listeners", "PLAINTEXT://:0", "advertised.listeners", "PLAINTEXT://0.0.0.0:9092"),
                "advertised.listeners", "nonroutable");
        assertMessage(Map.of("listeners", "PLAINTEXT://:0", "advertised.listeners", "SSL://host:9092"),
                "advertised.listeners", "not in listeners");
        assertMessage(Map.of("listeners", "PLAINTEXT://:70000"), "listeners", "65535");
    }

    private static void assertMessage(Map<String, String> props, String key, String reason) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(props));
        assertTrue(e.getMessage().contains("configuration " + key) && e.getMessage().contains(reason), e.getMessage());
    }
}
