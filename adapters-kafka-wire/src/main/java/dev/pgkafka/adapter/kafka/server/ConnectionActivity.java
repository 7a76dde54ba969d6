package dev.pgkafka.adapter.kafka.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;

/**
 * What one connection is doing, as its timeouts see it: its reader and processor record when a
 * frame starts and ends, when they wait for the memory budget and when an answer is being written;
 * the {@link ConnectionWatchdog} asks {@link #expiry} which timeout, if any, has passed.
 * Times are {@code System.nanoTime()}-style readings of the clock given (tests move it by hand).
 */
final class ConnectionActivity {
    private static final long NONE = Long.MIN_VALUE;

    /** Why a connection is closed by its timeouts. */
    enum Expiry {
        NONE(""),
        IDLE("no request for connections.max.idle.ms"),
        READ("a request did not arrive completely within pgkafka.request.read.timeout.ms"),
        WRITE("an answer was not taken by the client within pgkafka.response.write.timeout.ms"),
        AUTHENTICATION("not authenticated within pgkafka.authentication.timeout.ms");

        final String reason;

        Expiry(String reason) {
            this.reason = reason;
        }
    }

    private final LongSupplier clock;
    private final long openedAt;
    private volatile boolean authenticated;
    /** The last frame read or answer written; idleness counts from here. */
    private volatile long lastActiveAt;
    /** The first byte of the frame being read, moved later by time spent waiting for the budget. */
    private volatile long frameStartedAt = NONE;
    private volatile long memoryWaitSince = NONE;
    private volatile long writeStartedAt = NONE;
    /** Frames read and not yet answered (queued or being handled). */
    private final AtomicInteger inProgress = new AtomicInteger();

    ConnectionActivity(LongSupplier clock) {
        this.clock = clock;
        this.openedAt = clock.getAsLong();
        this.lastActiveAt = openedAt;
    }

    long now() {
        return clock.getAsLong();
    }

    void authenticated() {
        authenticated = true;
    }

    /** The first byte of a frame (of its size prefix) arrived. */
    void frameStarted() {
        frameStartedAt = now();
    }

    /** The reader waits for the memory budget: the broker's doing, so the read timeout stops. */
    void awaitingMemory() {
        memoryWaitSince = now();
    }

    void gotMemory() {
        long since = memoryWaitSince;
        if (since != NONE) {
            // move the start first and clear the wait after: the watchdog reads them the other way round
            long started = frameStartedAt;
            if (started != NONE) {
                frameStartedAt = started + (now() - since);
            }
            memoryWaitSince = NONE;
        }
    }

    /** A whole frame arrived and waits to be answered. */
    void frameRead() {
        inProgress.incrementAndGet();
        frameStartedAt = NONE;
        lastActiveAt = now();
    }

    /** The frame being read was dropped (end of stream, refused size). */
    void frameAbandoned() {
        frameStartedAt = NONE;
        memoryWaitSince = NONE;
    }

    void writeStarted() {
        writeStartedAt = now();
    }

    void writeFinished() {
        writeStartedAt = NONE;
        lastActiveAt = now();
    }

    /** Requests were answered (or need no answer). */
    void answered(int requests) {
        inProgress.addAndGet(-requests);
        lastActiveAt = now();
    }

    /** Which timeout, if any, has passed at {@code now}. */
    Expiry expiry(long now, ConnectionLimits limits) {
        if (!authenticated && now - openedAt > millisToNanos(limits.authenticationTimeoutMs())) {
            return Expiry.AUTHENTICATION;
        }
        long writing = writeStartedAt;
        if (writing != NONE && now - writing > millisToNanos(limits.responseWriteTimeoutMs())) {
            return Expiry.WRITE;
        }
        boolean waitingForMemory = memoryWaitSince != NONE; // read before frameStartedAt, see gotMemory
        long frame = frameStartedAt;
        if (frame != NONE && !waitingForMemory && now - frame > millisToNanos(limits.requestReadTimeoutMs())) {
            return Expiry.READ;
        }
        boolean quiet = frame == NONE && !waitingForMemory && writing == NONE && inProgress.get() == 0;
        if (quiet && limits.idleMs() >= 0 && now - lastActiveAt > millisToNanos(limits.idleMs())) {
            return Expiry.IDLE;
        }
        return Expiry.NONE;
    }

    private static long millisToNanos(long ms) {
        return ms >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : ms * 1_000_000;
    }
}
