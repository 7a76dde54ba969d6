package dev.pgkafka.application.memory;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.TopicIdPartition;

/** Retention and compaction in memory. Deleted topics are gone at once, so there is nothing to purge. */
final class InMemoryLogCleaner implements LogCleanerPort {
    private final Map<TopicIdPartition, InMemoryPartition> partitions;

    InMemoryLogCleaner(Map<TopicIdPartition, InMemoryPartition> partitions) {
        this.partitions = partitions;
    }

    @Override
    public Optional<PartitionHead> advanceLogStart(TopicIdPartition partition, long offset) {
        InMemoryPartition p = partitions.get(partition);
        if (p == null) {
            return Optional.empty();
        }
        p.appendLock.lock();
        try {
            return Optional.of(p.advanceLogStart(offset));
        } finally {
            p.appendLock.unlock();
        }
    }

    @Override
    public Map<TopicIdPartition, Long> sizes(Collection<TopicIdPartition> tps) {
        Map<TopicIdPartition, Long> sizes = new HashMap<>();
        for (TopicIdPartition tp : tps) {
            InMemoryPartition p = partitions.get(tp);
            if (p != null) {
                sizes.put(tp, p.size());
            }
        }
        return sizes;
    }

    @Override
    public long startForSize(TopicIdPartition partition, long maxBytes) {
        InMemoryPartition p = partitions.get(partition);
        return p == null ? 0 : p.startForSize(maxBytes);
    }

    @Override
    public OptionalLong lastTimestamped(TopicIdPartition partition, long endOffset) {
        InMemoryPartition p = partitions.get(partition);
        if (p == null) {
            return OptionalLong.empty();
        }
        List<StoredRecord> records = p.range(p.head().logStartOffset(), endOffset);
        for (StoredRecord r : records.reversed()) {
            if (r.timestamp() >= 0) {
                return OptionalLong.of(r.offset());
            }
        }
        return OptionalLong.empty();
    }

    @Override
    public int removeBelowLogStart(TopicIdPartition partition, int maxRecords) {
        InMemoryPartition p = partitions.get(partition);
        return p == null ? 0 : p.removeBelowLogStart(maxRecords);
    }

    @Override
    public int compact(TopicIdPartition partition, CompactionRange range) {
        InMemoryPartition p = partitions.get(partition);
        return p == null ? 0 : p.compact(range);
    }

    @Override
    public CleanerCheckpoint checkpoint(TopicIdPartition partition) {
        InMemoryPartition p = partitions.get(partition);
        return p == null ? CleanerCheckpoint.NONE : p.checkpoint();
    }

    @Override
    public void saveCheckpoint(TopicIdPartition partition, CleanerCheckpoint checkpoint) {
        InMemoryPartition p = partitions.get(partition);
        if (p != null) {
            p.saveCheckpoint(checkpoint);
        }
    }

    @Override
    public int expireProducers(long idleMs) {
        return partitions.values().stream().mapToInt(p -> p.expireProducers(idleMs)).sum();
    }

    @Override
    public int purgeDeletedTopics(int maxRecords) {
        return 0;
    }

    @Override
    public void reclaimSpace(long recordsRemoved) {
        // the garbage collector reclaims removed records
    }
}
