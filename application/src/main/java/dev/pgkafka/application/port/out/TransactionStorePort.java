package dev.pgkafka.application.port.out;

import java.util.List;

import dev.pgkafka.domain.txn.TransactionMetadata;

/**
 * The transaction coordinator's state per transactional id (Kafka's {@code __transaction_state}).
 * State changes that go with markers are stored by {@link AppendTransaction#saveTransaction} in the
 * markers' storage transaction; the others here.
 */
public interface TransactionStorePort {

    /** Every transactional id's state, as last stored (on start). */
    List<TransactionMetadata> loadAll();

    /** Stores the state, replacing the id's earlier one (partitions and groups included). */
    void save(TransactionMetadata metadata);

    /** Forgets an expired transactional id. */
    void delete(String transactionalId);
}
