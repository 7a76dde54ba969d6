package dev.pgkafka.domain.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.OffsetAllocator;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.Sequences;
import org.junit.jupiter.api.Test;

/**
 * A producer that sends in order and retries recent batches (as a client with up to five in-flight
 * requests does) is never refused, and every retry is answered with the offsets of the original.
 * Seeded; the seed is in every failure message.
 */
class SequenceRulesPropertyTest {
    private static final int SEEDS = 300;
    private static final int STEPS = 300;

    @Test
    void inOrderBatchesWithRetriesOfRecentOnesAreNeverRefused() {
        for (long seed = 0; seed < SEEDS; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random random = new Random(seed);
        long pid = random.nextLong(1_000_000);
        short epoch = (short) random.nextInt(3);
        // start a third of the producers close to the wrap-around point
        int next = random.nextInt(3) == 0 ? Integer.MAX_VALUE - random.nextInt(200) : 0;
        ProducerPartitionState state = ProducerPartitionState.empty(pid);
        OffsetAllocator offsets = new OffsetAllocator(random.nextInt(1000));
        List<BatchMetadata> epochBatches = new ArrayList<>();

        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + ", step " + step;
            int dice = random.nextInt(100);
            if (dice < 30 && !epochBatches.isEmpty()) {
                // a retry of one of the last five: a duplicate with the original offsets
                int back = 1 + random.nextInt(Math.min(ProducerPartitionState.BATCHES_TO_RETAIN, epochBatches.size()));
                BatchMetadata original = epochBatches.get(epochBatches.size() - back);
                SequenceDecision d = SequenceRules.check(state, new ProducerStamp(pid, epoch, original.firstSequence()),
                        original.lastSequence());
                SequenceDecision.Duplicate dup = assertInstanceOf(SequenceDecision.Duplicate.class, d,
                        () -> where + ": retry of " + original + " got " + d);
                assertEquals(original, dup.original(), where);
            } else if (dice < 35 && epochBatches.size() > ProducerPartitionState.BATCHES_TO_RETAIN) {
                // a retry older than the last five is forgotten: refused, never mistaken for new data
                BatchMetadata old = epochBatches.get(random.nextInt(epochBatches.size() - ProducerPartitionState.BATCHES_TO_RETAIN));
                SequenceDecision d = SequenceRules.check(state, new ProducerStamp(pid, epoch, old.firstSequence()),
                        old.lastSequence());
                SequenceDecision.Reject reject = assertInstanceOf(SequenceDecision.Reject.class, d,
                        () -> where + ": stale retry of " + old + " got " + d);
                assertEquals(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, reject.error(), where);
            } else if (dice < 38) {
                // the producer bumps its epoch and starts over at 0
                epoch++;
                next = 0;
                epochBatches.clear();
            } else {
                int count = 1 + random.nextInt(20);
                ProducerStamp stamp = new ProducerStamp(pid, epoch, next);
                int last = stamp.sequenceAt(count - 1);
                SequenceDecision d = SequenceRules.check(state, stamp, last);
                if (!(d instanceof SequenceDecision.Append)) {
                    fail(where + ": in-order batch " + next + ".." + last + " got " + d + " in state " + state);
                }
                long base = offsets.allocate(count);
                BatchMetadata written = new BatchMetadata(next, last, base, base + count - 1, step);
                state = state.withBatch(epoch, written, false);
                epochBatches.add(written);
                next = Sequences.add(last, 1);
            }
        }
    }

    @Test
    void anySequenceThatIsNeitherNextNorARecentRetryIsOutOfOrder() {
        for (long seed = 0; seed < SEEDS; seed++) {
            Random random = new Random(seed);
            ProducerPartitionState state = SequenceRulesTest.written((short) 0, random.nextInt(1000),
                    1 + random.nextInt(9), 1 + random.nextInt(9), 1 + random.nextInt(9));
            int expected = Sequences.add(state.lastSequence(), 1);
            for (int i = 0; i < 50; i++) {
                int first = random.nextInt(3000);
                int last = Sequences.add(first, random.nextInt(10));
                boolean retry = state.recentBatches().stream()
                        .anyMatch(b -> b.firstSequence() == first && b.lastSequence() == last);
                if (first == expected || retry) {
                    continue;
                }
                SequenceDecision d = SequenceRules.check(state, SequenceRulesTest.stamp((short) 0, first), last);
                SequenceRulesTest.assertReject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, d,
                        "seed " + seed + ": " + first + ".." + last + " after " + state.lastSequence());
            }
        }
    }
}
