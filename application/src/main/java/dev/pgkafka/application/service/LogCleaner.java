package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.application.port.out.LogCleanerPort;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.CompactionRules;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.LogConfig;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * The log cleaner, Kafka's retention and compaction in one background pass over every partition:
 * <ol>
 *   <li>{@code cleanup.policy} with "delete": the log start offset moves past records older than
 *       {@code retention.ms} and past the oldest records while the partition holds more than
 *       {@code retention.bytes};</li>
 *   <li>"compact": records whose key appears again later, keyless records, and tombstones past
 *       {@code delete.retention.ms} are removed (offsets stay, gaps are normal), see {@link CompactionRules};</li>
 *   <li>records below the log start offset (retention, DeleteRecords) and of deleted topics are
 *       removed in batches of {@link Settings#batchSize} rows, each its own short storage transaction.</li>
 * </ol>
 * Producers never wait for a pass: only moving the log start offset takes the partition's head
 * lock, for one statement. Runs every {@code log.retention.check.interval.ms}, or at once after
 * {@link #wakeUp()}; {@link #runOnce()} runs a pass on the caller's thread (tests, with a
 * controllable clock).
 */
public final class LogCleaner implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogCleaner.class.getName());

    private final TopicService topics;
    private final PartitionLogPort log;
    private final LogCleanerPort cleaner;
    private final Clock clock;
    private final Settings settings;
    private final ReentrantLock runLock = new ReentrantLock();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private boolean wakeRequested;
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param batchSize       rows removed per storage transaction
     * @param maxDirtyRecords the most dirty records one compaction pass of a partition takes on
     * @param producerIdExpirationMs {@code producer.id.expiration.ms}: idle producers are forgotten after it
     */
    public record Settings(int batchSize, long maxDirtyRecords, long producerIdExpirationMs) {
        /** Kafka's default producer.id.expiration.ms: one day. */
        public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;
        public static final Settings DEFAULTS = new Settings(10_000, 1_000_000);

        public Settings {
            if (batchSize < 1 || maxDirtyRecords < 1 || producerIdExpirationMs < 1) {
                throw new IllegalArgumentException("batch size, dirty records and producer expiration must be positive");
            }
        }

        public Settings(int batchSize, long maxDirtyRecords) {
            this(batchSize, maxDirtyRecords, DEFAULT_PRODUCER_ID_EXPIRATION_MS);
        }
    }

    /** What one pass did. */
    public record Pass(int partitions, long removedBelowLogStart, long removedByCompaction, long removedOfDeletedTopics,
                       long logStartMoves, int expiredProducers, Duration took) {
        public long removed() {
            return removedBelowLogStart + removedByCompaction + removedOfDeletedTopics;
        }
    }

    public LogCleaner(TopicService topics, PartitionLogPort log, LogCleanerPort cleaner, Clock clock, Settings settings) {
        this.topics = topics;
        this.log = log;
        this.cleaner = cleaner;
        this.clock = clock;
        this.settings = settings;
    }

    /** Starts the background passes, one every {@code interval} (and on {@link #wakeUp()}). */
    public synchronized void start(Duration interval) {
        if (thread != null) {
            throw new IllegalStateException("the log cleaner runs already");
        }
        thread = Thread.ofVirtual().name("log-cleaner").start(() -> loop(interval));
        LOG.log(Level.INFO, "log cleaner runs every {0} ms", interval.toMillis());
    }

    /** Asks for a pass now (after DeleteRecords or DeleteTopics); returns at once. */
    public void wakeUp() {
        wakeLock.lock();
        try {
            wakeRequested = true;
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
    }

    /** Stops the background passes; a pass in progress stops after its current step. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        wakeUp();
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop(Duration interval) {
        while (!closed) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                StorageFailures.log(LOG, "log cleaner pass failed, retrying in " + interval.toMillis() + " ms", e);
            }
            wakeLock.lock();
            try {
                long nanos = interval.toNanos();
                while (!wakeRequested && !closed && nanos > 0) {
                    nanos = wake.awaitNanos(nanos);
                }
                wakeRequested = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                wakeLock.unlock();
            }
        }
    }

    /** One pass over every partition, on the caller's thread (waits for a pass in progress). */
    public Pass runOnce() {
        runLock.lock();
        try {
            return pass();
        } finally {
            runLock.unlock();
        }
    }

    private Pass pass() {
        long started = System.nanoTime();
        Counts counts = new Counts();
        counts.purged = purgeDeletedTopics();
        int partitions = 0;
        for (Topic topic : topics.list()) {
            if (closed) {
                break;
            }
            LogConfig config = topics.logConfig(topic);
            List<TopicIdPartition> tps = new ArrayList<>(topic.partitionCount());
            for (int p = 0; p < topic.partitionCount(); p++) {
                tps.add(topic.partition(p));
            }
            Map<TopicIdPartition, PartitionHead> heads = log.heads(tps);
            for (TopicIdPartition tp : tps) {
                PartitionHead head = heads.get(tp);
                if (head == null || closed) {
                    continue;
                }
                partitions++;
                try {
                    clean(topic, tp, head, config, counts);
                } catch (RuntimeException e) {
                    StorageFailures.log(LOG, "log cleaner: " + name(topic, tp) + " failed, next pass retries", e);
                }
            }
        }
        long removed = counts.belowLogStart + counts.compaction + counts.purged;
        if (removed > 0) {
            cleaner.reclaimSpace(removed);
        }
        int expiredProducers = expireProducers();
        Pass pass = new Pass(partitions, counts.belowLogStart, counts.compaction, counts.purged, counts.moves,
                expiredProducers, Duration.ofNanos(System.nanoTime() - started));
        if (pass.removed() > 0 || pass.logStartMoves() > 0) {
            long ms = Math.max(1, pass.took().toMillis());
            LOG.log(Level.INFO, "log cleaner: removed {0} record(s) in {1} ms ({2} records/s): {3} below log start, "
                            + "{4} by compaction, {5} of deleted topics; {6} log start move(s) over {7} partition(s)",
                    pass.removed(), ms, pass.removed() * 1000 / ms, pass.removedBelowLogStart(),
                    pass.removedByCompaction(), pass.removedOfDeletedTopics(), pass.logStartMoves(), partitions);
        }
        return pass;
    }

    private static final class Counts {
        long belowLogStart;
        long compaction;
        long purged;
        long moves;
    }

    private int expireProducers() {
        if (closed) {
            return 0;
        }
        try {
            int expired = cleaner.expireProducers(settings.producerIdExpirationMs());
            if (expired > 0) {
                LOG.log(Level.INFO, "log cleaner: forgot {0} idle producer entr(ies), idle for producer.id.expiration.ms "
                        + "({1} ms) without an open transaction", expired, settings.producerIdExpirationMs());
            }
            return expired;
        } catch (RuntimeException e) {
            StorageFailures.log(LOG, "log cleaner: expiring idle producers failed, next pass retries", e);
            return 0;
        }
    }

    private long purgeDeletedTopics() {
        long total = 0;
        int removed;
        do {
            removed = cleaner.purgeDeletedTopics(settings.batchSize());
            total += removed;
        } while (removed > 0 && !closed);
        return total;
    }

    private void clean(Topic topic, TopicIdPartition tp, PartitionHead head, LogConfig config, Counts counts) {
        long now = clock.millis();
        if (config.delete()) {
            head = retain(topic, tp, head, config, now, counts);
        }
        if (config.compact()) {
            compact(topic, tp, head, config, now, counts);
        }
        // a batch may hold fewer rows than its size (compaction leaves gaps): go on until none is left
        int removed;
        do {
            removed = cleaner.removeBelowLogStart(tp, settings.batchSize());
            counts.belowLogStart += removed;
        } while (removed > 0 && !closed);
    }

    /** Moves the log start offset past expired records (by time and by size); returns the head afterwards. */
    private PartitionHead retain(Topic topic, TopicIdPartition tp, PartitionHead head, LogConfig config, long now,
                                 Counts counts) {
        long target = head.logStartOffset();
        String reason = null;
        if (config.retentionMs() >= 0 && head.highWatermark() > head.logStartOffset()) {
            // up to the first record young enough; when none is, past the last record that has a timestamp:
            // records without one (Kafka's -1) carry no age, so the untimestamped tail stays
            long byTime = log.firstAtOrAfter(tp, now - config.retentionMs(), head.highWatermark())
                    .map(PartitionLogPort.OffsetAndTimestamp::offset)
                    .orElseGet(() -> {
                        var last = cleaner.lastTimestamped(tp, head.highWatermark());
                        return last.isPresent() ? last.getAsLong() + 1 : head.logStartOffset();
                    });
            if (byTime > target) {
                target = byTime;
                reason = "retention.ms " + config.retentionMs();
            }
        }
        if (config.retentionBytes() >= 0 && head.highWatermark() > head.logStartOffset()) {
            long bySize = cleaner.startForSize(tp, config.retentionBytes());
            if (bySize > target) {
                target = bySize;
                reason = "retention.bytes " + config.retentionBytes();
            }
        }
        if (target <= head.logStartOffset()) {
            return head;
        }
        Optional<PartitionHead> after = cleaner.advanceLogStart(tp, target);
        if (after.isEmpty()) {
            return head;
        }
        counts.moves++;
        LOG.log(Level.DEBUG, "log cleaner: {0} log start {1} -> {2} ({3})", name(topic, tp), head.logStartOffset(),
                after.get().logStartOffset(), reason);
        return after.get();
    }

    private void compact(Topic topic, TopicIdPartition tp, PartitionHead head, LogConfig config, long now, Counts counts) {
        CleanerCheckpoint checkpoint = cleaner.checkpoint(tp);
        // as Kafka's cleaner: never past the last stable offset, open transactions stay as written
        long cleanableEnd = head.lastStableOffset();
        if (config.minCompactionLagMs() > 0) {
            cleanableEnd = log.firstAtOrAfter(tp, now - config.minCompactionLagMs() + 1, head.lastStableOffset())
                    .map(PartitionLogPort.OffsetAndTimestamp::offset)
                    .orElse(head.lastStableOffset());
        }
        long dirtyFrom = Math.max(checkpoint.cleanOffset(), head.logStartOffset());
        boolean overdue = false;
        if (config.maxCompactionLagMs() < Long.MAX_VALUE && dirtyFrom < cleanableEnd) {
            List<StoredRecord> first = log.read(tp, dirtyFrom, cleanableEnd, 0, true);
            overdue = !first.isEmpty() && first.getFirst().timestamp() < now - config.maxCompactionLagMs();
        }
        long tombstonesBelow = checkpoint.tombstonesBelow(now, config.deleteRetentionMs());
        Optional<CompactionRange> range = CompactionRules.plan(head, checkpoint, cleanableEnd,
                config.minCleanableDirtyRatio(), overdue, tombstonesBelow, settings.maxDirtyRecords());
        if (range.isEmpty()) {
            return;
        }
        int removed = cleaner.compact(tp, range.get());
        counts.compaction += removed;
        cleaner.saveCheckpoint(tp, checkpoint.after(range.get(), now, config.deleteRetentionMs()));
        LOG.log(Level.DEBUG, "log cleaner: compacted {0} over {1}: {2} record(s) removed", name(topic, tp), range.get(),
                removed);
    }

    private static String name(Topic topic, TopicIdPartition tp) {
        return topic.name() + "-" + tp.partition();
    }
}
