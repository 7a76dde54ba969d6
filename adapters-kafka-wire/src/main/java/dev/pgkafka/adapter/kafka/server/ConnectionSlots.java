package dev.pgkafka.adapter.kafka.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;

/**
 * Counts the open connections of every listener as Kafka's {@code ConnectionQuotas} does: at
 * {@code max.connections} (broker-wide) or {@code listener.name.<l>.max.connections} a listener
 * stops accepting until a connection closes, so new clients wait in the accept backlog; a new
 * connection from an address that already has {@code max.connections.per.ip} (or its override) is
 * closed at once.
 */
final class ConnectionSlots {
    private final ConnectionLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    /** Guarded by {@link #lock}, as everything below. */
    private int total;
    private final Map<String, Integer> perListener = new HashMap<>();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private boolean closed;

    ConnectionSlots(ConnectionLimits limits) {
        this.limits = limits;
    }

    /**
     * Waits until the listener may have one more connection, and takes that slot.
     *
     * @param whenFull told once which limit is reached, when this call has to wait
     * @return false when the broker shuts down meanwhile (no slot taken)
     */
    boolean awaitSlot(String listener, Consumer<String> whenFull) throws InterruptedException {
        lock.lock();
        try {
            boolean told = false;
            while (!closed) {
                String full = reachedLimit(listener);
                if (full == null) {
                    total++;
                    perListener.merge(listener, 1, Integer::sum);
                    return true;
                }
                if (!told) {
                    whenFull.accept(full);
                    told = true;
                }
                freed.await();
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The limit that keeps the listener from taking a connection now, or null. */
    private String reachedLimit(String listener) {
        if (total >= limits.maxConnections()) {
            return "max.connections=" + limits.maxConnections();
        }
        int own = limits.maxConnections(listener);
        if (perListener.getOrDefault(listener, 0) >= own) {
            return "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".max.connections=" + own;
        }
        return null;
    }

    /**
     * Counts the connection accepted with the slot taken by {@link #awaitSlot} against its address.
     *
     * @return the limit it exceeds (the slot is given back), or null when it may stay
     */
    String admit(String listener, InetAddress address) {
        lock.lock();
        try {
            int max = limits.maxConnectionsPerIp(address);
            int count = perAddress.getOrDefault(address, 0);
            if (count >= max) {
                releaseSlot(listener);
                return limits.maxConnectionsPerIpOverrides().containsKey(address)
                        ? "max.connections.per.ip.overrides (" + max + ")" : "max.connections.per.ip=" + max;
            }
            perAddress.put(address, count + 1);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back a slot no connection got (the accept failed). */
    void giveBack(String listener) {
        lock.lock();
        try {
            releaseSlot(listener);
        } finally {
            lock.unlock();
        }
    }

    /** An admitted connection closed. */
    void closed(String listener, InetAddress address) {
        lock.lock();
        try {
            perAddress.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
            releaseSlot(listener);
        } finally {
            lock.unlock();
        }
    }

    private void releaseSlot(String listener) {
        total--;
        perListener.computeIfPresent(listener, (l, n) -> n > 1 ? n - 1 : null);
        freed.signalAll();
    }

    int open() {
        lock.lock();
        try {
            return total;
        } finally {
            lock.unlock();
        }
    }

    int open(InetAddress address) {
        lock.lock();
        try {
            return perAddress.getOrDefault(address, 0);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes acceptors waiting for a slot: the broker shuts down. */
    void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
