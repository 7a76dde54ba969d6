package dev.pgkafka.adapter.kafka.server;

import java.util.function.LongSupplier;

import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;

/**
 * What the client connections of all listeners share: the limits, the memory budget for their
 * requests, the count of open connections, and the watchdog that applies their timeouts.
 */
public final class BrokerConnections implements AutoCloseable {
    private final ConnectionLimits limits;
    private final LongSupplier clock;
    private final RequestMemoryBudget memory;
    private final ConnectionSlots slots;
    private final ConnectionWatchdog watchdog;
    /** Why connections were closed: a flood of bad clients makes a line per 10 s and kind, with a count. */
    private final ThrottledLog closes;

    BrokerConnections(ConnectionLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.memory = RequestMemoryBudget.of(limits.queuedMaxRequestBytes());
        this.slots = new ConnectionSlots(limits);
        this.watchdog = new ConnectionWatchdog(limits, clock);
        this.closes = new ThrottledLog(LoggerFactory.getLogger(ClientConnection.class), 10_000, clock);
    }

    /** Starts the watchdog; the listeners then take their connections through this. */
    public static BrokerConnections start(ConnectionLimits limits) {
        BrokerConnections connections = new BrokerConnections(limits, System::nanoTime);
        connections.watchdog.start();
        return connections;
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /** Bytes held by requests read and not yet answered, over all connections. */
    public long requestBytesInUse() {
        return memory.used();
    }

    LongSupplier clock() {
        return clock;
    }

    RequestMemoryBudget memory() {
        return memory;
    }

    ConnectionSlots slots() {
        return slots;
    }

    ConnectionWatchdog watchdog() {
        return watchdog;
    }

    ThrottledLog closes() {
        return closes;
    }

    /** Stops the watchdog and wakes acceptors that wait for a connection slot. */
    @Override
    public void close() {
        watchdog.close();
        slots.close();
    }
}
