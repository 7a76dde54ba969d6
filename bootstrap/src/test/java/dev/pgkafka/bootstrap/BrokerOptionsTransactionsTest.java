package dev.pgkafka.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The transaction coordinator options: Kafka's defaults, flags, environment variables, and refusals. */
class BrokerOptionsTransactionsTest {

    @Test
    void defaultsAreKafkas() throws Exception {
        BrokerOptions o = BrokerOptions.parse(new String[0], Map.of());
        assertEquals(900_000, o.transactionMaxTimeoutMs());
        assertEquals(604_800_000L, o.transactionalIdExpirationMs());
        assertEquals(10_000L, o.transactionAbortCheckIntervalMs());
        assertEquals(2, o.transactionVersion());
        assertEquals(1, BrokerOptions.parse(new String[] {"--transaction-version", "1"}, Map.of()).transactionVersion());
    }

    @Test
    void flagsAndEnvironmentSetThem() throws Exception {
        BrokerOptions o = BrokerOptions.parse(new String[] {"--transaction-abort-check-interval-ms", "250"},
                Map.of("PGKAFKA_TRANSACTION_MAX_TIMEOUT_MS", "60000", "PGKAFKA_TRANSACTIONAL_ID_EXPIRATION_MS", "3600000"));
        assertEquals(60_000, o.transactionMaxTimeoutMs());
        assertEquals(3_600_000L, o.transactionalIdExpirationMs());
        assertEquals(250L, o.transactionAbortCheckIntervalMs());
        assertEquals("60000", Broker.staticConfigs(o).get("transaction.max.timeout.ms"));
    }

    @Test
    void nonPositiveValuesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.parse(new String[] {"--transaction-max-timeout-ms", "0"}, Map.of()));
        assertTrue(e.getMessage().contains("--transaction-max-timeout-ms"), e.getMessage());
        assertTrue(BrokerOptions.usage().contains("--transaction-abort-check-interval-ms"));
        assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.parse(new String[] {"--transaction-version", "3"}, Map.of()));
    }
}
