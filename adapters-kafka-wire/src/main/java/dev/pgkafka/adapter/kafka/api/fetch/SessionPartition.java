package dev.pgkafka.adapter.kafka.api.fetch;

import org.apache.kafka.common.Uuid;

/**
 * A partition in a fetch session: where the consumer reads from, and what it was last told about the
 * partition, so that incremental answers leave out partitions where nothing changed.
 */
final class SessionPartition {
    final String topicName;
    final Uuid topicId;
    final int partition;
    long fetchOffset;
    int maxBytes;
    long lastHighWatermark = -1;
    long lastStableOffset = -1;
    long lastLogStartOffset = -1;

    SessionPartition(String topicName, Uuid topicId, int partition, long fetchOffset, int maxBytes) {
        this.topicName = topicName;
        this.topicId = topicId;
        this.partition = partition;
        this.fetchOffset = fetchOffset;
        this.maxBytes = maxBytes;
    }

    /**
     * Remembers what this answer tells the consumer.
     *
     * @return true when the consumer must hear about this partition in an incremental answer
     */
    boolean update(boolean hasRecords, boolean hasError, long highWatermark, long lastStable, long logStart) {
        boolean mustRespond = hasRecords || hasError || highWatermark != lastHighWatermark
                || lastStable != lastStableOffset || logStart != lastLogStartOffset;
        lastHighWatermark = highWatermark;
        lastStableOffset = lastStable;
        lastLogStartOffset = logStart;
        return mustRespond;
    }
}
