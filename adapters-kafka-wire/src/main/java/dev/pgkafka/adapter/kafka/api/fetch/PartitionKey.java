package dev.pgkafka.adapter.kafka.api.fetch;

import org.apache.kafka.common.Uuid;

/** How a fetch names a partition: by topic name before Fetch v13, by topic id from v13. */
record PartitionKey(String topicName, Uuid topicId, int partition) {
    static PartitionKey of(boolean byId, String topicName, Uuid topicId, int partition) {
        return byId ? new PartitionKey(null, topicId, partition) : new PartitionKey(topicName, null, partition);
    }
}
