package dev.pgkafka.adapter.postgres.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

/**
 * A small bounded pool of JDBC connections. Borrowing blocks (a virtual thread parks) until a
 * connection is free or the timeout passes; connections that failed at the connection level are
 * discarded instead of returned; connections idle for a while, or idle when another connection
 * failed ({@link #validateIdleConnections()}), are validated before reuse. New connections are
 * prepared once ({@link ConnectionSetup}: session timeouts). Deliberately minimal: see
 * docs/adr/0006-own-connection-pool.md and docs/adr/0017-postgresql-faults.md.
 */
public final class ConnectionPool implements AutoCloseable {
    private static final long VALIDATE_AFTER_IDLE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A live server answers an empty query in milliseconds; a silent one must not hold a borrow for long. */
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    /** SQLState of a borrow that timed out: the pool is exhausted (its connections hang or are all busy). */
    public static final String BORROW_TIMEOUT_STATE = "08001";

    /** Prepares a connection the pool has just opened, before its first use. */
    @FunctionalInterface
    public interface ConnectionSetup {
        ConnectionSetup NONE = c -> { };

        void prepare(Connection connection) throws SQLException;
    }

    private final String name;
    private final DataSource dataSource;
    private final int maxConnections;
    private final Duration borrowTimeout;
    private final ConnectionSetup setup;
    private final Semaphore permits;
    // LIFO: the most recently used connection has the warmest statement cache.
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();
    /**
     * Calls holding one of the pool's permits (connecting, validating, or with a connection on loan), to
     * see how long the oldest has waited: a hang on a silent server shows there.
     */
    private final Set<Call> busy = ConcurrentHashMap.newKeySet();
    /** Idle connections that went idle before this moment (System.nanoTime) are validated before reuse. */
    private volatile long validateIdleBefore;
    private volatile boolean closed;

    public ConnectionPool(DataSource dataSource, int maxConnections, Duration borrowTimeout) {
        this("database", dataSource, maxConnections, borrowTimeout, ConnectionSetup.NONE);
    }

    /**
     * @param name  what the pool is for, in messages ("data", "coordinators", "background")
     * @param setup runs once on every connection the pool opens
     */
    public ConnectionPool(String name, DataSource dataSource, int maxConnections, Duration borrowTimeout,
                          ConnectionSetup setup) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("a pool needs at least one connection, was " + maxConnections);
        }
        this.name = name;
        this.dataSource = dataSource;
        this.maxConnections = maxConnections;
        this.borrowTimeout = borrowTimeout;
        this.setup = setup;
        this.permits = new Semaphore(maxConnections, true);
        this.validateIdleBefore = System.nanoTime();
    }

    /** What the pool is for. */
    public String name() {
        return name;
    }

    /** The most connections it opens. */
    public int maxConnections() {
        return maxConnections;
    }

    /** A connection for the caller alone until the lease is closed. */
    public Lease borrow() throws SQLException {
        if (closed) {
            throw new SQLException("the connection pool is closed", "08003");
        }
        try {
            if (!permits.tryAcquire(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SQLException("no database connection free within " + borrowTimeout.toMillis() + " ms ("
                        + name + " pool of " + maxConnections + ")", BORROW_TIMEOUT_STATE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a database connection", "08001", e);
        }
        Call call = new Call(System.nanoTime());
        busy.add(call);
        try {
            return new Lease(takeIdleOrConnect(), call);
        } catch (SQLException | RuntimeException e) {
            busy.remove(call);
            permits.release();
            throw e;
        }
    }

    private Connection takeIdleOrConnect() throws SQLException {
        Idle candidate;
        while ((candidate = idle.pollFirst()) != null) {
            long now = System.nanoTime();
            boolean trusted = now - candidate.since < VALIDATE_AFTER_IDLE_NANOS && candidate.since - validateIdleBefore > 0;
            if (trusted || isValid(candidate.connection)) {
                return candidate.connection;
            }
            closeQuietly(candidate.connection);
        }
        Connection fresh = dataSource.getConnection();
        try {
            setup.prepare(fresh);
            return fresh;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(fresh);
            throw e;
        }
    }

    /**
     * Has every connection idle now validated before its next use. Called when another connection
     * failed: after a server restart or {@code pg_terminate_backend} the idle ones are dead too, and a
     * round trip each is cheaper than failing a request each.
     */
    public void validateIdleConnections() {
        validateIdleBefore = System.nanoTime();
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(VALIDATION_TIMEOUT_SECONDS);
        } catch (SQLException e) {
            return false;
        }
    }

    private void giveBack(Connection connection, boolean broken) {
        try {
            if (broken || closed || connection.isClosed()) {
                closeQuietly(connection);
            } else {
                idle.addFirst(new Idle(connection, System.nanoTime()));
                if (closed) {
                    // close() ran while we were returning: do not leak this one
                    closeIdle();
                }
            }
        } catch (SQLException e) {
            closeQuietly(connection);
        } finally {
            permits.release();
        }
    }

    /**
     * The call that has held a permit longest (to connect, validate, or use a connection) and still
     * does, or null: one that waits for PostgreSQL much longer than usual may be waiting on a server that
     * went silent.
     */
    public Call oldestCall() {
        Call oldest = null;
        for (Call c : busy) {
            if (oldest == null || c.since() - oldest.since() < 0) {
                oldest = c;
            }
        }
        return oldest;
    }

    /** A call that holds a permit of the pool since {@code since} (System.nanoTime); compared by identity. */
    public static final class Call {
        private final long since;

        private Call(long since) {
            this.since = since;
        }

        public long since() {
            return since;
        }
    }

    /** Connections currently open and idle (for tests and metrics). */
    public int idleCount() {
        return idle.size();
    }

    /** Closes the idle connections now and borrowed ones when they are returned. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    private void closeIdle() {
        Idle i;
        while ((i = idle.pollFirst()) != null) {
            closeQuietly(i.connection);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // the connection is gone either way
        }
    }

    /**
     * True when the failure means the connection itself is unusable: SQLState class 08
     * (connection exception) or an administrator or crash shutdown of the server.
     */
    public static boolean isConnectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                String state = s.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private record Idle(Connection connection, long since) {
    }

    /** A borrowed connection; close it to give it back. */
    public final class Lease implements AutoCloseable {
        private final Connection connection;
        private final Call call;
        private boolean broken;
        private boolean returned;

        private Lease(Connection connection, Call call) {
            this.connection = connection;
            this.call = call;
        }

        public Connection connection() {
            return connection;
        }

        /** The connection must not be reused: it is closed instead of returned. */
        public void discard() {
            broken = true;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                busy.remove(call);
                giveBack(connection, broken);
            }
        }
    }
}
