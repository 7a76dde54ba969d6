package dev.pgkafka.adapter.kafka.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;

/**
 * Log lines that a flood must not multiply (a thousand refused connections are one event, not a
 * thousand lines): the first line of a kind is logged, then at most one per interval, saying how
 * many like it were not logged in between.
 */
final class ThrottledLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();

    private static final class Kind {
        long lastLoggedAt;
        boolean everLogged;
        int suppressed;
    }

    ThrottledLog(Logger log, long intervalMs, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalMs * 1_000_000;
        this.clock = clock;
    }

    /** Logs {@code message} at WARN unless a line of this kind was logged within the interval. */
    void warn(String kind, String message) {
        String line = lineToLog(kind, message);
        if (line != null) {
            log.warn(line);
        }
    }

    /** Logs {@code message} at INFO unless a line of this kind was logged within the interval. */
    void info(String kind, String message) {
        String line = lineToLog(kind, message);
        if (line != null) {
            log.info(line);
        }
    }

    /** The line to log now, or null when this one is only counted. */
    String lineToLog(String kind, String message) {
        Kind k = kinds.computeIfAbsent(kind, x -> new Kind());
        synchronized (k) {
            long now = clock.getAsLong();
            if (k.everLogged && now - k.lastLoggedAt < intervalNanos) {
                k.suppressed++;
                return null;
            }
            int suppressed = k.suppressed;
            k.everLogged = true;
            k.lastLoggedAt = now;
            k.suppressed = 0;
            return suppressed == 0 ? message
                    : message + " (and " + suppressed + " more like it since the last such line)";
        }
    }
}
