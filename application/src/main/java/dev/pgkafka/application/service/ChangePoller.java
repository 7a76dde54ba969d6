package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Follows a stored table that other brokers (or psql) change: calls a cache's {@code refresh} (a read
 * of its change counter, a reload when it moved) every interval on a virtual thread. When the storage
 * cannot be read the cache keeps what it read before, and the failure is logged once, not once per
 * poll: during an outage at DEBUG, because the storage adapter reports outages itself, else as a
 * warning followed by one line when reading works again.
 */
public final class ChangePoller implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ChangePoller.class.getName());

    private final String what;
    private final Runnable refresh;
    private final Supplier<String> inForce;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param what    what is polled, as log lines name it ("the ACLs")
     * @param refresh reads the change counter and reloads when it moved; throws when the storage fails
     * @param inForce what stays in force while reads fail, for the log ("12 ACL(s)")
     */
    public ChangePoller(String what, Runnable refresh, Supplier<String> inForce) {
        this.what = Objects.requireNonNull(what, "what");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.inForce = Objects.requireNonNull(inForce, "inForce");
    }

    /** Starts polling, on a virtual thread with this name, until {@link #close()}; a second call does nothing. */
    public synchronized void start(String threadName, Duration interval) {
        if (thread != null || closed) {
            return;
        }
        long intervalMs = Math.max(1, interval.toMillis());
        thread = Thread.ofVirtual().name(threadName).start(() -> poll(intervalMs));
    }

    private void poll(long intervalMs) {
        boolean failing = false;
        boolean warned = false;
        while (!closed) {
            try {
                Thread.sleep(intervalMs);
            } catch (InterruptedException e) {
                return;
            }
            try {
                refresh.run();
                if (warned) {
                    LOG.log(Level.INFO, "{0} can be read again: {1} in force", what, inForce.get());
                }
                failing = false;
                warned = false;
            } catch (RuntimeException e) {
                if (closed || failing) {
                    continue;
                }
                failing = true;
                warned = !StorageFailures.isOutage(e);
                LOG.log(StorageFailures.level(e), "cannot read {0}; what was read before ({1}) stays in force: {2}",
                        what, inForce.get(), e.getMessage());
            }
        }
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
