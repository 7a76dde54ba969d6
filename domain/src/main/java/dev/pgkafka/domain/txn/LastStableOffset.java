package dev.pgkafka.domain.txn;

import java.util.Collection;

/**
 * The last stable offset of a partition: the first offset of its oldest open transaction, or the high
 * watermark when no transaction is open. read_committed consumers read only below it.
 */
public final class LastStableOffset {
    private LastStableOffset() {
    }

    /** @param openTransactionStarts first offsets of the transactions still open on the partition */
    public static long of(long highWatermark, Collection<Long> openTransactionStarts) {
        long lso = highWatermark;
        for (long start : openTransactionStarts) {
            lso = Math.min(lso, start);
        }
        return lso;
    }

    /**
     * The LSO after a batch was appended at {@code [baseOffset, end)}: a partition without an open
     * transaction (LSO = high watermark) stays stable unless the batch opens one; with an open
     * transaction the LSO stays where it is.
     */
    public static long afterAppend(long lastStableOffset, long highWatermark, boolean transactional, long end) {
        return lastStableOffset == highWatermark && !transactional ? end : lastStableOffset;
    }
}
