package dev.pgkafka.adapter.kafka.record;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that decoded produce records may take in the whole broker, over all connections, until
 * their append is answered. A request's own bound ({@link DecodingAllowance},
 * {@code pgkafka.produce.max.uncompressed.request.bytes}) alone lets N connections hold N times it; this
 * caps their sum. A batch that finds it spent is answered with a retriable error, never waited for: a
 * request that waited while holding decoded batches could wait for another that waits for it
 * (docs/adr/0016-request-limits.md).
 */
public final class DecodedRecordsBudget {
    private final long capacity;
    private final AtomicLong available;

    /** @param capacity bytes */
    public DecodedRecordsBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the budget must be positive, was " + capacity);
        }
        this.capacity = capacity;
        this.available = new AtomicLong(capacity);
    }

    /**
     * The default: a quarter of the heap, and at least one request's bound so that a request that fits
     * its own bound can always be decoded alone.
     */
    public static DecodedRecordsBudget forHeap(long maxHeapBytes, long requestBound) {
        return new DecodedRecordsBudget(Math.max(requestBound, maxHeapBytes / 4));
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes not taken now. */
    public long available() {
        return Math.max(0, available.get());
    }

    /** Takes the bytes if they are all there. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = available.get();
            if (now < bytes) {
                return false;
            }
            if (available.compareAndSet(now, now - bytes)) {
                return true;
            }
        }
    }

    void giveBack(long bytes) {
        available.addAndGet(bytes);
    }
}
