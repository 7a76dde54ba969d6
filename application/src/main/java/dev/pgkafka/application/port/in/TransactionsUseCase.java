package dev.pgkafka.application.port.in;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;

/**
 * Kafka's transaction coordinator as the wire sees it: AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit, ListTransactions, DescribeTransactions, DescribeProducers. (InitProducerId with a
 * transactional id comes through {@link InitProducerIdUseCase}.)
 */
public interface TransactionsUseCase {

    /** AddPartitionsToTxn: one error for all the partitions (they are added all or none). */
    ErrorCode addPartitions(String transactionalId, long producerId, short producerEpoch,
                            Collection<TopicIdPartition> partitions);

    /** AddOffsetsToTxn. */
    ErrorCode addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId);

    /**
     * EndTxn: answered after the markers are written and the transaction is complete. With
     * {@code bumpEpoch} (EndTxn v5, KIP-890's transaction version 2) the epoch is bumped and the
     * result carries the producer id and epoch to continue with.
     */
    EndTxnResult endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit,
                                boolean bumpEpoch);

    /** EndTxn of transaction version 1. */
    default ErrorCode endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        return endTransaction(transactionalId, producerId, producerEpoch, commit, false).error();
    }

    /**
     * TxnOffsetCommit: one error per partition of the command, in order. The offsets become visible
     * when the transaction commits.
     */
    List<ErrorCode> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                  GroupOffsetsUseCase.OffsetCommitCommand command, boolean addGroup);

    /** TxnOffsetCommit of transaction version 1 (the group was added by AddOffsetsToTxn). */
    default List<ErrorCode> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                          GroupOffsetsUseCase.OffsetCommitCommand command) {
        return commitOffsets(transactionalId, producerId, producerEpoch, command, false);
    }

    /** The {@code transaction.version} (1 or 2) this broker finalizes for clients. */
    int transactionVersion();

    /**
     * ListTransactions.
     *
     * @param states         Kafka state names to keep (empty: all); unknown names match nothing
     * @param producerIds    producer ids to keep (empty: all)
     * @param minDurationMs  keep transactions running at least this long (-1: all)
     * @param idFilter       the transactional ids to keep (null: all); the wire adapter makes it of the client's
     *                       regular expression with {@link dev.pgkafka.domain.regex.ClientRegex}
     */
    List<TransactionMetadata> list(Set<String> states, Set<Long> producerIds, long minDurationMs,
                                   Predicate<String> idFilter);

    /** DescribeTransactions: the state of one transactional id. */
    Optional<TransactionMetadata> describe(String transactionalId);

    /** DescribeProducers: what a partition remembers of its producers. */
    List<ProducerPartitionState> producers(TopicIdPartition partition);

    /** @param producerId and {@code producerEpoch}: what the producer continues with (-1 on errors) */
    record EndTxnResult(ErrorCode error, long producerId, short producerEpoch) {
        public static EndTxnResult error(ErrorCode error) {
            return new EndTxnResult(error, -1L, (short) -1);
        }
    }
}
