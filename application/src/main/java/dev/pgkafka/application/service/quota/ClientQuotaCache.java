package dev.pgkafka.application.service.quota;

import java.time.Duration;
import java.util.Objects;

import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.application.service.StoredCopy;
import dev.pgkafka.domain.quota.ClientQuotas;

/**
 * This broker's copy of the stored client quotas, as {@code AclCache} keeps the ACLs (ADR 12): changes
 * through this broker reload it before they are answered; changes by other brokers on the same storage
 * (or in psql) are noticed by polling the store's change counter every {@link #DEFAULT_POLL_INTERVAL},
 * so they are in force on every connection within a second. When the storage cannot be read the last
 * quotas stay in force and polling carries on.
 */
public final class ClientQuotaCache implements AutoCloseable {
    /** A quarter of the one-second promise: a missed poll or a slow reload still keeps it. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(250);

    private final StoredCopy<ClientQuotas> copy;

    private ClientQuotaCache(StoredCopy<ClientQuotas> copy) {
        this.copy = copy;
    }

    /**
     * Reads the stored quotas once; call {@link #startPolling} to follow other brokers' changes.
     *
     * @throws dev.pgkafka.application.port.out.StorageException when the storage cannot be read
     */
    public static ClientQuotaCache load(ClientQuotaStorePort store) {
        Objects.requireNonNull(store, "store");
        return new ClientQuotaCache(new StoredCopy<>("the client quotas", () -> {
            ClientQuotaStorePort.Snapshot s = store.load();
            return new StoredCopy.Snapshot<>(s.version(), s.quotas());
        }, store::version, quotas -> quotas.entities().size() + " quota entit(ies)"));
    }

    /** The quotas as last read. */
    public ClientQuotas quotas() {
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
        copy.startPolling("client-quota-cache-poller", interval);
    }

    /** Stops polling (waits a moment for the poller to finish). */
    @Override
    public void close() {
        copy.close();
    }
}
