package dev.pgkafka.domain.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.log.ProducerStamp;
import org.junit.jupiter.api.Test;

class ProducerPartitionStateTest {
    private static final long PID = 9L;

    @Test
    void emptyStateHasNoEpochNoSequenceNoTransaction() {
        ProducerPartitionState s = ProducerPartitionState.empty(PID);
        assertFalse(s.hasEpoch());
        assertEquals(ProducerStamp.NO_SEQUENCE, s.lastSequence());
        assertFalse(s.inTransaction());
        assertTrue(s.recentBatches().isEmpty());
    }

    @Test
    void keepsTheLastFiveBatchesOldestFirst() {
        ProducerPartitionState s = ProducerPartitionState.empty(PID);
        List<BatchMetadata> all = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            BatchMetadata b = batch(i * 2, i * 2 + 1, i * 10L);
            all.add(b);
            s = s.withBatch((short) 0, b, false);
            int kept = Math.min(i + 1, ProducerPartitionState.BATCHES_TO_RETAIN);
            assertEquals(all.subList(all.size() - kept, all.size()), s.recentBatches(), "after batch " + i);
            assertEquals(i * 2 + 1, s.lastSequence());
            assertEquals(b.maxTimestamp(), s.lastTimestamp());
        }
    }

    @Test
    void aNewEpochForgetsTheOldEpochsBatches() {
        ProducerPartitionState s = ProducerPartitionState.empty(PID)
                .withBatch((short) 3, batch(0, 4, 0), false)
                .withBatch((short) 3, batch(5, 9, 5), false);
        BatchMetadata first = batch(0, 0, 10);
        ProducerPartitionState bumped = s.withBatch((short) 4, first, false);
        assertEquals(4, bumped.producerEpoch());
        assertEquals(List.of(first), bumped.recentBatches());
        assertEquals(0, bumped.lastSequence());
        // the original is unchanged: states are values
        assertEquals(2, s.recentBatches().size());
        assertEquals(3, s.producerEpoch());
    }

    @Test
    void theFirstTransactionalBatchOpensTheTransactionAndAMarkerEndsIt() {
        ProducerPartitionState s = ProducerPartitionState.empty(PID).withBatch((short) 0, batch(0, 1, 40), true);
        assertTrue(s.inTransaction());
        assertEquals(40, s.currentTxnFirstOffset());
        s = s.withBatch((short) 0, batch(2, 3, 50), true);
        assertEquals(40, s.currentTxnFirstOffset(), "later batches keep the transaction's first offset");

        ProducerPartitionState ended = s.withTransactionEnded((short) 0, 777L);
        assertFalse(ended.inTransaction());
        assertEquals(777L, ended.lastTimestamp());
        assertEquals(s.recentBatches(), ended.recentBatches(), "same epoch keeps the batches for retries");

        ProducerPartitionState bumped = s.withTransactionEnded((short) 1, 778L);
        assertEquals(1, bumped.producerEpoch());
        assertTrue(bumped.recentBatches().isEmpty(), "a marker with a new epoch forgets the old batches");
        assertEquals(ProducerStamp.NO_SEQUENCE, bumped.lastSequence());
    }

    @Test
    void recentBatchesCannotBeChangedFromOutside() {
        List<BatchMetadata> source = new ArrayList<>(List.of(batch(0, 0, 0)));
        ProducerPartitionState s = new ProducerPartitionState(PID, (short) 0, source, -1L, -1L);
        source.add(batch(1, 1, 1));
        assertEquals(1, s.recentBatches().size());
        assertThrows(UnsupportedOperationException.class, () -> s.recentBatches().add(batch(2, 2, 2)));
    }

    private static BatchMetadata batch(int firstSeq, int lastSeq, long firstOffset) {
        return new BatchMetadata(firstSeq, lastSeq, firstOffset, firstOffset + lastSeq - firstSeq, firstOffset * 100);
    }
}
