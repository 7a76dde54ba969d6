package dev.pgkafka.adapter.postgres.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import dev.pgkafka.application.port.out.StorageException;

/**
 * Runs units of SQL work on pooled connections, each in autocommit, in a read-only transaction or
 * in a read-write transaction, and turns SQL failures into {@link StorageException}. A connection
 * always goes back to the pool outside a transaction, or is discarded.
 */
public final class Database implements AutoCloseable {
    // no per-statement logging listener: the hot path runs several statements per produce request
    private static final Settings SETTINGS = new Settings().withExecuteLogging(false);

    private final ConnectionPool pool;

    public Database(ConnectionPool pool) {
        this.pool = pool;
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection, DSLContext sql) throws SQLException;
    }

    /** jOOQ over one connection; cheap to make. */
    public static DSLContext dsl(Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
    }

    /** Runs single statements, each committed on its own. */
    public <T> T autoCommit(String what, SqlWork<T> work) {
        try (ConnectionPool.Lease lease = pool.borrow()) {
            try {
                return work.run(lease.connection(), dsl(lease.connection()));
            } catch (SQLException | DataAccessException e) {
                throw failed(what, lease, e);
            }
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs the work in one read-write transaction, committed when it returns, rolled back when it throws. */
    public <T> T transaction(String what, SqlWork<T> work) {
        return inTransaction(what, false, work);
    }

    /** Runs the work in one read-only transaction (needed for cursors, i.e. fetch sizes). */
    public <T> T readOnly(String what, SqlWork<T> work) {
        return inTransaction(what, true, work);
    }

    private <T> T inTransaction(String what, boolean readOnly, SqlWork<T> work) {
        try (ConnectionPool.Lease lease = pool.borrow()) {
            Connection c = lease.connection();
            try {
                c.setAutoCommit(false);
                if (readOnly) {
                    c.setReadOnly(true);
                }
            } catch (SQLException e) {
                throw failed(what, lease, e);
            }
            boolean committed = false;
            try {
                T result = work.run(c, dsl(c));
                c.commit();
                committed = true;
                return result;
            } catch (SQLException | DataAccessException e) {
                throw failed(what, lease, e);
            } finally {
                if (!committed) {
                    rollback(c, lease);
                }
                restore(c, lease, readOnly);
            }
        } catch (SQLException e) {
            throw new StorageException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection c, ConnectionPool.Lease lease) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // cannot tell what state the session is in: do not reuse it
            lease.discard();
        }
    }

    private static void restore(Connection c, ConnectionPool.Lease lease, boolean readOnly) {
        try {
            if (readOnly) {
                c.setReadOnly(false);
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            lease.discard();
        }
    }

    private static StorageException failed(String what, ConnectionPool.Lease lease, Exception e) {
        SQLException sql = e instanceof SQLException s ? s
                : e.getCause() instanceof SQLException s ? s : null;
        if (sql == null || ConnectionPool.isConnectionFailure(sql)) {
            lease.discard();
        }
        return new StorageException(what + " failed: " + describe(e), e);
    }

    /** The database's own message and SQL state, without the statement text jOOQ adds. */
    public static String describe(Exception e) {
        SQLException sql = e instanceof SQLException s ? s : e.getCause() instanceof SQLException s ? s : null;
        return sql != null ? sql.getMessage() + " [SQLState " + sql.getSQLState() + "]" : String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        pool.close();
    }
}
