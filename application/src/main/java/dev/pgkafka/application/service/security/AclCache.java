package dev.pgkafka.application.service.security;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.application.service.ChangePoller;
import dev.pgkafka.domain.security.acl.AclIndex;

/**
 * This broker's copy of the stored ACLs, indexed for authorization. Changes made through this broker
 * reload it before they are answered; changes made by other brokers on the same storage are noticed
 * by polling the store's change counter, a read of one row, every {@link #DEFAULT_POLL_INTERVAL}, so
 * they are in force here well within a second. When the storage cannot be read the last copy stays
 * in force (as a Kafka broker cut off from its controller keeps its ACLs) and polling carries on.
 */
public final class AclCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AclCache.class.getName());
    /** A quarter of the one-second promise: a missed poll or a slow reload still keeps it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    private final AclStorePort store;
    private final Object reloading = new Object();
    private volatile Loaded loaded;
    private final ChangePoller poller = new ChangePoller("the ACLs", this::refresh,
            () -> loaded.acls().size() + " ACL(s)");

    private record Loaded(long version, AclIndex acls) {
    }

    private AclCache(AclStorePort store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Reads the stored ACLs once; call {@link #startPolling} to follow other brokers' changes.
     *
     * @throws dev.pgkafka.application.port.out.StorageException when the storage cannot be read
     */
    public static AclCache load(AclStorePort store) {
        AclCache cache = new AclCache(store);
        cache.reload();
        return cache;
    }

    /** The ACLs as last read. */
    public AclIndex acls() {
        return loaded.acls();
    }

    /** The store's change counter as of the last read. */
    public long version() {
        return loaded.version();
    }

    /** Reads everything again, now (after a change through this broker). */
    public void reload() {
        synchronized (reloading) {
            Loaded before = loaded;
            AclStorePort.Snapshot snapshot = store.load();
            loaded = new Loaded(snapshot.version(), AclIndex.of(snapshot.bindings()));
            if (before != null && before.version() != snapshot.version()) {
                LOG.log(Level.DEBUG, "ACLs reloaded: {0} ACL(s) at change {1}", loaded.acls().size(), snapshot.version());
            }
        }
    }

    /**
     * Reloads when the store's change counter moved since the last read.
     *
     * @return whether it reloaded
     */
    public boolean refresh() {
        if (store.version() == loaded.version()) {
            return false;
        }
        reload();
        return true;
    }

    /** Follows other brokers' changes from now on, on a virtual thread, until {@link #close()}. */
    public void startPolling(Duration interval) {
        poller.start("acl-cache-poller", interval);
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        poller.close();
    }
}
