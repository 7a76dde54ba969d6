package dev.pgkafka.application.port.in;

import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;

/** Append producers' batches to partition logs. */
public interface ProduceUseCase {

    /**
     * Appends every batch of the command in one storage transaction and returns when it committed.
     * Results come back in the order of the command's batches.
     */
    ProduceResult produce(ProduceCommand command);

    /**
     * @param acks            0, 1 or -1 (all); only whether an answer is awaited differs, storage is always committed
     * @param transactionalId the producer's transactional id, or null
     * @param addsPartitionsToTransaction Produce v12+ (KIP-890's transaction version 2): transactional
     *                        batches add their partitions to the producer's transaction themselves
     */
    record ProduceCommand(short acks, String transactionalId, List<PartitionBatch> batches,
                          boolean addsPartitionsToTransaction) {
        public ProduceCommand {
            batches = List.copyOf(batches);
        }

        public ProduceCommand(short acks, String transactionalId, List<PartitionBatch> batches) {
            this(acks, transactionalId, batches, false);
        }
    }

    record PartitionBatch(String topic, int partition, AppendBatch batch) {
    }

    record ProduceResult(List<PartitionResult> partitions) {
    }

    /**
     * @param baseOffset    offset of the batch's first record, or -1 on error
     * @param logAppendTime the broker's append timestamp when the topic uses LogAppendTime, else -1
     */
    record PartitionResult(String topic, int partition, ErrorCode error, String errorMessage, long baseOffset,
                           long logAppendTime, long logStartOffset) {

        public static PartitionResult failed(String topic, int partition, ErrorCode error, String message) {
            return new PartitionResult(topic, partition, error, message, -1L, -1L, -1L);
        }
    }
}
