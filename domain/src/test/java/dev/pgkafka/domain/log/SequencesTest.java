package dev.pgkafka.domain.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class SequencesTest {
    private static final int MAX = Integer.MAX_VALUE;

    @Test
    void addWrapsToZeroAfterMaxValue() {
        assertEquals(5, Sequences.add(2, 3));
        assertEquals(MAX, Sequences.add(MAX - 1, 1));
        assertEquals(0, Sequences.add(MAX, 1));
        assertEquals(2, Sequences.add(MAX - 2, 5));
        assertEquals(MAX, Sequences.add(MAX, 0));
        assertEquals(MAX - 1, Sequences.add(MAX, MAX));
    }

    @Test
    void addIsAdditionModuloTwoToThe31() {
        long modulus = MAX + 1L;
        for (long seed = 0; seed < 50; seed++) {
            Random random = new Random(seed);
            for (int i = 0; i < 1000; i++) {
                int sequence = random.nextInt(MAX) + random.nextInt(2); // 0..MAX
                int delta = random.nextBoolean() ? random.nextInt(1000) : random.nextInt(MAX);
                int expected = (int) (((long) sequence + delta) % modulus);
                assertEquals(expected, Sequences.add(sequence, delta),
                        "seed " + seed + ": " + sequence + " + " + delta);
            }
        }
    }

    @Test
    void followsIsTheNextSequenceIncludingTheWrap() {
        assertTrue(Sequences.follows(0, 1));
        assertTrue(Sequences.follows(MAX, 0));
        assertTrue(Sequences.follows(MAX - 1, MAX));
        assertFalse(Sequences.follows(MAX, 1));
        assertFalse(Sequences.follows(3, 3));
        assertFalse(Sequences.follows(3, 5));
        assertFalse(Sequences.follows(4, 3));
    }

    @Test
    void aStampNumbersItsRecordsFromTheBaseSequence() {
        ProducerStamp stamp = new ProducerStamp(1L, (short) 0, MAX - 1);
        assertEquals(MAX - 1, stamp.sequenceAt(0));
        assertEquals(MAX, stamp.sequenceAt(1));
        assertEquals(0, stamp.sequenceAt(2));
        assertEquals(ProducerStamp.NO_SEQUENCE, ProducerStamp.NONE.sequenceAt(3), "no sequence stays no sequence");
        assertFalse(ProducerStamp.NONE.hasProducerId());
    }
}
