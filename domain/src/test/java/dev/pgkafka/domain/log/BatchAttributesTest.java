package dev.pgkafka.domain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BatchAttributesTest {

    @Test
    void everyCombinationRoundTripsThroughItsBits() {
        Set<Short> seen = new HashSet<>();
        for (Compression c : Compression.values()) {
            for (TimestampType t : TimestampType.values()) {
                for (boolean transactional : new boolean[] {false, true}) {
                    for (boolean control : new boolean[] {false, true}) {
                        BatchAttributes a = new BatchAttributes(c, t, transactional, control);
                        short bits = a.toBits();
                        assertEquals(a, BatchAttributes.fromBits(bits), a.toString());
                        // Kafka's layout: codec in bits 0-2, timestamp type bit 3, transactional 4, control 5
                        int expected = c.id() | (t == TimestampType.LOG_APPEND_TIME ? 0x08 : 0)
                                | (transactional ? 0x10 : 0) | (control ? 0x20 : 0);
                        assertEquals(expected, bits, a.toString());
                        seen.add(bits);
                    }
                }
            }
        }
        assertEquals(Compression.values().length * 2 * 2 * 2, seen.size(), "distinct attributes, distinct bits");
    }

    @Test
    void kafkaCodecIdsAndTheDeleteHorizonBitIsIgnored() {
        assertEquals(0, Compression.NONE.id());
        assertEquals(1, Compression.GZIP.id());
        assertEquals(2, Compression.SNAPPY.id());
        assertEquals(3, Compression.LZ4.id());
        assertEquals(4, Compression.ZSTD.id());
        assertEquals(BatchAttributes.PLAIN, BatchAttributes.fromBits(0));
        // bit 6 marks a delete horizon in compacted logs; it is not an attribute we keep
        assertEquals(BatchAttributes.fromBits(0x13), BatchAttributes.fromBits(0x13 | 0x40));
    }

    @Test
    void unknownCodecIdsAreRefused() {
        for (int id = 5; id <= 7; id++) {
            int bits = id;
            assertThrows(IllegalArgumentException.class, () -> BatchAttributes.fromBits(bits), "codec " + id);
        }
    }

    @Test
    void withersChangeOnlyTheirField() {
        BatchAttributes a = new BatchAttributes(Compression.LZ4, TimestampType.CREATE_TIME, true, false);
        assertEquals(new BatchAttributes(Compression.ZSTD, TimestampType.CREATE_TIME, true, false),
                a.withCompression(Compression.ZSTD));
        assertEquals(new BatchAttributes(Compression.LZ4, TimestampType.LOG_APPEND_TIME, true, false),
                a.withTimestampType(TimestampType.LOG_APPEND_TIME));
    }
}
