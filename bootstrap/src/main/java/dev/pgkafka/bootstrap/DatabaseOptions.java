package dev.pgkafka.bootstrap;

import java.time.Duration;

import dev.pgkafka.adapter.postgres.DatabaseSettings;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.DatabaseKeys;
import dev.pgkafka.bootstrap.config.ServerProperties;

/**
 * The PostgreSQL adapter's settings from {@code --database-pool-size} and the {@code pgkafka.database.*}
 * keys ({@link DatabaseKeys}): the pool size is the total, split between the data path, the coordinators
 * and background work unless the keys size the latter two (the data path gets the rest, at least one).
 */
final class DatabaseOptions {
    private DatabaseOptions() {
    }

    static DatabaseSettings settings(BrokerOptions options) {
        ServerProperties p = options.properties();
        DatabaseSettings split = DatabaseSettings.forPoolSize(options.databasePoolSize());
        int coordinators = p.integer(DatabaseKeys.COORDINATORS_POOL_SIZE, String.valueOf(split.coordinatorPoolSize()), 1);
        int background = p.integer(DatabaseKeys.BACKGROUND_POOL_SIZE, String.valueOf(split.backgroundPoolSize()), 1);
        int data = Math.max(1, options.databasePoolSize() - coordinators - background);
        try {
            return split.withPools(data, coordinators, background)
                    .withTcpKeepAlive(p.bool(DatabaseKeys.TCP_KEEPALIVE, "true"))
                    .withTimeouts(
                            millis(p, DatabaseKeys.CONNECT_TIMEOUT_MS, "5000", 1),
                            millis(p, DatabaseKeys.SOCKET_TIMEOUT_MS, "15000", 0),
                            millis(p, DatabaseKeys.STATEMENT_TIMEOUT_MS, "10000", 0),
                            millis(p, DatabaseKeys.BACKGROUND_STATEMENT_TIMEOUT_MS, "600000", 0),
                            millis(p, DatabaseKeys.IDLE_IN_TRANSACTION_TIMEOUT_MS, "30000", 0),
                            millis(p, DatabaseKeys.BORROW_TIMEOUT_MS, "10000", 1));
        } catch (IllegalArgumentException e) {
            if (e instanceof ConfigException c) {
                throw c;
            }
            throw new ConfigException("Invalid configuration " + DatabaseKeys.STATEMENT_TIMEOUT_MS + " / "
                    + DatabaseKeys.SOCKET_TIMEOUT_MS + ": " + e.getMessage());
        }
    }

    private static Duration millis(ServerProperties p, String key, String defaultValue, long min) {
        return Duration.ofMillis(p.longValue(key, defaultValue, min));
    }
}
