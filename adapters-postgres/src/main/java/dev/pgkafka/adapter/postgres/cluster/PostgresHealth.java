package dev.pgkafka.adapter.postgres.cluster;

import dev.pgkafka.adapter.postgres.jdbc.Availability;
import dev.pgkafka.adapter.postgres.jdbc.Database;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.StorageStatus;

/**
 * Health is a {@code SELECT 1} round trip on a pooled connection (of the background pool), and the
 * outage the availability tracker knows of from the broker's own calls.
 */
public final class PostgresHealth implements StorageHealthPort {
    private final Database db;
    private final Availability availability;
    private final String description;

    public PostgresHealth(Database db, Availability availability, String description) {
        this.db = db;
        this.availability = availability;
        this.description = description;
    }

    @Override
    public void ping() {
        int one = db.autoCommit("ping", (c, sql) -> sql.selectOne().fetchSingle().value1());
        if (one != 1) {
            throw new StorageException("ping answered " + one, null);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public StorageStatus status() {
        return availability.status();
    }
}
