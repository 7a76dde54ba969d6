package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How long a rebalance with three stock consumers takes, join to all partitions owned (heartbeat
 * 300 ms, initial rebalance delay 0). The numbers go to the test output; the bound only catches a
 * coordinator that waits for timeouts instead of completing phases.
 */
class RebalanceTimeTest extends BrokerTestSupport {
    private static final System.Logger LOG = System.getLogger(RebalanceTimeTest.class.getName());

    @Test
    void threeMembersOwnEveryPartitionWithinSecondsOfJoining() throws Exception {
        String topic = uniqueTopic("rebalance-time");
        createTopic(topic, 4);
        List<Long> together = new ArrayList<>();
        List<Long> third = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            together.add(RebalanceTimer.threeMembersStartTogether(bootstrap(), topic, 4, RebalanceTimer.settings(false)));
            third.add(RebalanceTimer.thirdMemberJoins(bootstrap(), topic, 4, RebalanceTimer.settings(false)));
        }
        LOG.log(System.Logger.Level.INFO, "rebalance with 3 members, join to all partitions owned: three start together "
                + together + " ms, a third joins two " + third + " ms");
        assertTrue(RebalanceTimer.median(together) < 10_000, "three members starting together: " + together);
        assertTrue(RebalanceTimer.median(third) < 10_000, "a third member joining: " + third);
    }
}
