package dev.pgkafka.application.port.out;

import java.util.Map;

import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * The client quotas of the cluster, shared by every broker on the storage (Kafka keeps them in its
 * metadata log). As with the ACLs, a change counter lets brokers notice each other's changes with one
 * cheap read; every broker keeps the quotas themselves in memory.
 */
public interface ClientQuotaStorePort {

    /**
     * Every stored quota with the change counter as it was when the read began: the quotas are at
     * least as new as the version, so a reader that sees the counter move later never misses a change.
     */
    Snapshot load();

    /** The change counter: different after every change, by any broker (or by hand in the storage). */
    long version();

    /**
     * Sets and removes values, all in one atomic change.
     *
     * @param changes per entity, per key the value to store, or null to remove the key
     */
    void apply(Map<QuotaEntity, Map<QuotaKey, Double>> changes);

    /** The stored quotas and the change counter they are at least as new as. */
    record Snapshot(long version, ClientQuotas quotas) {
    }
}
