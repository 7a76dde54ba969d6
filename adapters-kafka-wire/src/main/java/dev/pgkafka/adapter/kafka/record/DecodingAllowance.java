package dev.pgkafka.adapter.kafka.record;

/**
 * The memory that the decoded records of one produce request (with the requests of the same
 * producer appended together with it) may take: {@code pgkafka.produce.max.uncompressed.request.bytes}.
 * Each batch takes its records' uncompressed bytes plus {@value #RECORD_OVERHEAD_BYTES} bytes a
 * record for the objects that hold them, so neither compressed batches that inflate nor many
 * tiny records can make a request hold more than the allowance (docs/adr/0016-request-limits.md).
 *
 * <p>Not thread-safe: one request's batches are decoded one after the other.
 */
public final class DecodingAllowance {
    /**
     * What the broker holds for one decoded record besides its key, value and header bytes: the record
     * object, its array headers and its place in the batch's list, rounded up.
     */
    public static final int RECORD_OVERHEAD_BYTES = 64;

    private final long limit;
    private final DecodedRecordsBudget broker;
    private long used;

    /** @param limit bytes; {@link Long#MAX_VALUE} for no bound */
    public DecodingAllowance(long limit) {
        this(limit, null);
    }

    /**
     * @param limit  bytes; {@link Long#MAX_VALUE} for no bound
     * @param broker the broker-wide budget this allowance also takes from, or null; give it back with
     *               {@link #release()} once the decoded records are no longer held
     */
    public DecodingAllowance(long limit, DecodedRecordsBudget broker) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the allowance must be positive, was " + limit);
        }
        this.limit = limit;
        this.broker = broker;
    }

    /** No bound: each batch is held only to the decoder's own per-batch limit. */
    public static DecodingAllowance unbounded() {
        return new DecodingAllowance(Long.MAX_VALUE);
    }

    public long limit() {
        return limit;
    }

    /** Bytes taken by the batches decoded so far. */
    public long used() {
        return used;
    }

    /** What the next batch may take: the rest of this request's bound, or less when the broker's budget is lower. */
    long remaining() {
        long own = limit - used;
        return broker == null ? own : Math.min(own, broker.available());
    }

    /** Whether the broker-wide budget, not this request's bound, is what is short now. */
    boolean brokerBudgetIsShort(long needed) {
        return broker != null && limit - used >= needed && broker.available() < needed;
    }

    /** @return false when the broker-wide budget was taken by other requests meanwhile (nothing is taken then) */
    boolean take(long bytes) {
        if (broker != null && !broker.tryTake(bytes)) {
            return false;
        }
        used += bytes;
        return true;
    }

    /** Gives what the decoded batches took back to the broker-wide budget (their append is answered). */
    public void release() {
        if (broker != null && used > 0) {
            broker.giveBack(used);
        }
        used = 0;
    }
}
