package dev.pgkafka.adapter.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;

/** The start-up warning when requests could take most of the heap. */
class HeapWarningTest {
    private static final long MIB = 1024 * 1024;
    private static final List<KafkaListenerConfig> LISTENERS = List.of(
            new KafkaListenerConfig("127.0.0.1", 0, "localhost", 0, (int) (100 * MIB)));

    @Test
    void theDefaultBudgetFitsAHeapOfHalfAGibibyteWithOneFullSizeRequest() {
        long heap = 512 * MIB;
        ConnectionLimits limits = ConnectionLimits.defaults().withQueuedMaxRequestBytes(
                ConnectionLimits.defaultRequestBytes(heap));
        assertFalse(KafkaWireAdapter.warnIfRequestsCanFillTheHeap(limits, LISTENERS, heap));
    }

    @Test
    void aSmallHeapOrNoBoundIsWarnedAbout() {
        long heap = 256 * MIB;
        ConnectionLimits limits = ConnectionLimits.defaults().withQueuedMaxRequestBytes(
                ConnectionLimits.defaultRequestBytes(heap));
        assertTrue(KafkaWireAdapter.warnIfRequestsCanFillTheHeap(limits, LISTENERS, heap));
        assertTrue(KafkaWireAdapter.warnIfRequestsCanFillTheHeap(
                limits.withQueuedMaxRequestBytes(ConnectionLimits.UNBOUNDED), LISTENERS, 16L * 1024 * MIB));
    }
}
