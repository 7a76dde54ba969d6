package dev.pgkafka.adapter.postgres.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;

/**
 * Runs units of SQL work on pooled connections, each in autocommit, in a read-only transaction or
 * in a read-write transaction, and turns SQL failures into {@link StorageException}: those that pass
 * by themselves (PostgreSQL unreachable or restarting, out of disk space, read-only, a statement
 * timeout) into {@link StorageUnavailableException}, which the driving adapters answer as retriable.
 * A connection always goes back to the pool outside a transaction, or is discarded.
 *
 * <p>Each store runs on the pool of its bulkhead (data path, coordinators, background work); work a
 * thread does inside {@link #asBackgroundWork} runs on the background pool whatever store it uses, so
 * the HTTP admin API cannot take the connections producers need.
 */
public final class Database implements AutoCloseable {
    // no per-statement logging listener: the hot path runs several statements per produce request
    private static final Settings SETTINGS = new Settings().withExecuteLogging(false);
    private static final ThreadLocal<Boolean> BACKGROUND_WORK = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final ConnectionPool pool;
    private final ConnectionPool backgroundPool;
    private final Availability availability;

    /** One pool on its own, nothing tracked (tests). */
    public Database(ConnectionPool pool) {
        this(pool, pool, Availability.untracked());
    }

    /**
     * @param pool           where this database's work runs
     * @param backgroundPool where it runs inside {@link #asBackgroundWork}
     * @param availability   told of every failure and success, and asked before every call
     */
    public Database(ConnectionPool pool, ConnectionPool backgroundPool, Availability availability) {
        this.pool = pool;
        this.backgroundPool = backgroundPool;
        this.availability = availability;
    }

    /** Runs {@code work} with every database call of this thread on the background pool. */
    public static <T> T asBackgroundWork(Supplier<T> work) {
        if (BACKGROUND_WORK.get()) {
            return work.get();
        }
        BACKGROUND_WORK.set(Boolean.TRUE);
        try {
            return work.get();
        } finally {
            BACKGROUND_WORK.remove();
        }
    }

    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection, DSLContext sql) throws SQLException;
    }

    /** jOOQ over one connection; cheap to make. */
    public static DSLContext dsl(Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES, SETTINGS);
    }

    private ConnectionPool pool() {
        return BACKGROUND_WORK.get() ? backgroundPool : pool;
    }

    /** Runs single statements, each committed on its own. */
    public <T> T autoCommit(String what, SqlWork<T> work) {
        availability.checkReachable(what);
        ConnectionPool pool = pool();
        try (ConnectionPool.Lease lease = pool.borrow()) {
            try {
                T result = work.run(lease.connection(), dsl(lease.connection()));
                availability.succeeded();
                return result;
            } catch (SQLException | DataAccessException e) {
                throw failed(what, pool, lease, e);
            } catch (StorageException e) {
                throw reclassified(e, pool, lease);
            }
        } catch (SQLException e) {
            throw failed(what, pool, null, e);
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
        availability.checkReachable(what);
        ConnectionPool pool = pool();
        try (ConnectionPool.Lease lease = pool.borrow()) {
            Connection c = lease.connection();
            try {
                c.setAutoCommit(false);
                if (readOnly) {
                    c.setReadOnly(true);
                }
            } catch (SQLException e) {
                throw failed(what, pool, lease, e);
            }
            boolean committed = false;
            try {
                T result = work.run(c, dsl(c));
                c.commit();
                committed = true;
                availability.succeeded();
                if (!readOnly) {
                    availability.writeSucceeded(pool.name());
                }
                return result;
            } catch (SQLException | DataAccessException e) {
                throw failed(what, pool, lease, e);
            } catch (StorageException e) {
                throw reclassified(e, pool, lease);
            } finally {
                if (!committed) {
                    rollback(c, lease);
                }
                restore(c, lease, readOnly);
            }
        } catch (SQLException e) {
            throw failed(what, pool, null, e);
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

    /**
     * The storage exception for a failed call; the connection is discarded when the failure was the
     * connection's. Failures that pass by themselves are told to the availability tracker.
     *
     * @param lease null when no connection was borrowed (the borrow itself failed)
     */
    private StorageException failed(String what, ConnectionPool pool, ConnectionPool.Lease lease, Exception e) {
        return classified(what, describe(e), pool, lease, e, sqlException(e));
    }

    /**
     * A storage exception the work made itself of an SQL failure (the append transaction translates
     * jOOQ's exceptions as they happen): classified the same way, its message kept.
     */
    private StorageException reclassified(StorageException e, ConnectionPool pool, ConnectionPool.Lease lease) {
        SQLException sql = e instanceof StorageUnavailableException || !(e.getCause() instanceof Exception cause)
                ? null : sqlException(cause);
        if (sql == null) {
            return e;
        }
        String message = e.getMessage();
        int failedAt = message == null ? -1 : message.indexOf(" failed: ");
        return failedAt < 0 ? classified("the call", String.valueOf(message), pool, lease, e, sql)
                : classified(message.substring(0, failedAt), message.substring(failedAt + " failed: ".length()), pool,
                        lease, e, sql);
    }

    private StorageException classified(String what, String detail, ConnectionPool pool, ConnectionPool.Lease lease,
                                        Exception e, SQLException sql) {
        if (lease != null && (sql == null || ConnectionPool.isConnectionFailure(sql))) {
            lease.discard();
        }
        if (sql == null) {
            return new StorageException(what + " failed: " + detail, e);
        }
        if (ConnectionPool.isConnectionFailure(sql)) {
            return availability.connectionFailed(what, detail, e);
        }
        Reason reason = unavailability(sql);
        if (reason == Reason.READ_ONLY && lease != null) {
            // a standby (after a failover, or DNS still naming the old primary): the next connection may
            // reach the primary, this one never will
            lease.discard();
        }
        if (reason == Reason.DISK_FULL || reason == Reason.READ_ONLY) {
            return availability.writeFailed(pool.name(), reason, what, detail, e);
        }
        if (reason != null) {
            return new StorageUnavailableException(reason, what + " failed: " + detail, e);
        }
        return new StorageException(what + " failed: " + detail, e);
    }

    /**
     * Why a failure that is not the connection's passes by itself, or null when it does not:
     * {@code 53100} disk full, {@code 25006} a read-only server, {@code 53200} out of memory and
     * {@code 53300} too many connections (insufficient resources), {@code 57014} a statement timeout,
     * {@code 55P03} a lock not available in time.
     */
    static Reason unavailability(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                switch (s.getSQLState()) {
                    case "53100":
                        return Reason.DISK_FULL;
                    case "25006":
                        return Reason.READ_ONLY;
                    case "53200", "53300":
                        return Reason.OVERLOADED;
                    case "57014", "55P03":
                        return Reason.TIMED_OUT;
                    default:
                        break;
                }
            }
        }
        return null;
    }

    private static SQLException sqlException(Exception e) {
        return e instanceof SQLException s ? s : e.getCause() instanceof SQLException s ? s : null;
    }

    /**
     * The database's own message and SQL state, without the statement text jOOQ adds, on one line (the
     * server's hint and context lines joined) so that a log line stays one line.
     */
    public static String describe(Exception e) {
        SQLException sql = sqlException(e);
        String message = sql != null ? sql.getMessage() + " [SQLState " + sql.getSQLState() + "]" : String.valueOf(e.getMessage());
        return message.replaceAll("\\s*\\R\\s*", " ");
    }

    @Override
    public void close() {
        pool.close();
    }
}
