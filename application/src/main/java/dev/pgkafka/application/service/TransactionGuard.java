package dev.pgkafka.application.service;

import java.util.Collection;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Whether a transactional batch may be appended: its producer's transaction must be ongoing at the
 * batch's epoch and hold the partition (AddPartitionsToTxn). Asked with the partition's head locked,
 * so no marker can slip in between the answer and the append.
 */
public interface TransactionGuard {
    /** For storages and tests without a transaction coordinator: every batch may be appended. */
    TransactionGuard ACCEPT_ALL = new TransactionGuard() {
        @Override
        public ErrorCode verifyTransactionalProduce(long producerId, short producerEpoch, TopicIdPartition partition) {
            return ErrorCode.NONE;
        }

        @Override
        public ErrorCode addPartitionsFromProduce(long producerId, short producerEpoch,
                                                  Collection<TopicIdPartition> partitions) {
            return ErrorCode.NONE;
        }
    };

    ErrorCode verifyTransactionalProduce(long producerId, short producerEpoch, TopicIdPartition partition);

    /**
     * Transaction version 2 (Produce v12+, KIP-890): the produce adds its partitions to the producer's
     * transaction before appending; asked with no partition locked.
     */
    ErrorCode addPartitionsFromProduce(long producerId, short producerEpoch, Collection<TopicIdPartition> partitions);
}
