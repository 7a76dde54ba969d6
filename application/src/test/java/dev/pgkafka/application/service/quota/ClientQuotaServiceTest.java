package dev.pgkafka.application.service.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryClientQuotaStore;
import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.quota.QuotaAlterations.Alteration;
import dev.pgkafka.domain.quota.QuotaAlterations.Op;
import dev.pgkafka.domain.quota.QuotaAlterations.Outcome;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaFilter;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * DescribeClientQuotas and AlterClientQuotas over a store: changes are in force on this broker when
 * the answer goes out, validate-only changes nothing, and describe sees other brokers' changes.
 */
class ClientQuotaServiceTest {
    private final InMemoryClientQuotaStore store = new InMemoryClientQuotaStore();
    private final ClientQuotaCache cache = ClientQuotaCache.load(store);
    private final ClientQuotaService service = new ClientQuotaService(store, cache, host -> false);

    @Test
    void anAlterationIsInForceWhenItIsAnswered() {
        List<Outcome> outcomes = service.alter(List.of(new Alteration(Map.of("user", "alice"),
                List.of(Op.set("producer_byte_rate", 1048576)))), false);
        assertNull(outcomes.getFirst().problem());
        assertEquals(1048576.0, cache.quotas().resolve(QuotaKey.PRODUCER_BYTE_RATE, "alice", "x").orElseThrow().limit());
    }

    @Test
    void validateOnlyChecksButChangesNothing() {
        long before = store.version();
        List<Outcome> outcomes = service.alter(List.of(
                new Alteration(Map.of("user", "alice"), List.of(Op.set("producer_byte_rate", 10))),
                new Alteration(Map.of("ip", "nowhere"), List.of(Op.set("connection_creation_rate", 1)))), true);
        assertNull(outcomes.get(0).problem());
        assertEquals("nowhere is not a valid IP or resolvable host.", outcomes.get(1).problem().message());
        assertEquals(before, store.version());
        assertTrue(cache.quotas().isEmpty());
    }

    @Test
    void describeSeesAnotherBrokersChangeAtOnce() {
        store.apply(Map.of(QuotaEntity.clientId("app"), Map.of(QuotaKey.CONSUMER_BYTE_RATE, 5.0)));
        ClientQuotaAdminUseCase.DescribeResult all = service.describe(List.of(), false);
        assertNull(all.problem());
        assertEquals(List.of(Map.entry(QuotaEntity.clientId("app"), Map.of(QuotaKey.CONSUMER_BYTE_RATE, 5.0))),
                all.entries());
    }

    @Test
    void anInvalidFilterIsRefusedAsAWhole() {
        ClientQuotaAdminUseCase.DescribeResult refused = service.describe(
                List.of(new QuotaFilter.Component("group", QuotaFilter.MATCH_SPECIFIED, null)), false);
        assertEquals(ErrorCode.UNSUPPORTED_VERSION, refused.problem().error());
        assertEquals(List.of(), refused.entries());
    }
}
