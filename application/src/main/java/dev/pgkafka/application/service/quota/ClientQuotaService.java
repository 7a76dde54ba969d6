package dev.pgkafka.application.service.quota;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.domain.quota.QuotaAlterations;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaFilter;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * DescribeClientQuotas and AlterClientQuotas over the quota store, as Kafka's controller applies them:
 * each entity checked on its own, the valid ones' changes stored in one change, this broker's cache
 * reloaded before the answer (other brokers follow within a second, {@link ClientQuotaCache}).
 */
public final class ClientQuotaService implements ClientQuotaAdminUseCase {
    private static final System.Logger LOG = System.getLogger(ClientQuotaService.class.getName());
    /** Kafka checks an ip entity's name with {@code InetAddress.getByName}: an address, or a host that resolves. */
    public static final Predicate<String> RESOLVES = host -> {
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    };

    private final ClientQuotaStorePort store;
    private final ClientQuotaCache cache;
    private final Predicate<String> resolvable;

    public ClientQuotaService(ClientQuotaStorePort store, ClientQuotaCache cache) {
        this(store, cache, RESOLVES);
    }

    /** @param resolvable whether an ip entity's host name resolves (tests decide without DNS) */
    public ClientQuotaService(ClientQuotaStorePort store, ClientQuotaCache cache, Predicate<String> resolvable) {
        this.store = store;
        this.cache = cache;
        this.resolvable = resolvable;
    }

    @Override
    public DescribeResult describe(List<QuotaFilter.Component> components, boolean strict) {
        QuotaFilter.Parsed filter = QuotaFilter.parse(components, strict);
        if (!filter.isValid()) {
            return new DescribeResult(filter.problem(), List.of());
        }
        cache.refresh(); // one cheap read: answers include what other brokers changed a moment ago
        return new DescribeResult(null, cache.quotas().select(filter.filter()));
    }

    @Override
    public List<QuotaAlterations.Outcome> alter(List<QuotaAlterations.Alteration> alterations, boolean validateOnly) {
        // decided against the stored quotas, not the cache: another broker's change may not be here yet
        QuotaAlterations.Plan plan = QuotaAlterations.plan(store.load().quotas(), alterations, resolvable);
        if (!validateOnly && !plan.changes().isEmpty()) {
            store.apply(plan.changes());
            cache.reload();
            LOG.log(Level.INFO, "client quotas changed: {0}", describe(plan.changes()));
        }
        return plan.outcomes();
    }

    private static String describe(Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
        StringBuilder s = new StringBuilder();
        changes.forEach((entity, values) -> {
            if (!s.isEmpty()) {
                s.append("; ");
            }
            s.append(entity).append(' ');
            StringBuilder v = new StringBuilder();
            values.forEach((k, d) -> v.append(v.isEmpty() ? "" : ", ").append(k).append(d == null ? " removed" : "=" + d));
            s.append(v);
        });
        return s.toString();
    }
}
