package dev.pgkafka.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The group coordinator options: Kafka's defaults, flags, environment variables, and refusals. */
class BrokerOptionsGroupsTest {

    @Test
    void defaultsAreKafkas() throws Exception {
        BrokerOptions o = BrokerOptions.parse(new String[0], Map.of());
        assertEquals(3000, o.groupInitialRebalanceDelayMs());
        assertEquals(6000, o.groupMinSessionTimeoutMs());
        assertEquals(1_800_000, o.groupMaxSessionTimeoutMs());
        assertEquals(10_080, o.offsetsRetentionMinutes());
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        BrokerOptions o = BrokerOptions.parse(new String[] {"--group-initial-rebalance-delay-ms", "0",
                "--offsets-retention-minutes=60"}, Map.of("PGKAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "100",
                "PGKAFKA_GROUP_MIN_SESSION_TIMEOUT_MS", "500"));
        assertEquals(0, o.groupInitialRebalanceDelayMs());
        assertEquals(500, o.groupMinSessionTimeoutMs());
        assertEquals(60, o.offsetsRetentionMinutes());
    }

    @Test
    void inconsistentBoundsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerOptions.parse(
                new String[] {"--group-min-session-timeout-ms", "10000", "--group-max-session-timeout-ms", "9000"},
                Map.of()));
        assertTrue(e.getMessage().contains("--group-max-session-timeout-ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.parse(new String[] {"--offsets-retention-minutes", "0"}, Map.of()));
        assertTrue(BrokerOptions.usage().contains("--group-initial-rebalance-delay-ms"));
    }

    @Test
    void consumerGroupSessionsAndHeartbeatsAreKafkasByDefaultAndMustFitTogether() throws Exception {
        BrokerOptions defaults = BrokerOptions.parse(new String[0], Map.of());
        assertEquals(45_000, defaults.groupConsumerSessionTimeoutMs());
        assertEquals(5_000, defaults.groupConsumerHeartbeatIntervalMs());
        BrokerOptions set = BrokerOptions.parse(new String[] {"--group-consumer-heartbeat-interval-ms", "300"},
                Map.of("PGKAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", "6000"));
        assertEquals(6_000, set.groupConsumerSessionTimeoutMs());
        assertEquals(300, set.groupConsumerHeartbeatIntervalMs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BrokerOptions.parse(
                new String[] {"--group-consumer-session-timeout-ms", "3000", "--group-consumer-heartbeat-interval-ms", "3000"},
                Map.of()));
        assertTrue(e.getMessage().contains("--group-consumer-heartbeat-interval-ms"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.parse(new String[] {"--group-consumer-session-timeout-ms", "0"}, Map.of()));
        assertTrue(BrokerOptions.usage().contains("group.consumer.heartbeat.interval.ms"));
    }

    @Test
    void theGroupCountLimitIsAHundredThousandByDefaultAndSetByFlagEnvironmentOrProperty() throws Exception {
        assertEquals(100_000, BrokerOptions.parse(new String[0], Map.of()).groupsMax());
        assertEquals(7, BrokerOptions.parse(new String[] {"--groups-max", "7"}, Map.of("PGKAFKA_GROUPS_MAX", "9"))
                .groupsMax());
        assertEquals(9, BrokerOptions.parse(new String[0], Map.of("PGKAFKA_GROUPS_MAX", "9")).groupsMax());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BrokerOptions.parse(new String[] {"--groups-max", "0"}, Map.of()));
        assertTrue(e.getMessage().contains("groups"), e.getMessage());
        assertTrue(BrokerOptions.usage().contains("pgkafka.groups.max"));
    }
}
