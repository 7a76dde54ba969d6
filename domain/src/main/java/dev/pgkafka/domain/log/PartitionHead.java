package dev.pgkafka.domain.log;

/**
 * Where a partition's log starts and ends. The high watermark is the next offset to be written
 * (everything below it is committed); the last stable offset is the first offset of a still-open
 * transaction, or the high watermark when there is none.
 */
public record PartitionHead(long logStartOffset, long highWatermark, long lastStableOffset) {
    public PartitionHead {
        if (logStartOffset < 0 || highWatermark < logStartOffset || lastStableOffset > highWatermark
                || lastStableOffset < logStartOffset) {
            throw new IllegalArgumentException("inconsistent partition head " + logStartOffset + "/" + lastStableOffset
                    + "/" + highWatermark);
        }
    }

    public static PartitionHead empty() {
        return new PartitionHead(0, 0, 0);
    }

    public static PartitionHead of(long logStartOffset, long highWatermark) {
        return new PartitionHead(logStartOffset, highWatermark, highWatermark);
    }

    /** True when a consumer may fetch from {@code offset}: inside [log start, high watermark]. */
    public boolean contains(long offset) {
        return offset >= logStartOffset && offset <= highWatermark;
    }

    /** The end a fetch may read to, per isolation level. */
    public long readableEnd(IsolationLevel isolation) {
        return isolation == IsolationLevel.READ_COMMITTED ? lastStableOffset : highWatermark;
    }
}
