package dev.pgkafka.adapter.postgres;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.application.contract.ClientQuotaStoreContract;
import dev.pgkafka.application.contract.StorageUnderTest;

/** The storage contract kit against a real PostgreSQL database. */
class PostgresClientQuotaStoreTest extends ClientQuotaStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    @Override
    protected StorageUnderTest createStorage() {
        return PostgresContractSupport.open(DB.jdbcUrl());
    }

    @Override
    protected StorageUnderTest reopenStorage() {
        return PostgresContractSupport.open(DB.jdbcUrl());
    }
}
