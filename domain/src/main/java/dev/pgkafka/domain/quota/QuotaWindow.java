package dev.pgkafka.domain.quota;

/**
 * How use is measured: over {@code samples} windows of {@code windowMs} each, Kafka's
 * {@code quota.window.num} (11) and {@code quota.window.size.seconds} (1), and for controller mutations
 * {@code controller.quota.window.num} and {@code controller.quota.window.size.seconds}.
 */
public record QuotaWindow(int samples, long windowMs) {
    /** Kafka's defaults: 11 windows of one second. */
    public static final QuotaWindow KAFKA_DEFAULT = new QuotaWindow(11, 1000);

    public QuotaWindow {
        if (samples < 1) {
            throw new IllegalArgumentException("quota window count must be at least 1, not " + samples);
        }
        if (windowMs < 1) {
            throw new IllegalArgumentException("quota window size must be positive, not " + windowMs + " ms");
        }
    }

    /**
     * The most a client can use at once without being throttled for sure (Kafka's
     * {@code getMaxValueInQuotaWindow}): what the limit allows over all windows but the current one.
     */
    public double maxValueInWindow(double limit) {
        return limit * (samples - 1) * (windowMs / 1000.0);
    }
}
