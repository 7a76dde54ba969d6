package dev.pgkafka.application.service;

import java.time.Clock;
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
 */
public final class FetchService implements FetchUseCase {
    /** The least a fetch waits before it answers that the storage is unavailable (even with max_wait 0). */
    static final long UNAVAILABLE_BACKOFF_MILLIS = 500;

    private final PartitionLogPort log;
    private final PartitionActivity activity;
    private final Clock clock;
    private volatile boolean shuttingDown;

    public FetchService(PartitionLogPort log, PartitionActivity activity, Clock clock) {
        this.log = log;
        this.activity = activity;
        this.clock = clock;
    }

    @Override
    public FetchResult fetch(FetchCommand command) {
        long deadline = clock.millis() + Math.max(0, command.maxWait().toMillis());
        List<TopicIdPartition> partitions = new ArrayList<>(command.partitions().size());
        for (PartitionFetch pf : command.partitions()) {
            partitions.add(pf.topic().partition(pf.partition()));
        }
        try (PartitionActivity.Waiter waiter = activity.watch(partitions)) {
            while (true) {
                FetchResult result = readOrBackOff(command, partitions, waiter, deadline);
                long remaining = deadline - clock.millis();
                if (remaining <= 0 || shuttingDown || satisfied(result, command.minBytes())) {
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
    private FetchResult readOrBackOff(FetchCommand command, List<TopicIdPartition> partitions,
                                      PartitionActivity.Waiter waiter, long deadline) {
        long start = clock.millis();
        try {
            return readOnce(command, partitions);
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
            return readOnce(command, partitions);
        }
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

    private FetchResult readOnce(FetchCommand command, List<TopicIdPartition> partitions) {
        Map<TopicIdPartition, PartitionHead> heads = log.heads(partitions);
        List<PartitionData> out = new ArrayList<>(partitions.size());
        int budget = command.maxBytes();
        boolean anyData = false;
        for (int i = 0; i < partitions.size(); i++) {
            PartitionFetch pf = command.partitions().get(i);
            TopicIdPartition tp = partitions.get(i);
            PartitionHead head = heads.get(tp);
            if (head == null) {
                out.add(new PartitionData(pf.topic(), pf.partition(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, null, List.of(),
                        List.of()));
                continue;
            }
            if (!head.contains(pf.fetchOffset())) {
                out.add(new PartitionData(pf.topic(), pf.partition(), ErrorCode.OFFSET_OUT_OF_RANGE, head, List.of(),
                        List.of()));
                continue;
            }
            long end = head.readableEnd(command.isolation());
            List<StoredRecord> records = List.of();
            int limit = Math.min(pf.maxBytes(), budget);
            if (pf.fetchOffset() < end && (limit > 0 || !anyData)) {
                records = log.read(tp, pf.fetchOffset(), end, Math.max(0, limit), !anyData);
            }
            List<AbortedTransaction> aborted = command.isolation() == IsolationLevel.READ_COMMITTED
                    ? abortedTransactions(tp, pf.fetchOffset(), records) : List.of();
            PartitionData data = new PartitionData(pf.topic(), pf.partition(), ErrorCode.NONE, head, records, aborted);
            int size = data.payloadSize();
            budget -= size;
            anyData |= !records.isEmpty();
            out.add(data);
        }
        return new FetchResult(out);
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
