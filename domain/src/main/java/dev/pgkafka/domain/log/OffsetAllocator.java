package dev.pgkafka.domain.log;

/**
 * Hands out contiguous offsets for a partition's log: the pure core of an append. The storage
 * adapter serialises appends per partition, and each append asks the allocator for its base offset.
 */
public final class OffsetAllocator {
    private long nextOffset;

    public OffsetAllocator(long nextOffset) {
        if (nextOffset < 0) {
            throw new IllegalArgumentException("next offset must be >= 0, was " + nextOffset);
        }
        this.nextOffset = nextOffset;
    }

    /** Reserves {@code count} offsets and returns the first. */
    public long allocate(int count) {
        if (count <= 0) {
            throw new IllegalArgumentException("a batch holds at least one record, was " + count);
        }
        long base = nextOffset;
        nextOffset = Math.addExact(nextOffset, count);
        return base;
    }

    public long nextOffset() {
        return nextOffset;
    }
}
