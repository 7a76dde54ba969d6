package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * How long a consumer group (KIP-848) takes from a member's join to being fully reconciled, with a
 * 300 ms heartbeat interval; the numbers go to the test output (and README/ADR 10). With
 * {@code -Dpgkafka.measure.bootstrap=host:port} the same measurement runs against that broker instead,
 * e.g. Kafka itself.
 */
class ConsumerProtocolReconciliationTimeTest extends BrokerTestSupport {
    private static final System.Logger LOG = System.getLogger(ConsumerProtocolReconciliationTimeTest.class.getName());

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withConsumerGroups(6_000, 300);
    }

    @Test
    void aJoiningMemberIsReconciledWithinAFewHeartbeats() throws Exception {
        String topic = uniqueTopic("reconcile");
        createTopic(topic, ReconciliationTimer.PARTITIONS);
        List<Long> second = new java.util.ArrayList<>();
        List<Long> third = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            second.add(ReconciliationTimer.join(bootstrap(), topic, 1));
            third.add(ReconciliationTimer.join(bootstrap(), topic, 2));
        }
        LOG.log(System.Logger.Level.INFO, "consumer group join to fully reconciled, heartbeat 300 ms: 1->2 members "
                + second + " ms, 2->3 members " + third + " ms");
        // a join takes the newcomer's heartbeat, the owners' next heartbeat (revoke), their acknowledgement and the
        // newcomer's next heartbeat: a few intervals, never a session timeout
        assertTrue(RebalanceTimer.median(second) < 3_000, "1->2: " + second);
        assertTrue(RebalanceTimer.median(third) < 3_000, "2->3: " + third);
    }

    @Test
    @EnabledIfSystemProperty(named = "pgkafka.measure.bootstrap", matches = ".+",
            disabledReason = "a measuring tool, not a test: it times another broker (e.g. the reference Kafka) "
                    + "when -Dpgkafka.measure.bootstrap=host:port names one")
    void measureAnotherBroker() throws Exception {
        String summary = ReconciliationTimer.measure(System.getProperty("pgkafka.measure.bootstrap"),
                Integer.getInteger("pgkafka.measure.rounds", 5));
        LOG.log(System.Logger.Level.INFO, "consumer group join to fully reconciled against " + summary);
        System.out.println("MEASURED " + summary);
    }
}
