package dev.pgkafka.e2e;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.TopicPartition;

/**
 * Who owns which partition, as the consumers' rebalance callbacks tell it. A consumer must give a
 * partition up (onPartitionsRevoked) before another one is given it (onPartitionsAssigned): the ledger
 * records every time that order is broken.
 */
final class OwnershipLedger {
    private final Map<TopicPartition, String> owners = new HashMap<>();
    private final List<String> violations = new ArrayList<>();

    synchronized void assigned(String consumer, TopicPartition partition) {
        String owner = owners.putIfAbsent(partition, consumer);
        if (owner != null && !owner.equals(consumer)) {
            violations.add(partition + " assigned to " + consumer + " while " + owner + " still owns it");
        }
    }

    synchronized void released(String consumer, TopicPartition partition) {
        owners.remove(partition, consumer);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }
}
