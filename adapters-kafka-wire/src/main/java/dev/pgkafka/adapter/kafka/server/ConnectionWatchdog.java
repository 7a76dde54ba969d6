package dev.pgkafka.adapter.kafka.server;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.server.ConnectionActivity.Expiry;

/**
 * One thread for the whole broker that closes the connections whose timeouts have passed:
 * {@code connections.max.idle.ms}, the read timeout of a half-sent frame, the write timeout of an
 * answer the client does not take, and the login timeout of SASL listeners. Closing the socket
 * ends the blocked read or write of the connection's threads, which then give its memory back.
 * A scan rather than socket timeouts: one mechanism covers plain and TLS sockets, reads and writes
 * (blocking writes have no timeout), and deadlines that span many reads (ADR 15).
 */
final class ConnectionWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionWatchdog.class);

    /** A connection as the watchdog sees it. */
    interface Watched {
        ConnectionActivity activity();

        /** Closes the connection at once, without waiting for its requests. */
        void abort();

        String description();
    }

    private final ConnectionLimits limits;
    private final LongSupplier clock;
    private final Set<Watched> connections = ConcurrentHashMap.newKeySet();
    private final ThrottledLog throttled;
    private final long intervalMs;
    private volatile Thread thread;
    private volatile boolean closed;

    ConnectionWatchdog(ConnectionLimits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.throttled = new ThrottledLog(LOG, 10_000, clock);
        this.intervalMs = interval(limits);
    }

    /** A fifth of the shortest timeout, between 10 ms and 1 s: timeouts fire at most 20% late. */
    static long interval(ConnectionLimits limits) {
        long shortest = Math.min(limits.requestReadTimeoutMs(),
                Math.min(limits.responseWriteTimeoutMs(), limits.authenticationTimeoutMs()));
        if (limits.idleMs() >= 0) {
            shortest = Math.min(shortest, limits.idleMs());
        }
        return Math.clamp(shortest / 5, 10, 1_000);
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("kafka-connection-watchdog").start(this::run);
    }

    void watch(Watched connection) {
        connections.add(connection);
    }

    void forget(Watched connection) {
        connections.remove(connection);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
            checkNow();
        }
    }

    /**
     * Closes every connection whose timeout has passed now.
     *
     * @return how many were closed
     */
    int checkNow() {
        long now = clock.getAsLong();
        int closedNow = 0;
        for (Watched c : connections) {
            Expiry expiry = c.activity().expiry(now, limits);
            if (expiry == Expiry.NONE) {
                continue;
            }
            connections.remove(c);
            String line = "Closing connection " + c.description() + ": " + expiry.reason;
            if (expiry == Expiry.IDLE) {
                LOG.debug(line); // Kafka's idle expiry is routine, not news
            } else {
                throttled.info(expiry.name(), line);
            }
            c.abort();
            closedNow++;
        }
        return closedNow;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
