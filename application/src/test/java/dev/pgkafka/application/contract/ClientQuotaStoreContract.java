package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * The contract of {@link dev.pgkafka.application.port.out.ClientQuotaStorePort}: values stored per
 * entity and key exactly as given (defaults included), set, replaced and removed in one atomic change,
 * shared by every instance over the same data, with a change counter that moves on every change. Each
 * test uses names of its own, so storages may hold other tests' quotas.
 */
public abstract class ClientQuotaStoreContract extends StorageContract {

    @Test
    void storedValuesAreLoadedAndTheCounterMoves() {
        String user = uniqueName("user");
        long before = storage.clientQuotas().version();
        apply(QuotaEntity.user(user), QuotaKey.PRODUCER_BYTE_RATE, 1048576.0);
        apply(QuotaEntity.user(user), QuotaKey.REQUEST_PERCENTAGE, 12.5);

        var snapshot = storage.clientQuotas().load();
        assertEquals(Map.of(QuotaKey.PRODUCER_BYTE_RATE, 1048576.0, QuotaKey.REQUEST_PERCENTAGE, 12.5),
                snapshot.quotas().valuesOf(QuotaEntity.user(user)));
        assertNotEquals(before, snapshot.version(), "the change counter moved");
        assertEquals(snapshot.version(), storage.clientQuotas().version());
    }

    @Test
    void readingLeavesTheCounterAlone() {
        apply(QuotaEntity.clientId(uniqueName("client")), QuotaKey.CONSUMER_BYTE_RATE, 10.0);
        long v = storage.clientQuotas().version();
        storage.clientQuotas().load();
        assertEquals(v, storage.clientQuotas().version());
        assertEquals(v, storage.clientQuotas().load().version());
    }

    @Test
    void everyEntityShapeAndKeyRoundTripsWithItsDefaults() {
        String user = uniqueName("user");
        String client = uniqueName("client");
        String ip = "10.1." + (int) (Math.random() * 250) + "." + (int) (Math.random() * 250);
        Map<QuotaEntity, Map<QuotaKey, Double>> all = new LinkedHashMap<>();
        all.put(QuotaEntity.user(user), userKeys(1));
        all.put(QuotaEntity.clientId(client), userKeys(2));
        all.put(QuotaEntity.userAndClientId(user, client), userKeys(3));
        all.put(QuotaEntity.userAndClientId(user, null), userKeys(4));
        all.put(QuotaEntity.userAndClientId(null, client), userKeys(5));
        all.put(QuotaEntity.ip(ip), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 7.0));
        storage.clientQuotas().apply(all);

