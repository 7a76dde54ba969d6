package dev.pgkafka.domain.producer;

import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.log.ProducerStamp;

/**
 * A producer's state on one partition: its current epoch and its last (at most
 * {@link #BATCHES_TO_RETAIN}) batches, oldest first. {@code currentTxnFirstOffset} is the first
 * offset of the producer's open transaction on this partition, or -1.
 */
public record ProducerPartitionState(long producerId, short producerEpoch, List<BatchMetadata> recentBatches,
                                     long currentTxnFirstOffset, long lastTimestamp) {
    /** Kafka keeps the last five batches per producer and partition (max.in.flight is at most 5). */
    public static final int BATCHES_TO_RETAIN = 5;

    public ProducerPartitionState {
        recentBatches = List.copyOf(recentBatches);
    }

    public static ProducerPartitionState empty(long producerId) {
        return new ProducerPartitionState(producerId, ProducerStamp.NO_PRODUCER_EPOCH, List.of(), -1L, -1L);
    }

    public boolean hasEpoch() {
        return producerEpoch != ProducerStamp.NO_PRODUCER_EPOCH;
    }

    /** The last sequence written in the current epoch, or {@link ProducerStamp#NO_SEQUENCE}. */
    public int lastSequence() {
        return recentBatches.isEmpty() ? ProducerStamp.NO_SEQUENCE : recentBatches.getLast().lastSequence();
    }

    public boolean inTransaction() {
        return currentTxnFirstOffset >= 0;
    }

    /** The state after appending a batch; a new epoch forgets the batches of the old one. */
    public ProducerPartitionState withBatch(short epoch, BatchMetadata batch, boolean transactional) {
        List<BatchMetadata> batches = new ArrayList<>(epoch == producerEpoch ? recentBatches : List.of());
        batches.add(batch);
        while (batches.size() > BATCHES_TO_RETAIN) {
            batches.removeFirst();
        }
        long txnFirst = currentTxnFirstOffset;
        if (transactional && txnFirst < 0) {
            txnFirst = batch.firstOffset();
        }
        return new ProducerPartitionState(producerId, epoch, batches, txnFirst, batch.maxTimestamp());
    }

    /** The state after a transaction marker for this producer was written. */
    public ProducerPartitionState withTransactionEnded(short epoch, long markerTimestamp) {
        List<BatchMetadata> batches = epoch == producerEpoch ? recentBatches : List.of();
        return new ProducerPartitionState(producerId, epoch, batches, -1L, markerTimestamp);
    }
}
