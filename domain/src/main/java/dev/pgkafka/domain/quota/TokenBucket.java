package dev.pgkafka.domain.quota;

/**
 * Kafka's {@code TokenBucket} for controller mutations (KIP-599): credits refill at the quota per
 * second up to a burst of {@code samples × window × quota}; each mutation takes its partitions'
 * worth. The quota is exhausted while the credits are below zero, and the throttle time is how long
 * the refill takes to bring them back to zero. A new bucket starts full. Not thread-safe.
 */
public final class TokenBucket {
    private final QuotaWindow window;
    private double tokens;
    private long lastUpdateMs;
    private boolean started;

    public TokenBucket(QuotaWindow window) {
        this.window = window;
    }

    /** The credits left at {@code nowMs} under {@code quota} (partitions per second). */
    public double tokens(double quota, long nowMs) {
        refill(quota, nowMs);
        return tokens;
    }

    /** Takes {@code permits} credits at {@code nowMs} (the balance may go below zero). */
    public void record(double permits, double quota, long nowMs) {
        refill(quota, nowMs);
        tokens = Math.min(burst(quota), tokens - permits);
    }

    /** How long until the credits are back at zero; 0 while they are not below it. */
    public long throttleMs(double quota, long nowMs) {
        double t = tokens(quota, nowMs);
        return t < 0 ? Math.round(-t / quota * 1000) : 0;
    }

    public long lastUpdateMs() {
        return lastUpdateMs;
    }

    private void refill(double quota, long nowMs) {
        double burst = burst(quota);
        if (!started) {
            started = true;
            tokens = burst;
        } else {
            tokens = Math.min(burst, tokens + quota * ((nowMs - lastUpdateMs) / 1000.0));
        }
        lastUpdateMs = nowMs;
    }

    private double burst(double quota) {
        return window.samples() * (window.windowMs() / 1000.0) * quota;
    }
}
