package dev.pgkafka.application.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.FetchUseCase.AbortedTransaction;
import dev.pgkafka.application.port.in.ParkedTime;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Reads partition logs for consumers. A fetch without enough data is held (registered with
 * {@link PartitionActivity} before its first read, so no append is missed) until an append to one of
 * its partitions commits or its wait time is up: idle consumers cost a parked virtual thread, not a
 * polling loop.
 *
 * <p>While the storage is unavailable a fetch fails only after its wait time (at least
 * {@link #UNAVAILABLE_BACKOFF_MILLIS}), as an empty fetch would have waited: consumers send their next
 * fetch as soon as one is answered, and answering at once would have each of them ask thousands of times a
 * second during an outage.
 *
 * <p>The broker bounds what a client asks for ({@link Limits}, docs/adr/0016-request-limits.md): a fetch
 * reads at most {@code fetch.max.bytes} whatever its max_bytes, and waits at most
 * {@code pgkafka.fetch.max.wait.ms} whatever its max_wait_ms. A held fetch that wakes up reads only what
 * arrived since its last read, from where that read stopped, and adds it to what it already has: its
 * reads together never take more than its byte budget, however often it wakes.
 */
public final class FetchService implements FetchUseCase {
    /** The least a fetch waits before it answers that the storage is unavailable (even with max_wait 0). */
    static final long UNAVAILABLE_BACKOFF_MILLIS = 500;

    /**
     * The broker's bounds on a fetch.
     *
     * @param maxBytes  Kafka's broker config {@code fetch.max.bytes}: the most a fetch answers (the record bytes
     *                  of all its partitions), whatever the client's max_bytes and partition_max_bytes; a
     *                  first record larger than it is still returned, as Kafka does, so consumers progress
     * @param maxWaitMs {@code pgkafka.fetch.max.wait.ms}: the longest a fetch is held, whatever its max_wait_ms
     */
    public record Limits(int maxBytes, long maxWaitMs) {
        /** Kafka's default {@code fetch.max.bytes}: 55 MiB. */
        public static final int DEFAULT_MAX_BYTES = 55 * 1024 * 1024;
        /** The Java clients' {@code request.timeout.ms}: a client has given up on a fetch held longer. */
        public static final long DEFAULT_MAX_WAIT_MS = 30_000;
        public static final Limits DEFAULTS = new Limits(DEFAULT_MAX_BYTES, DEFAULT_MAX_WAIT_MS);

        public Limits {
            if (maxBytes <= 0 || maxWaitMs < 0) {
                throw new IllegalArgumentException("fetch limits must be positive: " + maxBytes + " bytes, "
                        + maxWaitMs + " ms");
            }
        }
    }

    private final PartitionLogPort log;
    private final PartitionActivity activity;
    private final Clock clock;
    private final Limits limits;
    private volatile boolean shuttingDown;

    public FetchService(PartitionLogPort log, PartitionActivity activity, Clock clock) {
        this(log, activity, clock, Limits.DEFAULTS);
    }

    public FetchService(PartitionLogPort log, PartitionActivity activity, Clock clock, Limits limits) {
        this.log = log;
        this.activity = activity;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public FetchResult fetch(FetchCommand asked) {
        FetchCommand command = bounded(asked);
        long deadline = clock.millis() + command.maxWait().toMillis();
        List<TopicIdPartition> partitions = new ArrayList<>(command.partitions().size());
        for (PartitionFetch pf : command.partitions()) {
            partitions.add(pf.topic().partition(pf.partition()));
        }
        try (PartitionActivity.Waiter waiter = activity.watch(partitions)) {
            Progress progress = new Progress(command);
            while (true) {
                FetchResult result = readOrBackOff(progress, partitions, waiter, deadline);
                long remaining = deadline - clock.millis();
                if (remaining <= 0 || shuttingDown || progress.full || satisfied(result, command.minBytes())) {
                    return result;
                }
                long parkedAt = System.nanoTime();
                try {
                    waiter.await(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return result;
                } finally {
                    // waiting is not handling: request_percentage quotas must not count it
                    ParkedTime.add(System.nanoTime() - parkedAt);
                }
            }
        }
    }

    /**
     * One read; when the storage is unavailable, the read is tried once more after the fetch's wait
     * time (or the backoff), and a second failure goes to the caller, who answers it as retriable.
     */
    private FetchResult readOrBackOff(Progress progress, List<TopicIdPartition> partitions,
                                      PartitionActivity.Waiter waiter, long deadline) {
        long start = clock.millis();
        try {
            return progress.readMore(partitions);
        } catch (StorageUnavailableException e) {
            long wait = Math.max(deadline - clock.millis(), UNAVAILABLE_BACKOFF_MILLIS - (clock.millis() - start));
            if (wait > 0 && !shuttingDown) {
                try {
                    waiter.await(wait);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
            return progress.readMore(partitions);
        }
    }

    /**
     * The command within the broker's limits: max_bytes and each partition's at most {@code fetch.max.bytes},
     * min_bytes at most max_bytes (more could never be satisfied), the wait at most
     * {@code pgkafka.fetch.max.wait.ms}.
     */
    FetchCommand bounded(FetchCommand command) {
        int maxBytes = Math.max(0, Math.min(command.maxBytes(), limits.maxBytes()));
        long waitMs = Math.clamp(command.maxWait().toMillis(), 0, limits.maxWaitMs());
        List<PartitionFetch> partitions = new ArrayList<>(command.partitions().size());
        for (PartitionFetch pf : command.partitions()) {
            partitions.add(pf.maxBytes() <= limits.maxBytes() ? pf
                    : new PartitionFetch(pf.topic(), pf.partition(), pf.fetchOffset(), limits.maxBytes()));
        }
        return new FetchCommand(partitions, maxBytes, Math.min(command.minBytes(), maxBytes),
                Duration.ofMillis(waitMs), command.isolation());
    }

    /** Makes held fetches answer now with what they have; used at shutdown. */
    public void releaseWaiting() {
        shuttingDown = true;
        activity.wakeAll();
    }

    private static boolean satisfied(FetchResult result, int minBytes) {
        int bytes = 0;
        for (PartitionData pd : result.partitions()) {
            if (pd.error() != ErrorCode.NONE) {
                return true;
            }
            bytes += pd.payloadSize();
        }
        return bytes >= Math.max(1, minBytes);
    }

    /**
     * What one fetch has read so far, partition by partition: each read goes on from where the last one
     * stopped, with what is left of the byte budgets, so a fetch that wakes up many times reads every
     * record once.
     */
    private final class Progress {
        private final FetchCommand command;
        /** Per partition: the records read so far (null until a read found the partition readable). */
        private final List<List<StoredRecord>> read;
        /** Per partition: the answer of the last read, or null before the first. */
        private final PartitionData[] last;
        /** The budget of the whole fetch left. */
        private int budget;
        /**
         * Whether a read left records behind for want of budget: more waiting could bring the fetch no more
         * bytes, so it answers (its min_bytes may be more than what fits in its budgets).
         */
        boolean full;

        Progress(FetchCommand command) {
            this.command = command;
            this.read = new ArrayList<>(command.partitions().size());
            for (int i = 0; i < command.partitions().size(); i++) {
                read.add(null);
            }
            this.last = new PartitionData[command.partitions().size()];
            this.budget = command.maxBytes();
        }

        FetchResult readMore(List<TopicIdPartition> partitions) {
            Map<TopicIdPartition, PartitionHead> heads = log.heads(partitions);
            boolean anyData = false;
            for (List<StoredRecord> r : read) {
                anyData |= r != null && !r.isEmpty();
            }
            List<PartitionData> out = new ArrayList<>(partitions.size());
            for (int i = 0; i < partitions.size(); i++) {
                last[i] = readPartition(i, partitions.get(i), heads.get(partitions.get(i)), anyData);
                anyData |= !last[i].records().isEmpty();
                out.add(last[i]);
            }
            return new FetchResult(out);
        }

        private PartitionData readPartition(int i, TopicIdPartition tp, PartitionHead head, boolean anyData) {
            PartitionFetch pf = command.partitions().get(i);
            List<StoredRecord> before = read.get(i);
            if (before != null && !before.isEmpty()) {
                // the records already read are answered whatever happened to the log since
                if (head == null || !head.contains(next(before))) {
                    return last[i];
                }
            } else if (head == null) {
                return new PartitionData(pf.topic(), pf.partition(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null,
                        List.of(), List.of());
            } else if (!head.contains(pf.fetchOffset())) {
                return new PartitionData(pf.topic(), pf.partition(), ErrorCode.OFFSET_OUT_OF_RANGE, head, List.of(),
                        List.of());
            }
            List<StoredRecord> records = before == null ? new ArrayList<>() : before;
            read.set(i, records);
            long from = records.isEmpty() ? pf.fetchOffset() : next(records);
            long end = head.readableEnd(command.isolation());
            int taken = sizeOf(records);
            int limit = Math.min(pf.maxBytes() - taken, budget);
            if (from < end && (limit > 0 || !anyData)) {
                List<StoredRecord> more = log.read(tp, from, end, Math.max(0, limit), !anyData);
                records.addAll(more);
                budget -= sizeOf(more);
            }
            if (from < end && (records.isEmpty() ? from : next(records)) < end) {
                full = true;
            }
            List<StoredRecord> answered = List.copyOf(records);
            List<AbortedTransaction> aborted = command.isolation() == IsolationLevel.READ_COMMITTED
                    ? abortedTransactions(tp, pf.fetchOffset(), answered) : List.of();
            return new PartitionData(pf.topic(), pf.partition(), ErrorCode.NONE, head, answered, aborted);
        }
    }

    private static long next(List<StoredRecord> records) {
        return records.getLast().offset() + 1;
    }

    private static int sizeOf(List<StoredRecord> records) {
        int size = 0;
        for (StoredRecord r : records) {
            size += r.payloadSize();
        }
        return size;
    }

    /**
     * The aborted transactions a read_committed consumer needs to skip the aborted records among
     * {@code records}: asked of the index only when a returned record is transactional.
     */
    private List<AbortedTransaction> abortedTransactions(TopicIdPartition tp, long fetchOffset, List<StoredRecord> records) {
        boolean transactional = false;
        for (StoredRecord r : records) {
            if (r.attributes().transactional() && !r.attributes().control()) {
                transactional = true;
                break;
            }
        }
        if (!transactional) {
            return List.of();
        }
        long upperBound = records.getLast().offset() + 1;
        List<AbortedTransaction> out = new ArrayList<>();
        log.abortedTransactions(tp, fetchOffset, upperBound)
                .forEach(a -> out.add(new AbortedTransaction(a.producerId(), a.firstOffset())));
        return out;
    }
}
