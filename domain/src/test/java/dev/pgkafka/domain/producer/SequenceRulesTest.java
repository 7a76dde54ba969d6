package dev.pgkafka.domain.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.Sequences;
import org.junit.jupiter.api.Test;

/** Kafka's idempotent-producer rules (ProducerAppendInfo.checkSequence, ProducerStateEntry.findDuplicateBatch). */
class SequenceRulesTest {
    static final long PID = 4711L;

    @Test
    void producerThePartitionDoesNotKnowMayStartAtAnySequence() {
        ProducerPartitionState unknown = ProducerPartitionState.empty(PID);
        for (int first : new int[] {0, 1, 17, Integer.MAX_VALUE}) {
            for (short epoch : new short[] {0, 3, Short.MAX_VALUE}) {
                assertAppend(SequenceRules.check(unknown, stamp(epoch, first), Sequences.add(first, 4)));
            }
        }
    }

    @Test
    void nextSequenceInTheEpochIsAppended() {
        ProducerPartitionState state = written((short) 2, 0, 5, 5, 3);
        // batches 0-4, 5-9, 10-12: 13 comes next
        assertAppend(SequenceRules.check(state, stamp((short) 2, 13), 13));
        assertAppend(SequenceRules.check(state, stamp((short) 2, 13), 40));
    }

