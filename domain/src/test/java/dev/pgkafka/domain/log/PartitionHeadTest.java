package dev.pgkafka.domain.log;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PartitionHeadTest {

    @Test
    void logStartLeqLastStableLeqHighWatermarkIsRequired() {
        assertDoesNotThrow(() -> new PartitionHead(0, 0, 0));
        assertDoesNotThrow(() -> new PartitionHead(3, 10, 3));
        assertDoesNotThrow(() -> new PartitionHead(3, 10, 10));
        assertThrows(IllegalArgumentException.class, () -> new PartitionHead(-1, 0, 0), "negative start");
        assertThrows(IllegalArgumentException.class, () -> new PartitionHead(5, 4, 4), "watermark below start");
        assertThrows(IllegalArgumentException.class, () -> new PartitionHead(0, 4, 5), "LSO above watermark");
        assertThrows(IllegalArgumentException.class, () -> new PartitionHead(2, 4, 1), "LSO below start");
    }

    @Test
    void invariantHoldsExactlyForOrderedTriples() {
        for (long seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            for (int i = 0; i < 500; i++) {
                long a = random.nextInt(20) - 2;
                long b = random.nextInt(20) - 2;
                long c = random.nextInt(20) - 2;
                boolean legal = a >= 0 && a <= c && c <= b;
                String what = "seed " + seed + ": start " + a + ", hw " + b + ", lso " + c;
                if (legal) {
                    assertDoesNotThrow(() -> new PartitionHead(a, b, c), what);
                } else {
                    assertThrows(IllegalArgumentException.class, () -> new PartitionHead(a, b, c), what);
                }
            }
        }
    }

    @Test
    void fetchableOffsetsAreFromLogStartToHighWatermarkInclusive() {
        PartitionHead head = new PartitionHead(5, 12, 9);
        assertFalse(head.contains(4));
        assertTrue(head.contains(5));
        assertTrue(head.contains(12), "fetching at the high watermark waits for new data");
        assertFalse(head.contains(13));
    }

    @Test
    void readCommittedStopsAtTheLastStableOffset() {
        PartitionHead head = new PartitionHead(5, 12, 9);
        assertEquals(12, head.readableEnd(IsolationLevel.READ_UNCOMMITTED));
        assertEquals(9, head.readableEnd(IsolationLevel.READ_COMMITTED));
    }

    @Test
    void factories() {
        assertEquals(new PartitionHead(0, 0, 0), PartitionHead.empty());
        assertEquals(new PartitionHead(2, 7, 7), PartitionHead.of(2, 7));
    }
}
