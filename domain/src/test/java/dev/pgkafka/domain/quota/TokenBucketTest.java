package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Kafka's token bucket for controller mutations (KIP-599) with the default 11 windows of a second. */
class TokenBucketTest {
    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aNewBucketHoldsTheWholeBurst() {
        TokenBucket bucket = new TokenBucket(QuotaWindow.KAFKA_DEFAULT);
        assertEquals(22, bucket.tokens(2, T0), 1e-9, "11 windows of 2 partitions per second");
        assertEquals(0, bucket.throttleMs(2, T0));
    }

    @Test
    void goingBelowZeroThrottlesUntilTheRefillBringsItBack() {
        TokenBucket bucket = new TokenBucket(QuotaWindow.KAFKA_DEFAULT);
        bucket.record(30, 2, T0); // 22 - 30 = -8: four seconds at 2 per second
        assertEquals(-8, bucket.tokens(2, T0), 1e-9);
        assertEquals(4000, bucket.throttleMs(2, T0));
        assertEquals(1500, bucket.throttleMs(2, T0 + 2500));
        assertEquals(0, bucket.throttleMs(2, T0 + 4000));
    }

    @Test
    void theRefillStopsAtTheBurst() {
        TokenBucket bucket = new TokenBucket(QuotaWindow.KAFKA_DEFAULT);
        bucket.record(5, 1, T0);
        assertEquals(6, bucket.tokens(1, T0), 1e-9);
        assertEquals(11, bucket.tokens(1, T0 + 60_000), 1e-9);
    }

    @Test
    void aChangedQuotaAppliesFromNowOn() {
        TokenBucket bucket = new TokenBucket(QuotaWindow.KAFKA_DEFAULT);
        bucket.record(11, 1, T0); // empty
        assertEquals(0, bucket.tokens(1, T0), 1e-9);
        assertEquals(10, bucket.tokens(10, T0 + 1000), 1e-9, "refilled at the new quota");
    }
}
