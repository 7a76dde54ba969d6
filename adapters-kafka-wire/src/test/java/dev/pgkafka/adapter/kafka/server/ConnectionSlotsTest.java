package dev.pgkafka.adapter.kafka.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Kafka's connection limits: at max.connections (or a listener's own) accepting waits for a
 * connection to close; an address over max.connections.per.ip (or its override) is refused; and a
 * flood of refusals is a few log lines, not one per connection.
 */
class ConnectionSlotsTest {
    private static final InetAddress A = address("10.0.0.1");
    private static final InetAddress B = address("10.0.0.2");

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CompletableFuture<Boolean> awaitSlotLater(ConnectionSlots slots, String listener, List<String> told) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                f.complete(slots.awaitSlot(listener, told::add));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Test
    void atMaxConnectionsAcceptingWaitsUntilAConnectionCloses() throws Exception {
        ConnectionSlots slots = new ConnectionSlots(new ConnectionLimitsBuilder().maxConnections(2).build());
        List<String> told = new ArrayList<>();
        assertTrue(slots.awaitSlot("PLAINTEXT", told::add));
        assertNull(slots.admit("PLAINTEXT", A));
        assertTrue(slots.awaitSlot("SSL", told::add)); // the limit is broker-wide
        assertNull(slots.admit("SSL", B));
        List<String> waiting = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> third = awaitSlotLater(slots, "PLAINTEXT", waiting);
        assertThrows(TimeoutException.class, () -> third.get(200, TimeUnit.MILLISECONDS));
        assertEquals(List.of("max.connections=2"), waiting);
        slots.closed("SSL", B);
        assertTrue(third.get(5, TimeUnit.SECONDS));
        assertEquals(2, slots.open());
    }

    @Test
    void aListenersOwnLimitLeavesTheOtherListenersAlone() throws Exception {
        ConnectionSlots slots = new ConnectionSlots(new ConnectionLimitsBuilder().maxConnections("INTERNAL", 1).build());
        assertTrue(slots.awaitSlot("INTERNAL", x -> { }));
        List<String> waiting = new java.util.concurrent.CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> second = awaitSlotLater(slots, "INTERNAL", waiting);
        assertThrows(TimeoutException.class, () -> second.get(200, TimeUnit.MILLISECONDS));
        assertEquals(List.of("listener.name.internal.max.connections=1"), waiting);
        assertTrue(slots.awaitSlot("PLAINTEXT", x -> { }));
        slots.close();
        assertFalse(second.get(5, TimeUnit.SECONDS), "shutdown wakes a waiting acceptor without a slot");
    }

    @Test
    void anAddressOverItsLimitIsRefusedAndItsSlotGivenBack() throws Exception {
        ConnectionSlots slots = new ConnectionSlots(new ConnectionLimitsBuilder().maxConnectionsPerIp(2)
                .maxConnectionsPerIp(B, 0).build());
        for (int i = 0; i < 2; i++) {
            assertTrue(slots.awaitSlot("PLAINTEXT", x -> { }));
            assertNull(slots.admit("PLAINTEXT", A));
        }
        assertTrue(slots.awaitSlot("PLAINTEXT", x -> { }));
        assertEquals("max.connections.per.ip=2", slots.admit("PLAINTEXT", A));
        assertTrue(slots.awaitSlot("PLAINTEXT", x -> { }));
        assertEquals("max.connections.per.ip.overrides (0)", slots.admit("PLAINTEXT", B));
        assertEquals(2, slots.open());
        assertEquals(2, slots.open(A));
        slots.closed("PLAINTEXT", A);
        assertTrue(slots.awaitSlot("PLAINTEXT", x -> { }));
        assertNull(slots.admit("PLAINTEXT", A), "a closed connection makes room for the next one");
    }

    @Test
    void aFloodOfRefusalsIsOneLinePerIntervalWithACount() {
        AtomicLong clock = new AtomicLong();
        ThrottledLog log = new ThrottledLog(LoggerFactory.getLogger(ConnectionSlotsTest.class), 10_000, clock::get);
        assertEquals("refused 0", log.lineToLog("per-ip", "refused 0"));
        for (int i = 1; i <= 999; i++) {
            assertNull(log.lineToLog("per-ip", "refused " + i));
        }
        assertEquals("full", log.lineToLog("full", "full"), "each kind has its own interval");
        clock.addAndGet(TimeUnit.SECONDS.toNanos(10));
        assertEquals("refused 1000 (and 999 more like it since the last such line)",
                log.lineToLog("per-ip", "refused 1000"));
        assertNull(log.lineToLog("per-ip", "refused 1001"));
    }
}
