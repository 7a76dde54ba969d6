package dev.pgkafka.application.service;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Wakes waiting fetches when their partitions change. A fetch registers before it reads, so an
 * append that commits between its read and its wait is never missed.
 */
public final class PartitionActivity {
    private final ConcurrentHashMap<TopicIdPartition, Set<Waiter>> waiters = new ConcurrentHashMap<>();
    private final Set<Waiter> all = ConcurrentHashMap.newKeySet();

    /** Starts watching the partitions; close the waiter when done. */
    public Waiter watch(Collection<TopicIdPartition> partitions) {
        Waiter waiter = new Waiter(List.copyOf(partitions));
        for (TopicIdPartition tp : waiter.partitions) {
            // compute, not computeIfAbsent + add: close() may drop an emptied set concurrently
            waiters.compute(tp, (k, set) -> {
                Set<Waiter> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                s.add(waiter);
                return s;
            });
        }
        all.add(waiter);
        return waiter;
    }

    /** Records were appended (or the partition changed otherwise) and are visible to readers. */
    public void changed(Collection<TopicIdPartition> partitions) {
        for (TopicIdPartition tp : partitions) {
            Set<Waiter> set = waiters.get(tp);
            if (set != null) {
                for (Waiter w : set) {
                    w.signal();
                }
            }
        }
    }

    /** Wakes every waiter, e.g. at shutdown so that held fetches answer at once. */
    public void wakeAll() {
        for (Waiter w : all) {
            w.signal();
        }
    }

    public final class Waiter implements AutoCloseable {
        private final List<TopicIdPartition> partitions;
        private final Semaphore signals = new Semaphore(0);

        private Waiter(List<TopicIdPartition> partitions) {
            this.partitions = partitions;
        }

        void signal() {
            if (signals.availablePermits() == 0) {
                signals.release();
            }
        }

        /**
         * Waits until one of the partitions changed since the last call, or the time is up.
         *
         * @return true when signalled
         */
        public boolean await(long timeoutMillis) throws InterruptedException {
            boolean signalled = signals.tryAcquire(Math.max(0, timeoutMillis), TimeUnit.MILLISECONDS);
            signals.drainPermits();
            return signalled;
        }

        @Override
        public void close() {
            all.remove(this);
            for (TopicIdPartition tp : partitions) {
                waiters.computeIfPresent(tp, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }
}
