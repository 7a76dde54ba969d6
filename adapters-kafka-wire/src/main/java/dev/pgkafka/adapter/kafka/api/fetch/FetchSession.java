package dev.pgkafka.adapter.kafka.api.fetch;

import java.util.LinkedHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An incremental fetch session (KIP-227): the partitions a consumer fetches and the epoch its next
 * request must carry. Partitions keep insertion order; the ones that just returned data move to the
 * end, so that a byte limit does not starve the others.
 */
final class FetchSession {
    final int id;
    final boolean byTopicId;
    final LinkedHashMap<PartitionKey, SessionPartition> partitions;
    final ReentrantLock lock = new ReentrantLock();
    int nextEpoch = 1;
    volatile long lastUsedNanos = System.nanoTime();

    FetchSession(int id, boolean byTopicId, LinkedHashMap<PartitionKey, SessionPartition> partitions) {
        this.id = id;
        this.byTopicId = byTopicId;
        this.partitions = partitions;
    }

    void advanceEpoch() {
        nextEpoch = nextEpoch == Integer.MAX_VALUE ? 1 : nextEpoch + 1;
        lastUsedNanos = System.nanoTime();
    }
}