    @Test
    void aGapOrAnOverlapThatIsNoExactRetryIsOutOfOrder() {
        ProducerPartitionState state = written((short) 0, 0, 5, 5);
        // last written is 9
        for (int[] range : new int[][] {{11, 11}, {100, 104}, {9, 9}, {5, 8}, {0, 9}, {3, 6}, {10 - 1, 12}}) {
            SequenceDecision d = SequenceRules.check(state, stamp((short) 0, range[0]), range[1]);
            assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, d, "range " + range[0] + ".." + range[1]);
        }
    }

    @Test
    void eachOfTheLastFiveBatchesIsADuplicateAnsweredWithItsOriginalOffsets() {
        ProducerPartitionState state = ProducerPartitionState.empty(PID);
        List<BatchMetadata> written = new ArrayList<>();
        long offset = 100;
        for (int i = 0; i < 6; i++) {
            BatchMetadata b = new BatchMetadata(i * 3, i * 3 + 2, offset, offset + 2, 1000 + i);
            written.add(b);
            state = state.withBatch((short) 1, b, false);
            offset += 3 + 7; // other producers' records sit between ours
        }
        for (int i = 1; i < 6; i++) {
            BatchMetadata original = written.get(i);
            SequenceDecision d = SequenceRules.check(state, stamp((short) 1, original.firstSequence()),
                    original.lastSequence());
            SequenceDecision.Duplicate dup = assertInstanceOf(SequenceDecision.Duplicate.class, d, "batch " + i);
            assertEquals(original, dup.original(), "batch " + i);
            assertEquals(original.firstOffset(), dup.original().firstOffset());
        }
        // the sixth-oldest is forgotten: Kafka answers an old, unknown retry as out of order
        BatchMetadata oldest = written.getFirst();
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
                SequenceRules.check(state, stamp((short) 1, oldest.firstSequence()), oldest.lastSequence()), "6th oldest");
    }

    @Test
    void aDuplicateNeedsTheExactSequenceRange() {
        ProducerPartitionState state = written((short) 0, 0, 5);
        // 0-4 was written; 0-3 and 1-4 are not retries of it
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, SequenceRules.check(state, stamp((short) 0, 0), 3), "0-3");
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, SequenceRules.check(state, stamp((short) 0, 1), 4), "1-4");
        assertInstanceOf(SequenceDecision.Duplicate.class, SequenceRules.check(state, stamp((short) 0, 0), 4));
    }

    @Test
    void anOlderEpochIsFencedEvenForARetry() {
        ProducerPartitionState state = written((short) 5, 0, 2, 2);
        for (short old : new short[] {4, 0}) {
            assertReject(ErrorCode.INVALID_PRODUCER_EPOCH, SequenceRules.check(state, stamp(old, 4), 4), "next seq");
            assertReject(ErrorCode.INVALID_PRODUCER_EPOCH, SequenceRules.check(state, stamp(old, 0), 1), "retry");
        }
    }

    @Test
    void aNewEpochMustStartAtZero() {
        ProducerPartitionState state = written((short) 5, 0, 2, 2);
        assertAppend(SequenceRules.check(state, stamp((short) 6, 0), 9));
        assertAppend(SequenceRules.check(state, stamp((short) 9, 0), 0));
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, SequenceRules.check(state, stamp((short) 6, 4), 4),
                "continuing the old epoch's sequence");
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, SequenceRules.check(state, stamp((short) 6, 1), 3), "1");
    }

    @Test
    void aNewEpochDoesNotSeeTheOldEpochsBatchesAsDuplicates() {
        ProducerPartitionState state = written((short) 1, 0, 5);
        assertAppend(SequenceRules.check(state, stamp((short) 2, 0), 4));
    }

    @Test
    void anEpochWithoutBatchesExpectsSequenceZero() {
        // a transaction marker that bumped the epoch leaves the epoch but no batches (Kafka's
        // ProducerStateEntry.maybeUpdateProducerEpoch); Kafka's inSequence(-1, seq) then only admits 0
        ProducerPartitionState state = written((short) 1, 0, 5).withTransactionEnded((short) 2, 99L);
        assertEquals(ProducerStamp.NO_SEQUENCE, state.lastSequence());
        assertAppend(SequenceRules.check(state, stamp((short) 2, 0), 4));
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, SequenceRules.check(state, stamp((short) 2, 5), 9), "5");
    }

    @Test
    void sequencesWrapAroundAfterIntegerMaxValue() {
        int max = Integer.MAX_VALUE;
        ProducerPartitionState state = ProducerPartitionState.empty(PID)
                .withBatch((short) 0, new BatchMetadata(max - 4, max, 0, 4, 1), false);
        assertAppend(SequenceRules.check(state, stamp((short) 0, 0), 2));
        assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
                SequenceRules.check(state, stamp((short) 0, 1), 2), "1 after MAX");

        // a batch that itself wraps: MAX-1, MAX, 0, 1
        ProducerStamp wrapping = stamp((short) 0, max - 1);
        int last = wrapping.sequenceAt(3);
        assertEquals(1, last);
        ProducerPartitionState before = ProducerPartitionState.empty(PID)
                .withBatch((short) 0, new BatchMetadata(max - 5, max - 2, 0, 3, 1), false);
        assertAppend(SequenceRules.check(before, wrapping, last));
        ProducerPartitionState after = before.withBatch((short) 0, new BatchMetadata(max - 1, last, 4, 7, 2), false);
        SequenceDecision.Duplicate dup = assertInstanceOf(SequenceDecision.Duplicate.class,
                SequenceRules.check(after, wrapping, last));
        assertEquals(4, dup.original().firstOffset());
        assertAppend(SequenceRules.check(after, stamp((short) 0, 2), 2));
    }

    static ProducerStamp stamp(short epoch, int firstSequence) {
        return new ProducerStamp(PID, epoch, firstSequence);
    }

    /** The state after writing batches of the given record counts, in order from {@code firstSequence}. */
    static ProducerPartitionState written(short epoch, int firstSequence, int... counts) {
        ProducerPartitionState state = ProducerPartitionState.empty(PID);
        int seq = firstSequence;
        long offset = 0;
        for (int count : counts) {
            int last = Sequences.add(seq, count - 1);
            state = state.withBatch(epoch, new BatchMetadata(seq, last, offset, offset + count - 1, offset), false);
            seq = Sequences.add(last, 1);
            offset += count;
        }
        return state;
    }

    static void assertAppend(SequenceDecision decision) {
        assertInstanceOf(SequenceDecision.Append.class, decision, () -> "expected an append, got " + decision);
    }

    static void assertReject(ErrorCode expected, SequenceDecision decision, String what) {
        SequenceDecision.Reject reject = assertInstanceOf(SequenceDecision.Reject.class, decision,
                () -> what + ": expected " + expected + ", got " + decision);
        assertEquals(expected, reject.error(), what);
    }
}
