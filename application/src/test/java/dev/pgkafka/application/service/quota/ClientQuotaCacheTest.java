package dev.pgkafka.application.service.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryClientQuotaStore;
import dev.pgkafka.application.port.out.ClientQuotaStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;

/** The per-broker copy of the quotas: reloaded when the counter moves, kept when the storage fails. */
class ClientQuotaCacheTest {
    private static final Map<QuotaEntity, Map<QuotaKey, Double>> ALICE =
            Map.of(QuotaEntity.user("alice"), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 1.0));

    @Test
    void refreshReloadsOnlyWhenTheCounterMoved() {
        InMemoryClientQuotaStore store = new InMemoryClientQuotaStore();
        ClientQuotaCache cache = ClientQuotaCache.load(store);
        assertFalse(cache.refresh());
        store.apply(ALICE);
        assertTrue(cache.refresh());
        assertEquals(ClientQuotas.of(ALICE), cache.quotas());
        assertEquals(store.version(), cache.version());
    }

    @Test
    void pollingFollowsChangesAndSurvivesAStorageOutage() throws Exception {
        FlakyStore store = new FlakyStore();
        try (ClientQuotaCache cache = ClientQuotaCache.load(store)) {
            cache.startPolling(Duration.ofMillis(10));
            store.delegate.apply(ALICE);
            await(() -> !cache.quotas().isEmpty());
            store.down = true;
            Thread.sleep(50);
            assertEquals(ClientQuotas.of(ALICE), cache.quotas(), "the last quotas stay in force");
            store.down = false;
            store.delegate.apply(Map.of(QuotaEntity.user("alice"), java.util.Collections.singletonMap(
                    QuotaKey.PRODUCER_BYTE_RATE, null)));
            await(() -> cache.quotas().isEmpty());
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 5 s");
            }
            Thread.sleep(5);
        }
    }

    private static final class FlakyStore implements ClientQuotaStorePort {
        final InMemoryClientQuotaStore delegate = new InMemoryClientQuotaStore();
        volatile boolean down;

        @Override
        public Snapshot load() {
            check();
            return delegate.load();
        }

        @Override
        public long version() {
            check();
            return delegate.version();
        }

        @Override
        public void apply(Map<QuotaEntity, Map<QuotaKey, Double>> changes) {
            check();
            delegate.apply(changes);
        }

        private void check() {
            if (down) {
                throw new StorageException("down", null);
            }
        }
    }
}
