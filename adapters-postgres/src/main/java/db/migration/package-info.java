/** Flyway reads the SQL migrations from this package's resources (db/migration). */
package db.migration;
