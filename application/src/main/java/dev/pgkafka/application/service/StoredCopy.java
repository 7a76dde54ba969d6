package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This broker's copy of something stored that other brokers (or psql) change too, read whole and
 * swapped at once (ACLs, client quotas). Changes through this broker {@link #reload()} before they are
 * answered; others are noticed by {@link #startPolling polling} the store's change counter, a read of
 * one row. When the storage cannot be read the last copy stays in force.
 *
 * @param <T> what is kept, immutable
 */
public final class StoredCopy<T> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StoredCopy.class.getName());

    /** What was read, with the store's change counter it was read at. */
    public record Snapshot<T>(long version, T value) {
    }

    private final String what;
    private final Supplier<Snapshot<T>> load;
    private final LongSupplier storedVersion;
    private final Function<T, String> describe;
    private final Object reloading = new Object();
    private final ChangePoller poller;
    private volatile Snapshot<T> loaded;

    /**
     * Reads the store once.
     *
     * @param what          what is kept, as log lines name it ("the ACLs")
     * @param load          reads everything with its change counter
     * @param storedVersion reads the store's change counter alone
     * @param describe      says how much is kept, for the log ("12 ACL(s)")
     * @throws dev.pgkafka.application.port.out.StorageException when the storage cannot be read
     */
    public StoredCopy(String what, Supplier<Snapshot<T>> load, LongSupplier storedVersion, Function<T, String> describe) {
        this.what = Objects.requireNonNull(what, "what");
        this.load = Objects.requireNonNull(load, "load");
        this.storedVersion = Objects.requireNonNull(storedVersion, "storedVersion");
        this.describe = Objects.requireNonNull(describe, "describe");
        this.poller = new ChangePoller(what, this::refresh, () -> describe.apply(value()));
        reload();
    }

    /** The copy as last read. */
    public T value() {
        return loaded.value();
    }

    /** The store's change counter as of the last read. */
    public long version() {
        return loaded.version();
    }

    /** Reads everything again, now (after a change through this broker). */
    public void reload() {
        synchronized (reloading) {
            Snapshot<T> before = loaded;
            Snapshot<T> snapshot = load.get();
            loaded = snapshot;
            if (before != null && before.version() != snapshot.version()) {
                LOG.log(Level.DEBUG, "{0} reloaded: {1} at change {2}", what, describe.apply(snapshot.value()),
                        snapshot.version());
            }
        }
    }

    /**
     * Reloads when the store's change counter moved since the last read.
     *
     * @return whether it reloaded
     */
    public boolean refresh() {
        if (storedVersion.getAsLong() == loaded.version()) {
            return false;
        }
        reload();
        return true;
    }

    /** Follows other brokers' changes from now on, on a virtual thread of this name, until {@link #close()}. */
    public void startPolling(String threadName, Duration interval) {
        poller.start(threadName, interval);
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        poller.close();
    }
}
