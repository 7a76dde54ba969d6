/**
 * The storage SPI on PostgreSQL. The only module that speaks SQL: jOOQ, JDBC, Flyway and the
 * embedded PostgreSQL stay inside it. {@link dev.pgkafka.adapter.postgres.PostgresStorage} is the
 * way in; everything else is internal.
 */
module dev.pgkafka.adapter.postgres {
    // PostgresStorage hands out the application's port types
    requires transitive dev.pgkafka.application;
    requires java.sql;
    // PGSimpleDataSource is Referenceable (JNDI)
    requires java.naming;
    requires org.jooq;
    requires flyway.core;
    // Flyway finds its PostgreSQL support through ServiceLoader: it must be in the module graph
    requires flyway.database.postgresql;
    requires org.postgresql.jdbc;
    requires embedded.postgres;

    exports dev.pgkafka.adapter.postgres;

    opens db.migration;
    // jOOQ instantiates generated records reflectively
    opens dev.pgkafka.adapter.postgres.schema.tables.records to org.jooq;
}
