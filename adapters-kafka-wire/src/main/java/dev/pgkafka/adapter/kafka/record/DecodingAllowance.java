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
    private long used;

    /** @param limit bytes; {@link Long#MAX_VALUE} for no bound */
    public DecodingAllowance(long limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the allowance must be positive, was " + limit);
        }
        this.limit = limit;
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

    long remaining() {
        return limit - used;
    }

    void take(long bytes) {
        used += bytes;
    }
}
