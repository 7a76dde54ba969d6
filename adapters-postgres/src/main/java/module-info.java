/**
 * The storage SPI on PostgreSQL. The only module that speaks SQL: jOOQ, JDBC, Flyway and the
 * embedded PostgreSQL stay inside it.
 */
module dev.pgkafka.adapter.postgres {
    requires dev.pgkafka.application;
    requires java.sql;
    requires org.jooq;
    requires flyway.core;
    requires org.postgresql.jdbc;
    requires embedded.postgres;

    exports dev.pgkafka.adapter.postgres;

    opens db.migration;
}
