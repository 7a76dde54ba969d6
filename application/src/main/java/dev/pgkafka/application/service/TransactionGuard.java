package dev.pgkafka.application.service;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Whether a transactional batch may be appended: its producer's transaction must be ongoing at the
 * batch's epoch and hold the partition (AddPartitionsToTxn). Asked with the partition's head locked,
 * so no marker can slip in between the answer and the append.
 */
@FunctionalInterface
public interface TransactionGuard {
    /** For storages and tests without a transaction coordinator: every batch may be appended. */
    TransactionGuard ACCEPT_ALL = (pid, epoch, partition) -> ErrorCode.NONE;

    ErrorCode verifyTransactionalProduce(long producerId, short producerEpoch, TopicIdPartition partition);
}
