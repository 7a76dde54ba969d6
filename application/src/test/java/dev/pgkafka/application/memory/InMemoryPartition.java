package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.ProducerPartitionState;

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
    private PartitionHead head = PartitionHead.empty();

    synchronized PartitionHead head() {
        return head;
    }

    synchronized ProducerPartitionState producer(long producerId) {
        return producers.get(producerId);
    }

    synchronized void commit(List<StoredRecord> appended, PartitionHead newHead, Map<Long, ProducerPartitionState> states) {
        records.addAll(appended);
        head = newHead;
        producers.putAll(states);
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
