package dev.pgkafka.adapter.postgres.producer;

import static dev.pgkafka.adapter.postgres.schema.Sequences.PRODUCER_IDS;

import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.ProducerIdPort;

/** Producer ids from the sequence {@code kafka.producer_ids}: unique and increasing across brokers and restarts. */
public final class PostgresProducerIds implements ProducerIdPort {
    private final Database db;

    public PostgresProducerIds(Database db) {
        this.db = db;
    }

    @Override
    public long nextProducerId() {
        return db.autoCommit("allocate a producer id", (c, sql) -> sql.nextval(PRODUCER_IDS));
    }
}
