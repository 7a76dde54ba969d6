package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A Node.js client, kafkajs: admin, idempotent gzip producer, a consumer group, and transactions
 * (commit, abort, sendOffsets, a fenced zombie) read back read_committed and read_uncommitted.
 * Needs {@code node} and kafkajs in the directory named by {@code PGKAFKA_NODE_MODULES} (its
 * node_modules); skipped, with the reason, without them. In CI (CI=true) .ci/run installs them and a
 * missing client fails.
 */
class NodeClientSmokeTest extends BrokerTestSupport {

    @Test
    void kafkajsProducesAndConsumesInAGroup() throws Exception {
        String topic = uniqueTopic("kafkajs");
        String output = ExternalClients.node("kafkajs-smoke.js", bootstrap(), topic, "group-" + topic);
        assertTrue(output.contains("created true"), output);
        assertTrue(output.contains("produced 20"), output);
        assertTrue(output.contains("consumed 20"), output);
        assertTrue(output.contains("committed 20"), output);
    }

    @Test
    void kafkajsTransactionsAreReadCommittedAndZombiesFenced() throws Exception {
        String topic = uniqueTopic("kafkajs-txn");
        String output = ExternalClients.node("kafkajs-transactions.js", bootstrap(), topic, "tx-" + topic, "group-" + topic);
        assertTrue(output.contains("zombie fenced INVALID_PRODUCER_EPOCH")
                || output.contains("zombie fenced PRODUCER_FENCED"), output);
        assertTrue(output.contains(
                "read_committed [\"0:committed-1\",\"0:committed-3\",\"1:committed-2\",\"1:committed-4\"]"), output);
        assertTrue(output.contains("read_uncommitted [\"0:aborted-1\",\"0:committed-1\",\"0:committed-3\","
                + "\"1:committed-2\",\"1:committed-4\"]"), output);
        assertTrue(output.contains("group offset 7"), output);
    }
}
