package dev.pgkafka.application.service.security;

import java.time.Duration;
import java.util.Objects;

import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.application.service.StoredCopy;
import dev.pgkafka.domain.security.acl.AclIndex;

/**
 * This broker's copy of the stored ACLs, indexed for authorization. Changes made through this broker
 * reload it before they are answered; changes made by other brokers on the same storage are noticed
 * by polling the store's change counter, a read of one row, every {@link #DEFAULT_POLL_INTERVAL}, so
 * they are in force here well within a second. When the storage cannot be read the last copy stays
 * in force (as a Kafka broker cut off from its controller keeps its ACLs) and polling carries on.
 */
public final class AclCache implements AutoCloseable {
    /** A quarter of the one-second promise: a missed poll or a slow reload still keeps it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    private final StoredCopy<AclIndex> copy;

    private AclCache(StoredCopy<AclIndex> copy) {
        this.copy = copy;
    }

    /**
     * Reads the stored ACLs once; call {@link #startPolling} to follow other brokers' changes.
     *
     * @throws dev.pgkafka.application.port.out.StorageException when the storage cannot be read
     */
    public static AclCache load(AclStorePort store) {
        Objects.requireNonNull(store, "store");
        return new AclCache(new StoredCopy<>("the ACLs", () -> {
            AclStorePort.Snapshot s = store.load();
            return new StoredCopy.Snapshot<>(s.version(), AclIndex.of(s.bindings()));
        }, store::version, acls -> acls.size() + " ACL(s)"));
    }

    /** The ACLs as last read. */
    public AclIndex acls() {
        return copy.value();
    }

    /** The store's change counter as of the last read. */
    public long version() {
        return copy.version();
    }

    /** Reads everything again, now (after a change through this broker). */
    public void reload() {
        copy.reload();
    }

    /**
     * Reloads when the store's change counter moved since the last read.
     *
     * @return whether it reloaded
     */
    public boolean refresh() {
        return copy.refresh();
    }

    /** Follows other brokers' changes from now on, on a virtual thread, until {@link #close()}. */
    public void startPolling(Duration interval) {
        copy.startPolling("acl-cache-poller", interval);
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        copy.close();
    }
}
