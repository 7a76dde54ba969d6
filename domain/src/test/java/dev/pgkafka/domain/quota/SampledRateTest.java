package dev.pgkafka.domain.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Kafka's windowed rate with its defaults (11 windows of a second) and the throttle time derived from
 * it, on a hand-moved clock; then clients that send as fast as throttling lets them, which end up at
 * their limit.
 */
class SampledRateTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final double MB = 1024 * 1024;

    @Test
    void aNewClientIsMeasuredOverTenWindows() {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        rate.record(10 * MB, T0);
        assertEquals(10_000, rate.windowSizeMs(T0), "samples - 1 full windows at least");
        assertEquals(MB, rate.measure(T0), 1e-6);
        assertEquals(0, rate.throttleMs(MB, T0), "exactly at the limit is within it");
        assertEquals(10_500, rate.windowSizeMs(T0 + 500));
    }

    @Test
    void throttleTimeIsTheExcessOverTheLimitTimesTheWindow() {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        // 11 MB in the first instant: 1.1 MB/s over 10 s, 10% too much: one second of pause
        assertEquals(1000, rate.recordAndThrottleMs(11 * MB, MB, T0));
        // Kafka's example: 5.6 over a quota of 5 is 12% too much of the window
        SampledRate small = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        assertEquals(1200, small.recordAndThrottleMs(56, 5, T0));
    }

    @Test
    void usageAgesOutAfterAllWindows() {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        rate.record(100, T0);
        assertEquals(10, rate.measure(T0 + 10_000), 1e-9);
        assertEquals(0, rate.measure(T0 + 11_000), 1e-9, "a sample quiet for 11 windows is gone");
    }

    @Test
    void takingBackARecordRestoresTheRate() {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        rate.record(500, T0);
        double before = rate.measure(T0 + 100);
        rate.record(300, T0 + 100);
        rate.record(-300, T0 + 100);
        assertEquals(before, rate.measure(T0 + 100), 1e-9);
    }

    @Test
    void steadyUseAtTheLimitIsNeverThrottled() {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        for (long t = 0; t < 60_000; t += 100) {
            assertEquals(0, rate.recordAndThrottleMs(MB / 10 * 0.99, MB, T0 + t), "at " + t + " ms");
        }
    }

    @Test
    void aGreedyProducerAveragesItsLimitOverThirtySeconds() {
        // a request is a small part of a second's allowance (a producer's 16 KiB batches, larger requests);
        // counted from its first request, the first windows' allowance makes the first 30 s come out 10-12%
        // above the limit, as with Kafka
        for (double limit : new double[] {MB, 100 * 1024}) {
            for (int chunk : new int[] {(int) limit / 64, (int) limit / 16}) {
                double measured = greedyClient(limit, chunk, 2, 30_000);
                assertTrue(Math.abs(measured / limit - 1) < 0.15,
                        "limit " + limit + ", chunks of " + chunk + ": " + measured + " per second");
            }
        }
    }

    @Test
    void aGreedyProducerStaysAtItsLimitInTheLongRun() {
        // after the first windows' allowance, every stretch of the window count's length holds about the limit
        double measured = greedyClient(MB, 16 * 1024, 2, 120_000);
        assertTrue(Math.abs(measured / MB - 1) < 0.1, measured + " per second over two minutes");
    }

    /**
     * A client that sends {@code chunk} bytes, waits for the answer ({@code serviceMs}) and, when told to,
     * for the throttle time (the broker mutes its connection that long), then sends again.
     *
     * @return bytes per second it got through in {@code durationMs}
     */
    private static double greedyClient(double limit, int chunk, long serviceMs, long durationMs) {
        SampledRate rate = new SampledRate(QuotaWindow.KAFKA_DEFAULT);
        long t = 0;
        double sent = 0;
        while (t < durationMs) {
            long throttle = rate.recordAndThrottleMs(chunk, limit, T0 + t);
            sent += chunk;
            t += Math.max(serviceMs, throttle);
        }
        return sent / (durationMs / 1000.0);
    }
}
