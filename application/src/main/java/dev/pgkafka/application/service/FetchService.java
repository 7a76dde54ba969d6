package dev.pgkafka.application.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.FetchUseCase.AbortedTransaction;
import dev.pgkafka.application.port.in.ParkedTime;
import dev.pgkafka.application.port.out.PartitionLogPort;
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
 */
public final class FetchService implements FetchUseCase {
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
                FetchResult result = readOnce(command, partitions);
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
