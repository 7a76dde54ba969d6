package dev.pgkafka.domain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;

import org.junit.jupiter.api.Test;

class OffsetAllocatorTest {

    @Test
    void anySequenceOfAllocationsYieldsContiguousNonOverlappingRanges() {
        for (long seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            long start = random.nextBoolean() ? 0 : random.nextLong(1L << 50);
            OffsetAllocator allocator = new OffsetAllocator(start);
            assertEquals(start, allocator.nextOffset(), "seed " + seed);
            long expectedBase = start;
            long total = 0;
            for (int i = 0; i < 500; i++) {
                int count = random.nextInt(10) == 0 ? 1 + random.nextInt(100_000) : 1 + random.nextInt(50);
                long base = allocator.allocate(count);
                // the range [base, base + count) starts exactly where the previous one ended
                assertEquals(expectedBase, base, "seed " + seed + ", allocation " + i);
                expectedBase = base + count;
                total += count;
                assertEquals(expectedBase, allocator.nextOffset(), "seed " + seed + ", allocation " + i);
            }
            assertEquals(start + total, allocator.nextOffset(), "seed " + seed);
        }
    }

    @Test
    void refusesEmptyAllocationsAndNegativeStarts() {
        OffsetAllocator allocator = new OffsetAllocator(7);
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate(0));
        assertThrows(IllegalArgumentException.class, () -> allocator.allocate(-3));
        assertEquals(7, allocator.nextOffset(), "a refused allocation reserves nothing");
        assertThrows(IllegalArgumentException.class, () -> new OffsetAllocator(-1));
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        OffsetAllocator allocator = new OffsetAllocator(Long.MAX_VALUE - 5);
        assertEquals(Long.MAX_VALUE - 5, allocator.allocate(5));
        assertThrows(ArithmeticException.class, () -> allocator.allocate(1));
        assertEquals(Long.MAX_VALUE, allocator.nextOffset());
    }
}
