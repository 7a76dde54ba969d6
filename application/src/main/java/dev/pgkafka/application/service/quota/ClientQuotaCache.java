package dev.pgkafka.application.service.quota;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;

import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.application.service.ChangePoller;
import dev.pgkafka.domain.quota.ClientQuotas;

/**
 * This broker's copy of the stored client quotas, as {@code AclCache} keeps the ACLs (ADR 12): changes
 * through this broker reload it before they are answered; changes by other brokers on the same storage
 * (or in psql) are noticed by polling the store's change counter every {@link #DEFAULT_POLL_INTERVAL},
 * so they are in force on every connection within a second. When the storage cannot be read the last
 * quotas stay in force and polling carries on.
 */
public final class ClientQuotaCache implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ClientQuotaCache.class.getName());
    /** A quarter of the one-second promise: a missed poll or a slow reload still keeps it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    private final ClientQuotaStorePort store;
    private final Object reloading = new Object();
    private volatile ClientQuotaStorePort.Snapshot loaded;
    private final ChangePoller poller = new ChangePoller("the client quotas", this::refresh,
            () -> loaded.quotas().entities().size() + " quota entit(ies)");

    private ClientQuotaCache(ClientQuotaStorePort store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Reads the stored quotas once; call {@link #startPolling} to follow other brokers' changes.
     *
     * @throws dev.pgkafka.application.port.out.StorageException when the storage cannot be read
     */
    public static ClientQuotaCache load(ClientQuotaStorePort store) {
        ClientQuotaCache cache = new ClientQuotaCache(store);
        cache.reload();
        return cache;
    }

    /** The quotas as last read. */
    public ClientQuotas quotas() {
        return loaded.quotas();
    }

    /** The store's change counter as of the last read. */
    public long version() {
        return loaded.version();
    }

    /** Reads everything again, now (after a change through this broker). */
    public void reload() {
        synchronized (reloading) {
            ClientQuotaStorePort.Snapshot before = loaded;
            ClientQuotaStorePort.Snapshot snapshot = store.load();
            loaded = snapshot;
            if (before != null && before.version() != snapshot.version()) {
                LOG.log(Level.DEBUG, "client quotas reloaded: {0} entit(ies) at change {1}",
                        snapshot.quotas().entities().size(), snapshot.version());
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
        poller.start("client-quota-cache-poller", interval);
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        poller.close();
    }
}
