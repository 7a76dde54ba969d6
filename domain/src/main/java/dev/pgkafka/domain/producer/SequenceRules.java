package dev.pgkafka.domain.producer;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.Sequences;

/**
 * Kafka's rules for an idempotent producer's batch on one partition, given what the partition
 * remembers of that producer:
 * <ul>
 *   <li>an epoch older than the current one is INVALID_PRODUCER_EPOCH;</li>
 *   <li>a batch whose sequence range equals one of the last five batches of the current epoch is a
 *       duplicate, answered with the original offsets;</li>
 *   <li>a new epoch must start at sequence 0, also when the partition knows the epoch but no batch of it;</li>
 *   <li>within an epoch the first sequence must follow the last one written, else
 *       OUT_OF_ORDER_SEQUENCE_NUMBER;</li>
 *   <li>a producer the partition knows nothing of may start at any sequence (its earlier records
 *       may have been removed by retention).</li>
 * </ul>
 */
public final class SequenceRules {
    private SequenceRules() {
    }

    public static SequenceDecision check(ProducerPartitionState state, ProducerStamp stamp, int lastSequence) {
        short epoch = stamp.producerEpoch();
        int firstSequence = stamp.baseSequence();
        if (state.hasEpoch() && epoch < state.producerEpoch()) {
            return new SequenceDecision.Reject(ErrorCode.INVALID_PRODUCER_EPOCH, "Epoch of producer "
                    + stamp.producerId() + " is " + epoch + ", which is smaller than the last seen epoch "
                    + state.producerEpoch());
        }
        if (epoch == state.producerEpoch()) {
            for (BatchMetadata batch : state.recentBatches()) {
                if (batch.firstSequence() == firstSequence && batch.lastSequence() == lastSequence) {
                    return new SequenceDecision.Duplicate(batch);
                }
            }
        }
        if (!state.hasEpoch()) {
            return new SequenceDecision.Append();
        }
        if (epoch != state.producerEpoch()) {
            if (firstSequence != 0) {
                return new SequenceDecision.Reject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
                        "Invalid sequence number for new epoch of producer " + stamp.producerId() + ": " + epoch
                                + " (request epoch), " + firstSequence + " (seq. number), " + state.producerEpoch()
                                + " (current producer epoch)");
            }
            return new SequenceDecision.Append();
        }
        // an epoch without batches (a marker bumped it) has last sequence -1, so only 0 follows, as in Kafka
        int lastWritten = state.lastSequence();
        if (Sequences.follows(lastWritten, firstSequence)) {
            return new SequenceDecision.Append();
        }
        return new SequenceDecision.Reject(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence number for producer "
                + stamp.producerId() + ": " + firstSequence + " (incoming seq. number), " + lastWritten
                + " (current end sequence number)");
    }
}
