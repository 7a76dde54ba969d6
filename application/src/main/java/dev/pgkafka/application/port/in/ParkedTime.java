package dev.pgkafka.application.port.in;

/**
 * The time the current request spent parked rather than handled: a fetch waiting for records, a
 * JoinGroup waiting for the rebalance. Use cases that park report it here; the Kafka adapter takes it
 * off the handling time it counts against {@code request_percentage} quotas, as Kafka counts only its
 * request threads' time, never the time a request waits in purgatory.
 *
 * <p>Per thread: each connection handles its requests on its own (virtual) thread.
 */
public final class ParkedTime {
    private static final ThreadLocal<long[]> PARKED = ThreadLocal.withInitial(() -> new long[1]);

    private ParkedTime() {
    }

    /** Adds time the current request spent parked. */
    public static void add(long nanos) {
        if (nanos > 0) {
            PARKED.get()[0] += nanos;
        }
    }

    /** The time parked since the last call, and starts counting again from zero. */
    public static long take() {
        long[] parked = PARKED.get();
        long nanos = parked[0];
        parked[0] = 0;
        return nanos;
    }
}
