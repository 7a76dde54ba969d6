package dev.pgkafka.application.service.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.in.ThrottlingUseCase.MutationQuota;
import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaClient;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;

/**
 * The broker's quota managers on a hand-moved clock: byte rates and request time per bucket, shared by
 * a bucket's clients, quota changes taking effect at the next request, Kafka's one-window cap on
 * request-time throttling, the fetch size cap, and strict and permissive controller mutation quotas.
 */
class ThrottlingServiceTest {
    private static final double MB = 1024 * 1024;
    private static final QuotaClient ALICE_1 = new QuotaClient("alice", "app-1");
    private static final QuotaClient ALICE_2 = new QuotaClient("alice", "app-2");
    private static final QuotaClient BOB = new QuotaClient("bob", "app-1");

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final AtomicReference<ClientQuotas> quotas = new AtomicReference<>(ClientQuotas.EMPTY);
    private final ThrottlingService service = new ThrottlingService(quotas::get, QuotaSettings.DEFAULTS, clock);

    @Test
    void withoutQuotasNothingIsCountedAndNobodyWaits() {
        assertEquals(0, service.recordProduce(ALICE_1, 1L << 40));
        assertEquals(0, service.recordFetch(ALICE_1, 1L << 40));
        assertEquals(0, service.recordRequestTime(ALICE_1, 60_000_000_000L));
        assertEquals(Long.MAX_VALUE, service.maxFetchBytes(ALICE_1));
        assertEquals(0, service.meterCount(), "nothing is counted for clients without a quota");
    }

    @Test
    void aUserQuotaIsSharedByAllOfItsClientsAndNobodyElse() {
        set(QuotaEntity.user("alice"), QuotaKey.PRODUCER_BYTE_RATE, MB);
        assertEquals(0, service.recordProduce(ALICE_1, (long) (6 * MB)));
        // 11 MB over the first ten seconds: 10% too much, one second's pause, whichever client sends it
        assertEquals(1000, service.recordProduce(ALICE_2, (long) (5 * MB)));
        assertEquals(0, service.recordProduce(BOB, (long) (100 * MB)), "bob has no quota");
    }

    @Test
    void aClientIdDefaultGivesEachClientIdItsOwnBucket() {
        set(QuotaEntity.clientId(null), QuotaKey.PRODUCER_BYTE_RATE, MB);
        assertEquals(0, service.recordProduce(ALICE_1, (long) (10 * MB)));
        assertEquals(100, service.recordProduce(BOB, (long) (MB / 10)), "bob's app-1 is the same client id: the same bucket");
        assertEquals(0, service.recordProduce(ALICE_2, (long) (10 * MB)), "app-2 counts on its own");
    }

    @Test
    void aChangedQuotaAppliesToTheNextRequestAndKeepsTheUseCountedSoFar() {
        set(QuotaEntity.user("alice"), QuotaKey.PRODUCER_BYTE_RATE, 10 * MB);
        assertEquals(0, service.recordProduce(ALICE_1, (long) (20 * MB)));
        set(QuotaEntity.user("alice"), QuotaKey.PRODUCER_BYTE_RATE, MB);
        assertEquals(10_000, service.recordProduce(ALICE_1, 0), "2 MB/s against 1 MB/s: ten seconds");
        quotas.set(ClientQuotas.EMPTY);
        assertEquals(0, service.recordProduce(ALICE_1, (long) (20 * MB)), "a removed quota limits nobody");
    }

    @Test
    void throttlingEndsWhenTheMeasuredTimeCoversTheExcess() {
        set(QuotaEntity.user("alice"), QuotaKey.PRODUCER_BYTE_RATE, MB);
        assertEquals(2000, service.recordProduce(ALICE_1, (long) (12 * MB)));
        clock.advance(2000);
        // as in Kafka: a new client is measured over ten windows until ten seconds have passed
        assertEquals(2000, service.recordProduce(ALICE_1, 0));
        clock.advance(10_000);
        assertEquals(0, service.recordProduce(ALICE_1, 0), "12 MB over 12 s");
        clock.advance(10_000);
        assertEquals(0, service.recordProduce(ALICE_1, (long) (9 * MB)), "the burst has aged out of the windows");
    }

