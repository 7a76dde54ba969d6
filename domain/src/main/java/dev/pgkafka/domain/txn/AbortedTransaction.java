package dev.pgkafka.domain.txn;

/**
 * An entry of a partition's aborted-transaction index: the producer's records from {@code firstOffset}
 * up to its abort marker at {@code lastOffset} belong to an aborted transaction. read_committed
 * consumers get the entries that overlap what they fetch and skip those records.
 */
public record AbortedTransaction(long producerId, long firstOffset, long lastOffset) {
    public AbortedTransaction {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("aborted transaction " + firstOffset + ".." + lastOffset);
        }
    }

    /** True when a fetch of offsets {@code [fetchOffset, upperBound)} must be told of this entry. */
    public boolean overlaps(long fetchOffset, long upperBound) {
        return lastOffset >= fetchOffset && firstOffset < upperBound;
    }
}
