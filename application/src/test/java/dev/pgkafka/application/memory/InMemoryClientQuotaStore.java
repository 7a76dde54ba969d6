package dev.pgkafka.application.memory;

import java.util.Map;

import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaAlterations;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;

/** Client quotas in memory: the quotas and a counter that moves with every change. Thread-safe. */
public final class InMemoryClientQuotaStore implements ClientQuotaStorePort {
    private ClientQuotas quotas = ClientQuotas.EMPTY;
    private long version;

    @Override
    public synchronized Snapshot load() {
        return new Snapshot(version, quotas);
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public synchronized void apply(Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
        ClientQuotas next = QuotaAlterations.apply(quotas, changes);
        if (!next.equals(quotas)) {
            quotas = next;
            version++;
        }
    }
}
