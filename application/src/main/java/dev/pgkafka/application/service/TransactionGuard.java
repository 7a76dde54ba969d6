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
        public ImplicitAdd addPartitionsFromProduce(long producerId, short producerEpoch,
                                                    Collection<TopicIdPartition> partitions) {
            return ImplicitAdd.NOTHING;
        }
    };

    ErrorCode verifyTransactionalProduce(long producerId, short producerEpoch, TopicIdPartition partition);

    /**
     * Transaction version 2 (Produce v12+, KIP-890): the produce adds its partitions to the producer's
     * transaction before appending; asked with no partition locked. The coordinator only changes its
     * state in memory: the produce stores the addition with its records
     * ({@link dev.pgkafka.application.port.out.AppendTransaction#addToTransaction}), so what is stored
     * is exactly the partitions that hold records of the transaction.
     */
    ImplicitAdd addPartitionsFromProduce(long producerId, short producerEpoch, Collection<TopicIdPartition> partitions);

    /**
     * The answer to an implicit add: the error, and when the transaction changed, its id and start
     * time for the produce to store.
     */
    record ImplicitAdd(ErrorCode error, String transactionalId, long startTimestamp) {
        public static final ImplicitAdd NOTHING = new ImplicitAdd(ErrorCode.NONE, null, -1L);

        public static ImplicitAdd refused(ErrorCode error) {
            return new ImplicitAdd(error, null, -1L);
        }

        /** True when the produce must store the addition with its records. */
        public boolean changed() {
            return transactionalId != null;
        }
    }
}
