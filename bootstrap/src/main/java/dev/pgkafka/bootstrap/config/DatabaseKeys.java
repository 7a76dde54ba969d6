package dev.pgkafka.bootstrap.config;

import java.util.List;

/**
 * Our keys for how the broker talks to PostgreSQL beyond the URL and the pool size: timeouts and the
 * split of the pool between the data path, the coordinators and background work. A parameter of the
 * same meaning in the JDBC URL ({@code connectTimeout}, {@code socketTimeout}, {@code tcpKeepAlive},
 * {@code options=-c statement_timeout=...}) wins over the key.
 */
public final class DatabaseKeys {
    public static final String CONNECT_TIMEOUT_MS = "pgkafka.database.connect.timeout.ms";
    public static final String SOCKET_TIMEOUT_MS = "pgkafka.database.socket.timeout.ms";
    public static final String TCP_KEEPALIVE = "pgkafka.database.tcp.keepalive";
    public static final String STATEMENT_TIMEOUT_MS = "pgkafka.database.statement.timeout.ms";
    public static final String BACKGROUND_STATEMENT_TIMEOUT_MS = "pgkafka.database.background.statement.timeout.ms";
    public static final String IDLE_IN_TRANSACTION_TIMEOUT_MS = "pgkafka.database.idle.in.transaction.session.timeout.ms";
    public static final String BORROW_TIMEOUT_MS = "pgkafka.database.pool.borrow.timeout.ms";
    public static final String COORDINATORS_POOL_SIZE = "pgkafka.database.pool.coordinators.size";
    public static final String BACKGROUND_POOL_SIZE = "pgkafka.database.pool.background.size";

    /** A key, its default (null: computed from the pool size) and what it does, for --help and the README. */
    public record Key(String key, String defaultValue, String description) {
    }

    public static final List<Key> KEYS = List.of(
            new Key(CONNECT_TIMEOUT_MS, "5000", "how long opening a connection to PostgreSQL may take (whole seconds)"),
            new Key(SOCKET_TIMEOUT_MS, "15000", "how long a connection may stay silent while an answer is awaited, "
                    + "logins included (whole seconds); then the connection is given up; 0: no limit"),
            new Key(TCP_KEEPALIVE, "true", "TCP keepalive probes on connections to PostgreSQL"),
            new Key(STATEMENT_TIMEOUT_MS, "10000", "PostgreSQL's statement_timeout for produce, fetch and the "
                    + "coordinators; must be below the socket timeout"),
            new Key(BACKGROUND_STATEMENT_TIMEOUT_MS, "600000", "statement_timeout for the log cleaner, VACUUM and the "
                    + "HTTP admin API"),
            new Key(IDLE_IN_TRANSACTION_TIMEOUT_MS, "30000", "PostgreSQL's idle_in_transaction_session_timeout: a broker "
                    + "stuck inside a transaction loses it and its locks"),
            new Key(BORROW_TIMEOUT_MS, "10000", "how long a request waits for a free connection of its pool"),
            new Key(COORDINATORS_POOL_SIZE, null, "connections of the coordinators' pool (groups, offsets, transactions, "
                    + "topic and config changes, logins); default a quarter of pgkafka.database.pool.size"),
            new Key(BACKGROUND_POOL_SIZE, null, "connections of the background pool (log cleaner, HTTP admin API, ACL "
                    + "polling, readiness); default an eighth of pgkafka.database.pool.size"));

    private DatabaseKeys() {
    }

    static boolean isKnown(String key) {
        return KEYS.stream().anyMatch(k -> k.key().equals(key));
    }
}
