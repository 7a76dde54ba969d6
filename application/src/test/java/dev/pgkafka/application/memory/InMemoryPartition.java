package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.txn.AbortedTransaction;

/**
 * One partition's log in memory. {@link #appendLock} is held by an append transaction from
 * {@code lockHeads} to its end (the row lock of a database); the monitor guards the data, so
 * readers see a transaction's records all at once, at commit.
 */
final class InMemoryPartition {
    final ReentrantLock appendLock = new ReentrantLock();

    // guarded by this
    private final List<StoredRecord> records = new ArrayList<>();
    private final Map<Long, ProducerPartitionState> producers = new HashMap<>();
    private final Map<Long, Long> lastAppendMillis = new HashMap<>();
    private final List<AbortedTransaction> aborted = new ArrayList<>();
    private PartitionHead head = PartitionHead.empty();
    private CleanerCheckpoint checkpoint = CleanerCheckpoint.NONE;

    synchronized PartitionHead head() {
        return head;
    }

    synchronized ProducerPartitionState producer(long producerId) {
        return producers.get(producerId);
    }

    synchronized List<ProducerPartitionState> producers() {
        return new ArrayList<>(producers.values());
    }

    synchronized List<AbortedTransaction> aborted() {
        return new ArrayList<>(aborted);
    }

    synchronized void addAborted(List<AbortedTransaction> entries) {
        aborted.addAll(entries);
    }

    synchronized void commit(List<StoredRecord> appended, PartitionHead newHead, Map<Long, ProducerPartitionState> states) {
        records.addAll(appended);
        // the log start offset may have moved since the transaction read the head (it held the lock, so not
        // in this implementation, but keep the newer one)
        head = new PartitionHead(Math.max(head.logStartOffset(), newHead.logStartOffset()), newHead.highWatermark(),
                newHead.lastStableOffset());
        producers.putAll(states);
        long now = System.currentTimeMillis();
        states.keySet().forEach(id -> lastAppendMillis.put(id, now));
    }

    /** Forgets producers idle for {@code idleMs} without an open transaction; how many went. */
    synchronized int expireProducers(long idleMs) {
        long now = System.currentTimeMillis();
        List<Long> expired = producers.values().stream()
                .filter(s -> !s.inTransaction() && now - lastAppendMillis.getOrDefault(s.producerId(), 0L) >= idleMs)
                .map(ProducerPartitionState::producerId).toList();
        expired.forEach(id -> {
            producers.remove(id);
            lastAppendMillis.remove(id);
        });
        return expired.size();
    }

    /** Moves the log start offset (the caller holds {@link #appendLock}, as appends do). */
    synchronized PartitionHead advanceLogStart(long offset) {
        long start = Math.max(head.logStartOffset(), Math.min(offset, head.lastStableOffset()));
        head = new PartitionHead(start, head.highWatermark(), head.lastStableOffset());
        return head;
    }

    /** Payload bytes of the records from the log start offset on. */
    synchronized long size() {
        long size = 0;
        for (int i = firstIndexAtOrAfter(head.logStartOffset()); i < records.size(); i++) {
            size += records.get(i).payloadSize();
        }
        return size;
    }

    /** The smallest offset from which the records hold at most {@code maxBytes}. */
    synchronized long startForSize(long maxBytes) {
        long excess = size() - maxBytes;
        if (excess <= 0) {
            return head.logStartOffset();
        }
        long removed = 0;
        for (int i = firstIndexAtOrAfter(head.logStartOffset()); i < records.size(); i++) {
            removed += records.get(i).payloadSize();
            if (removed >= excess) {
                return records.get(i).offset() + 1;
            }
        }
        return head.highWatermark();
    }

    synchronized int removeBelowLogStart(int max) {
        int n = Math.min(max, firstIndexAtOrAfter(head.logStartOffset()));
        records.subList(0, n).clear();
        return n;
    }

    synchronized int compact(CompactionRange range) {
        Map<KeyBytes, Long> latest = new HashMap<>();
        for (int i = firstIndexAtOrAfter(range.dirtyFrom()); i < records.size(); i++) {
            StoredRecord r = records.get(i);
            if (r.offset() >= range.cleanEnd()) {
                break;
            }
            if (r.key() != null && !r.attributes().control()) {
                latest.put(new KeyBytes(r.key()), r.offset());
            }
        }
        Set<Long> remove = new HashSet<>();
        for (int i = firstIndexAtOrAfter(range.from()); i < records.size(); i++) {
            StoredRecord r = records.get(i);
            if (r.offset() >= range.cleanEnd()) {
                break;
            }
            if (r.attributes().control()) {
                continue;
            }
            boolean obsolete = r.key() == null
                    || latest.getOrDefault(new KeyBytes(r.key()), Long.MIN_VALUE) > r.offset()
                    || (r.value() == null && r.offset() < range.tombstonesBelow());
            if (obsolete) {
                remove.add(r.offset());
            }
        }
        int removed = 0;
        for (Iterator<StoredRecord> it = records.iterator(); it.hasNext(); ) {
            if (remove.contains(it.next().offset())) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    synchronized CleanerCheckpoint checkpoint() {
        return checkpoint;
    }

    synchronized void saveCheckpoint(CleanerCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Keys compared by content. */
    private record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KeyBytes k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** Records with offsets in [from, end), in offset order. */
    synchronized List<StoredRecord> range(long from, long end) {
        int i = firstIndexAtOrAfter(from);
        List<StoredRecord> out = new ArrayList<>();
        for (; i < records.size() && records.get(i).offset() < end; i++) {
            out.add(records.get(i));
        }
        return out;
    }

    private int firstIndexAtOrAfter(long offset) {
        int lo = 0;
        int hi = records.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (records.get(mid).offset() < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
