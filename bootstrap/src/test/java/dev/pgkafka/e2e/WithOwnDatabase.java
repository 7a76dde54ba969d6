package dev.pgkafka.e2e;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A test class whose brokers (usually {@link BrokerProcess}es it starts and kills itself) share one
 * database made for the class and dropped after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WithOwnDatabase {
    private String databaseName;
    /** The class's database, for {@code BrokerProcess.start}. */
    protected String jdbcUrl;

    @BeforeAll
    void createDatabase() {
        databaseName = PostgresTestDatabase.server().createDatabase();
        jdbcUrl = PostgresTestDatabase.server().urlOf(databaseName);
    }

    @AfterAll
    void dropDatabase() {
        PostgresTestDatabase.server().dropDatabase(databaseName);
    }
}
