package dev.pgkafka.adapter.postgres;

import java.time.Duration;

/**
 * How the broker talks to PostgreSQL: timeouts that end every wait on a silent or dead server within
 * seconds, and three connection pools (bulkheads) so that one kind of work can never take the
 * connections another needs. A parameter of the same name in the JDBC URL ({@code connectTimeout},
 * {@code socketTimeout}, {@code tcpKeepAlive}, {@code statement_timeout} in {@code options}) wins over
 * these.
 *
 * @param connectTimeout                  how long opening a TCP connection may take (pgjdbc {@code connectTimeout})
 * @param socketTimeout                   how long a connection may stay silent while the broker waits for an
 *                                        answer (pgjdbc {@code socketTimeout}), logins included; it ends reads on a
 *                                        black-holed connection. Longer than the statement timeout, so a slow
 *                                        statement is cancelled by the server (the connection survives) before
 *                                        the connection is given up. Zero: no limit
 * @param tcpKeepAlive                    TCP keepalive probes on idle connections (pgjdbc {@code tcpKeepAlive})
 * @param statementTimeout                PostgreSQL's {@code statement_timeout} on the data and coordinator pools
 * @param backgroundStatementTimeout      {@code statement_timeout} on the background pool (log cleaner passes and
 *                                        VACUUM run longer); its connections may stay silent this long plus
 *                                        {@code socketTimeout}
 * @param idleInTransactionSessionTimeout PostgreSQL's {@code idle_in_transaction_session_timeout}: a broker that
 *                                        froze inside a transaction loses it (and its row locks) this long after
 * @param borrowTimeout                   how long a call waits for a free connection of its pool
 * @param dataPoolSize                    connections for produce and fetch
 * @param coordinatorPoolSize             connections for groups, offsets, transactions, producer ids, topic and
 *                                        config changes, SCRAM logins
 * @param backgroundPoolSize              connections for the log cleaner, the HTTP admin API, ACL polling and the
 *                                        readiness probe
 */
public record DatabaseSettings(
        Duration connectTimeout,
        Duration socketTimeout,
        boolean tcpKeepAlive,
        Duration statementTimeout,
        Duration backgroundStatementTimeout,
        Duration idleInTransactionSessionTimeout,
        Duration borrowTimeout,
        int dataPoolSize,
        int coordinatorPoolSize,
        int backgroundPoolSize) {

    /** A pool of 16 connections split 10 / 4 / 2, and the timeouts the README documents. */
    public static final DatabaseSettings DEFAULTS = forPoolSize(16);

    public DatabaseSettings {
        for (Duration d : new Duration[] {connectTimeout, socketTimeout, statementTimeout, backgroundStatementTimeout,
                idleInTransactionSessionTimeout, borrowTimeout}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("a timeout cannot be negative: " + d);
            }
        }
        if (!socketTimeout.isZero() && (statementTimeout.isZero() || statementTimeout.compareTo(socketTimeout) >= 0)) {
            throw new IllegalArgumentException("the statement timeout (" + statementTimeout.toMillis()
                    + " ms) must be shorter than the socket timeout (" + socketTimeout.toMillis()
                    + " ms): a slow statement must be cancelled by PostgreSQL before its connection is given up");
        }
        if (dataPoolSize < 1 || coordinatorPoolSize < 1 || backgroundPoolSize < 1) {
            throw new IllegalArgumentException("every pool needs at least one connection: data " + dataPoolSize
                    + ", coordinators " + coordinatorPoolSize + ", background " + backgroundPoolSize);
        }
    }

    /**
     * The default timeouts with {@code total} connections split between the pools: an eighth for
     * background work and a quarter for the coordinators (at least one each), the rest (at least
     * one) for the data path.
     */
    public static DatabaseSettings forPoolSize(int total) {
        int background = Math.max(1, total / 8);
        int coordinators = Math.max(1, total / 4);
        int data = Math.max(1, total - background - coordinators);
        return new DatabaseSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), true, Duration.ofSeconds(10),
                Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(10), data, coordinators, background);
    }

    /** These settings with other pool sizes. */
    public DatabaseSettings withPools(int data, int coordinators, int background) {
        return new DatabaseSettings(connectTimeout, socketTimeout, tcpKeepAlive, statementTimeout,
                backgroundStatementTimeout, idleInTransactionSessionTimeout, borrowTimeout, data, coordinators, background);
    }

    /** These settings with other timeouts. */
    public DatabaseSettings withTimeouts(Duration connect, Duration socket, Duration statement, Duration backgroundStatement,
                                         Duration idleInTransaction, Duration borrow) {
        return new DatabaseSettings(connect, socket, tcpKeepAlive, statement, backgroundStatement, idleInTransaction, borrow,
                dataPoolSize, coordinatorPoolSize, backgroundPoolSize);
    }

    /** These settings with TCP keepalive on or off. */
    public DatabaseSettings withTcpKeepAlive(boolean on) {
        return new DatabaseSettings(connectTimeout, socketTimeout, on, statementTimeout, backgroundStatementTimeout,
                idleInTransactionSessionTimeout, borrowTimeout, dataPoolSize, coordinatorPoolSize, backgroundPoolSize);
    }

    /** All connections the three pools may open together. */
    public int totalConnections() {
        return dataPoolSize + coordinatorPoolSize + backgroundPoolSize;
    }
}
