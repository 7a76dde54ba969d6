package dev.pgkafka.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.postgres.DatabaseSettings;
import dev.pgkafka.bootstrap.config.ConfigLoader;

/** The database timeouts and pools: safe defaults, the pool size split between the bulkheads, our keys, refusals. */
class BrokerOptionsDatabaseTest {

    @Test
    void defaultsEndEveryWaitWithinSecondsAndSplitSixteenConnections() throws Exception {
        DatabaseSettings s = DatabaseOptions.settings(BrokerOptions.parse(new String[0], Map.of()));
        assertEquals(Duration.ofSeconds(5), s.connectTimeout());
        assertEquals(Duration.ofSeconds(15), s.socketTimeout());
        assertEquals(Duration.ofSeconds(10), s.statementTimeout());
        assertEquals(Duration.ofMinutes(10), s.backgroundStatementTimeout());
        assertEquals(Duration.ofSeconds(30), s.idleInTransactionSessionTimeout());
        assertEquals(Duration.ofSeconds(10), s.borrowTimeout());
        assertTrue(s.tcpKeepAlive());
        assertEquals(10, s.dataPoolSize());
        assertEquals(4, s.coordinatorPoolSize());
        assertEquals(2, s.backgroundPoolSize());
    }

    @Test
    void thePoolSizeIsSplitAndTheKeysSizeThePoolsAndTimeouts() throws Exception {
        DatabaseSettings s = DatabaseOptions.settings(BrokerOptions.parse(new String[] {"--database-pool-size", "32",
                "--override", "pgkafka.database.pool.background.size=1",
                "--override", "pgkafka.database.statement.timeout.ms=4000",
                "--override", "pgkafka.database.socket.timeout.ms=6000",
                "--override", "pgkafka.database.tcp.keepalive=false"}, Map.of()));
        assertEquals(8, s.coordinatorPoolSize());
        assertEquals(1, s.backgroundPoolSize());
        assertEquals(23, s.dataPoolSize(), "the data path gets the rest");
        assertEquals(Duration.ofSeconds(4), s.statementTimeout());
        assertEquals(Duration.ofSeconds(6), s.socketTimeout());
        assertFalse(s.tcpKeepAlive());
        DatabaseSettings tiny = DatabaseOptions.settings(BrokerOptions.parse(new String[] {"--database-pool-size", "2"},
                Map.of()));
        assertEquals(3, tiny.totalConnections(), "every pool has at least one connection");
    }

    @Test
    void aStatementTimeoutThatOutlastsTheSocketTimeoutStopsTheStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerOptions.parse(new String[] {
                "--override", "pgkafka.database.statement.timeout.ms=20000"}, Map.of()));
        assertTrue(e.getMessage().contains("pgkafka.database.statement.timeout.ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BrokerOptions.parse(new String[] {
                "--override", "pgkafka.database.connect.timeout.ms=abc"}, Map.of()));
    }

    @Test
    void theKeysAreKnown() throws Exception {
        ConfigLoader.Loaded loaded = ConfigLoader.load(new String[] {"--override", "pgkafka.database.socket.timeout.ms=20000",
                "--override", "pgkafka.database.pool.coordinators.size=3"}, Map.of());
        assertEquals(0, loaded.unknownKeys().size(), loaded.unknownKeys().toString());
    }
}
