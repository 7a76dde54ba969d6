package dev.pgkafka.domain.quota;

/**
 * A rate per second over sampled windows, as Kafka's {@code Rate} over a {@code WindowedSum}
 * measures it, and the throttle time Kafka derives from it ({@code QuotaUtils.throttleTime}).
 *
 * <p>Values go into the current sample; a sample is complete once its window passed, then the next
 * one (the oldest, recycled) takes over. A sample with no value for {@code samples × window} is
 * reset. The rate is the sum of the samples divided by the time since the oldest sample began, but
 * never by less than {@code samples - 1} full windows: a new client is measured as if it had been
 * quiet before, so it may use up to that many windows' worth at once.
 *
 * <p>Not thread-safe: one per bucket, used under its owner's lock. Time is given, never read.
 */
public final class SampledRate {
    private final QuotaWindow window;
    /** One more than the window count: the sample still overlapping the measured time. */
    private final Sample[] samples;
    private int created;
    private int current;

    private static final class Sample {
        double value;
        long eventCount;
        long startTimeMs;
        long lastEventMs;

        Sample(long nowMs) {
            reset(nowMs);
        }

        void reset(long nowMs) {
            value = 0;
            eventCount = 0;
            startTimeMs = nowMs;
            lastEventMs = nowMs;
        }
    }

    public SampledRate(QuotaWindow window) {
        this.window = window;
        this.samples = new Sample[window.samples() + 1];
    }

    /** Adds {@code value} (negative to take back what was recorded) at {@code nowMs}. */
    public void record(double value, long nowMs) {
        Sample sample = current(nowMs);
        if (nowMs - sample.startTimeMs >= window.windowMs()) {
            sample = advance(nowMs);
        }
        sample.value += value;
        sample.eventCount++;
        sample.lastEventMs = nowMs;
    }

    /** The rate per second at {@code nowMs}. */
    public double measure(long nowMs) {
        purgeObsolete(nowMs);
        double total = 0;
        for (int i = 0; i < created; i++) {
            total += samples[i].value;
        }
        return total / (windowSizeMs(nowMs) / 1000.0);
    }

    /** The time the rate divides by, in milliseconds (Kafka's {@code Rate.windowSize}). */
    public long windowSizeMs(long nowMs) {
        purgeObsolete(nowMs);
        long elapsed = nowMs - oldest(nowMs).startTimeMs;
        long fullWindows = elapsed / window.windowMs();
        long minFullWindows = window.samples() - 1L;
        if (fullWindows < minFullWindows) {
            elapsed += (minFullWindows - fullWindows) * window.windowMs();
        }
        return Math.max(elapsed, 1);
    }

    /**
     * How long the client must pause for the rate to come back to {@code limit}, assuming it uses
     * nothing meanwhile: {@code (rate - limit) / limit × window size}; 0 when within the limit.
     */
    public long throttleMs(double limit, long nowMs) {
        double rate = measure(nowMs);
        if (rate <= limit) {
            return 0;
        }
        return Math.round((rate - limit) / limit * windowSizeMs(nowMs));
    }

    /** {@link #record} then {@link #throttleMs}: Kafka records first and checks the quota after. */
    public long recordAndThrottleMs(double value, double limit, long nowMs) {
        record(value, nowMs);
        return throttleMs(limit, nowMs);
    }

    /** The time of the last value recorded (or of the creation), for expiring idle rates. */
    public long lastRecordMs() {
        long last = Long.MIN_VALUE;
        for (int i = 0; i < created; i++) {
            last = Math.max(last, samples[i].lastEventMs);
        }
        return last;
    }

    private Sample current(long nowMs) {
        if (created == 0) {
            samples[created++] = new Sample(nowMs);
        }
        return samples[current];
    }

    private Sample advance(long nowMs) {
        current = (current + 1) % samples.length;
        if (current >= created) {
            samples[created++] = new Sample(nowMs);
        } else {
            samples[current].reset(nowMs);
        }
        return samples[current];
    }

    private Sample oldest(long nowMs) {
        Sample oldest = current(nowMs);
        for (int i = 0; i < created; i++) {
            if (samples[i].startTimeMs < oldest.startTimeMs) {
                oldest = samples[i];
            }
        }
        return oldest;
    }

    /** Samples whose last value is older than all windows together start over (Kafka keeps overlapping ones). */
    private void purgeObsolete(long nowMs) {
        long expireAge = window.samples() * window.windowMs();
        for (int i = 0; i < created; i++) {
            if (nowMs - samples[i].lastEventMs >= expireAge) {
                samples[i].reset(nowMs);
            }
        }
    }
}