        ClientQuotas loaded = storage.clientQuotas().load().quotas();
        all.forEach((entity, values) -> assertEquals(values, loaded.valuesOf(entity), entity.toString()));
        assertEquals(Map.of(), loaded.valuesOf(QuotaEntity.user(user + "-other")));
        assertEquals(Map.of(), loaded.valuesOf(QuotaEntity.userAndClientId(user, "x")));
    }

    @Test
    void defaultEntitiesAreDistinctFromNamedOnes() {
        // the defaults are shared by the whole storage: set, read and remove them within this test
        Map<QuotaEntity, Map<QuotaKey, Double>> defaults = new LinkedHashMap<>();
        defaults.put(QuotaEntity.user(null), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 11.0));
        defaults.put(QuotaEntity.clientId(null), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 12.0));
        defaults.put(QuotaEntity.userAndClientId(null, null), Map.of(QuotaKey.PRODUCER_BYTE_RATE, 13.0));
        defaults.put(QuotaEntity.ip(null), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 14.0));
        storage.clientQuotas().apply(defaults);
        ClientQuotas loaded = storage.clientQuotas().load().quotas();
        defaults.forEach((entity, values) -> assertEquals(values, loaded.valuesOf(entity), entity.toString()));

        Map<QuotaEntity, Map<QuotaKey, Double>> removal = new LinkedHashMap<>();
        defaults.forEach((entity, values) -> {
            Map<QuotaKey, Double> gone = new HashMap<>();
            values.keySet().forEach(k -> gone.put(k, null));
            removal.put(entity, gone);
        });
        storage.clientQuotas().apply(removal);
        ClientQuotas after = storage.clientQuotas().load().quotas();
        defaults.keySet().forEach(entity -> assertEquals(Map.of(), after.valuesOf(entity), entity.toString()));
    }

    @Test
    void aValueIsReplacedAndRemovedAndAnEntityWithoutValuesIsGone() {
        QuotaEntity entity = QuotaEntity.user(uniqueName("user"));
        apply(entity, QuotaKey.PRODUCER_BYTE_RATE, 100.0);
        apply(entity, QuotaKey.PRODUCER_BYTE_RATE, 200.0);
        assertEquals(Map.of(QuotaKey.PRODUCER_BYTE_RATE, 200.0), values(entity));

        long before = storage.clientQuotas().version();
        apply(entity, QuotaKey.PRODUCER_BYTE_RATE, null);
        assertEquals(Map.of(), values(entity));
        assertTrue(!storage.clientQuotas().load().quotas().entities().containsKey(entity));
        assertNotEquals(before, storage.clientQuotas().version());

        apply(entity, QuotaKey.CONSUMER_BYTE_RATE, null); // removing what is not there is no error
        assertEquals(Map.of(), values(entity));
    }

    @Test
    void oneChangeSetsAndRemovesAcrossEntitiesTogether() {
        QuotaEntity a = QuotaEntity.user(uniqueName("a"));
        QuotaEntity b = QuotaEntity.clientId(uniqueName("b"));
        apply(a, QuotaKey.PRODUCER_BYTE_RATE, 1.0);
        Map<QuotaEntity, Map<QuotaKey, Double>> changes = new LinkedHashMap<>();
        Map<QuotaKey, Double> forA = new EnumMap<>(QuotaKey.class);
        forA.put(QuotaKey.PRODUCER_BYTE_RATE, null);
        forA.put(QuotaKey.CONSUMER_BYTE_RATE, 2.0);
        changes.put(a, forA);
        changes.put(b, Map.of(QuotaKey.CONTROLLER_MUTATION_RATE, 0.25));
        storage.clientQuotas().apply(changes);
        assertEquals(Map.of(QuotaKey.CONSUMER_BYTE_RATE, 2.0), values(a));
        assertEquals(Map.of(QuotaKey.CONTROLLER_MUTATION_RATE, 0.25), values(b));
    }

    @Test
    void textAndValuesAreKeptExactly() {
        String odd = uniqueName("ünïcödé-日本 with spaces '\"%_") + "x".repeat(300);
        QuotaEntity entity = QuotaEntity.userAndClientId(odd, "CN=alice,OU=eng,O=Example:Corp");
        apply(entity, QuotaKey.REQUEST_PERCENTAGE, 0.1 + 0.2);
        apply(entity, QuotaKey.PRODUCER_BYTE_RATE, 9.007199254740991E15);
        assertEquals(Map.of(QuotaKey.REQUEST_PERCENTAGE, 0.1 + 0.2, QuotaKey.PRODUCER_BYTE_RATE, 9.007199254740991E15),
                values(entity));
    }

    @Test
    void anotherInstanceSeesTheChangesAndTheCounterMove() {
        QuotaEntity entity = QuotaEntity.clientId(uniqueName("client"));
        StorageUnderTest other = reopen();
        long seen = other.clientQuotas().version();
        apply(entity, QuotaKey.CONSUMER_BYTE_RATE, 5.0);
        assertNotEquals(seen, other.clientQuotas().version(), "the other instance notices the change");
        assertEquals(Map.of(QuotaKey.CONSUMER_BYTE_RATE, 5.0), other.clientQuotas().load().quotas().valuesOf(entity));

        seen = storage.clientQuotas().version();
        Map<QuotaKey, Double> removal = new HashMap<>();
        removal.put(QuotaKey.CONSUMER_BYTE_RATE, null);
        other.clientQuotas().apply(Map.of(entity, removal));
        assertNotEquals(seen, storage.clientQuotas().version(), "and this one notices the removal");
        assertEquals(Map.of(), values(entity));
    }

    @Test
    void concurrentChangesOfOneEntityAllLand() throws Exception {
        QuotaEntity entity = QuotaEntity.user(uniqueName("user"));
        List<QuotaKey> keys = List.of(QuotaKey.PRODUCER_BYTE_RATE, QuotaKey.CONSUMER_BYTE_RATE,
                QuotaKey.REQUEST_PERCENTAGE, QuotaKey.CONTROLLER_MUTATION_RATE);
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(keys.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                QuotaKey key = keys.get(i);
                double value = i + 1;
                done.add(pool.submit(() -> {
                    start.await();
                    apply(entity, key, value);
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(Map.of(QuotaKey.PRODUCER_BYTE_RATE, 1.0, QuotaKey.CONSUMER_BYTE_RATE, 2.0,
                QuotaKey.REQUEST_PERCENTAGE, 3.0, QuotaKey.CONTROLLER_MUTATION_RATE, 4.0), values(entity));
    }

    private void apply(QuotaEntity entity, QuotaKey key, Double value) {
        Map<QuotaKey, Double> change = new HashMap<>();
        change.put(key, value);
        storage.clientQuotas().apply(Map.of(entity, change));
    }

    private Map<QuotaKey, Double> values(QuotaEntity entity) {
        return storage.clientQuotas().load().quotas().valuesOf(entity);
    }

    private static Map<QuotaKey, Double> userKeys(int base) {
        return Map.of(QuotaKey.PRODUCER_BYTE_RATE, 1000.0 * base, QuotaKey.CONSUMER_BYTE_RATE, 2000.0 * base,
                QuotaKey.REQUEST_PERCENTAGE, 10.5 * base, QuotaKey.CONTROLLER_MUTATION_RATE, 0.5 * base);
    }
}