    @Test
    void fetchesAreCappedAtTheWindowsAllowanceAndThrottledWithoutCounting() {
        set(QuotaEntity.clientId("app-1"), QuotaKey.CONSUMER_BYTE_RATE, 1000);
        assertEquals(10_000, service.maxFetchBytes(ALICE_1), "(11 - 1) windows of a second at 1000 B/s");
        assertEquals(Long.MAX_VALUE, service.maxFetchBytes(ALICE_2));
        assertEquals(0, service.fetchThrottleMs(ALICE_1));
        assertEquals(0, service.recordFetch(ALICE_1, 10_000));
        assertEquals(100, service.recordFetch(ALICE_1, 100));
        assertEquals(100, service.fetchThrottleMs(ALICE_1));
        assertEquals(100, service.fetchThrottleMs(ALICE_1), "asking counts nothing");
        service.unrecordFetch(ALICE_1, 100);
        assertEquals(0, service.fetchThrottleMs(ALICE_1), "a withheld answer is taken back");
    }

    @Test
    void requestTimeIsAPercentageOfOneThreadAndItsThrottleIsCappedAtAWindow() {
        set(QuotaEntity.user("alice"), QuotaKey.REQUEST_PERCENTAGE, 10);
        // 10% of a second over ten windows: one second of handling time in total
        assertEquals(0, service.recordRequestTime(ALICE_1, 1_000_000_000L));
        assertEquals(100, service.recordRequestTime(ALICE_1, 10_000_000L), "1.01 s of 1 s: 1% of the window");
        assertEquals(1000, service.recordRequestTime(ALICE_1, 30_000_000_000L), "never more than one window");
    }

    @Test
    void aStrictMutationQuotaRefusesOnceExhaustedButNeverThrottlesTheRequestThatExhaustedIt() {
        set(QuotaEntity.user("alice"), QuotaKey.CONTROLLER_MUTATION_RATE, 2);
        MutationQuota first = service.mutations(ALICE_1, true);
        assertTrue(first.admits(), "a full bucket: 22 credits");
        first.record(30);
        assertEquals(0, first.throttleMs());

        MutationQuota second = service.mutations(ALICE_2, true);
        assertFalse(second.admits(), "8 credits short");
        assertEquals(4000, second.throttleMs());
        clock.advance(1000);
        assertEquals(3000, second.throttleMs(), "what is left of it when the answer goes out");
        clock.advance(3000);
        assertTrue(service.mutations(ALICE_1, true).admits());
    }

    @Test
    void aPermissiveMutationQuotaTakesEverythingAndThrottlesAfter() {
        set(QuotaEntity.clientId(null), QuotaKey.CONTROLLER_MUTATION_RATE, 1);
        MutationQuota quota = service.mutations(ALICE_1, false);
        assertTrue(quota.admits());
        quota.record(10);
        assertEquals(0, quota.throttleMs());
        quota.record(5);
        assertEquals(4000, quota.throttleMs());
        assertTrue(service.mutations(ALICE_1, false).admits(), "permissive quotas never refuse");
        assertEquals(MutationQuota.UNLIMITED, service.mutations(new QuotaClient("x", ""), true),
                "no client id: the client-id default does not apply");
    }

    @Test
    void connectionsBeyondAnAddressesRateAreRefusedForAtMostAWindow() {
        quotas.set(ClientQuotas.of(Map.of(QuotaEntity.ip("10.0.0.1"), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 2.0),
                QuotaEntity.ip(null), Map.of(QuotaKey.CONNECTION_CREATION_RATE, 100.0))));
        for (int i = 0; i < 20; i++) {
            assertEquals(0, service.recordConnection("10.0.0.1"), "ten windows' worth at once");
        }
        assertEquals(500, service.recordConnection("10.0.0.1"), "the 21st: 5% over ten seconds");
        assertEquals(500, service.recordConnection("10.0.0.1"), "a refused connection is not counted");
        assertEquals(0, service.recordConnection("10.0.0.2"), "another address has the default's own bucket");
        assertEquals(0, new ThrottlingService(() -> ClientQuotas.EMPTY, QuotaSettings.DEFAULTS, clock)
                .recordConnection("10.0.0.1"), "no ip quota: every connection is accepted");
    }

    @Test
    void idleBucketsAreForgottenAfterAnHour() {
        set(QuotaEntity.clientId(null), QuotaKey.PRODUCER_BYTE_RATE, MB);
        service.recordProduce(ALICE_1, 1);
        service.recordProduce(ALICE_2, 1);
        assertEquals(2, service.meterCount());
        clock.advance(ThrottlingService.IDLE_EXPIRY_MS);
        service.recordProduce(BOB, 1); // app-1 again: used now
        assertEquals(1, service.meterCount(), "app-2 unused for an hour is gone");
    }

    private void set(QuotaEntity entity, QuotaKey key, double value) {
        quotas.set(ClientQuotas.of(Map.of(entity, Map.of(key, value))));
    }
}
