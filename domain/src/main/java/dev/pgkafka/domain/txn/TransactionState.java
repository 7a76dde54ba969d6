package dev.pgkafka.domain.txn;

import java.util.Locale;
import java.util.Optional;

/**
 * The states of a transactional id, as Kafka's transaction coordinator names them. A transaction is
 * {@link #ONGOING} from its first AddPartitionsToTxn/AddOffsetsToTxn until EndTxn (or its timeout)
 * moves it to a prepare state; the markers are written in the prepare state; the complete states are
 * where the next transaction starts from.
 */
public enum TransactionState {
    EMPTY("Empty"),
    ONGOING("Ongoing"),
    PREPARE_COMMIT("PrepareCommit"),
    PREPARE_ABORT("PrepareAbort"),
    COMPLETE_COMMIT("CompleteCommit"),
    COMPLETE_ABORT("CompleteAbort"),
    DEAD("Dead"),
    PREPARE_EPOCH_FENCE("PrepareEpochFence");

    private final String kafkaName;

    TransactionState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** The name Kafka's ListTransactions and DescribeTransactions use, e.g. "Ongoing". */
    public String kafkaName() {
        return kafkaName;
    }

    /** The state with Kafka's name, ignoring case; empty for names Kafka does not have. */
    public static Optional<TransactionState> fromKafkaName(String name) {
        for (TransactionState s : values()) {
            if (s.kafkaName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Markers must still be written (after a crash: on start). */
    public boolean isPreparing() {
        return this == PREPARE_COMMIT || this == PREPARE_ABORT;
    }

    public boolean isComplete() {
        return this == COMPLETE_COMMIT || this == COMPLETE_ABORT;
    }
}
