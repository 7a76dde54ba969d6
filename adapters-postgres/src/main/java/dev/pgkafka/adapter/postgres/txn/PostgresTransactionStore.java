package dev.pgkafka.adapter.postgres.txn;

import static dev.pgkafka.adapter.postgres.schema.Tables.TRANSACTIONS;

import java.util.List;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.adapter.postgres.topic.TopicKeys;
import dev.pgkafka.application.port.out.TransactionStorePort;
import dev.pgkafka.domain.txn.TransactionMetadata;

/** Transaction coordinator state in {@code kafka.transactions} and {@code kafka.transaction_partitions}. */
public final class PostgresTransactionStore implements TransactionStorePort {
    private final Database db;
    private final TopicKeys topicKeys;

    public PostgresTransactionStore(Database db, TopicKeys topicKeys) {
        this.db = db;
        this.topicKeys = topicKeys;
    }

    @Override
    public List<TransactionMetadata> loadAll() {
        return db.readOnly("load transactions", (c, sql) -> TransactionRows.loadAll(sql));
    }

    @Override
    public void save(TransactionMetadata metadata) {
        db.transaction("save transaction " + metadata.transactionalId(), (c, sql) -> {
            TransactionRows.save(sql, topicKeys, metadata);
            return null;
        });
    }

    @Override
    public void delete(String transactionalId) {
        db.transaction("delete transaction " + transactionalId, (c, sql) ->
                sql.deleteFrom(TRANSACTIONS).where(TRANSACTIONS.TRANSACTIONAL_ID.eq(transactionalId)).execute());
    }
}
