package dev.pgkafka.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.in.FetchUseCase.FetchCommand;
import dev.pgkafka.application.port.in.FetchUseCase.FetchResult;
import dev.pgkafka.application.port.in.FetchUseCase.PartitionFetch;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.RecordSizes;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.Topic;

/**
 * The broker's bounds on a fetch (fetch.max.bytes, pgkafka.fetch.max.wait.ms) whatever the client asks,
 * and a held fetch that wakes up reading only what arrived since its last read.
 */
class FetchServiceLimitsTest {
    private static final int RECORD = 1000;
    /** What a record of {@link #RECORD} value bytes counts against the byte budgets. */
    private static final int PAYLOAD = RECORD + RecordSizes.RECORD_OVERHEAD;
    private final Topic topic = new Topic(UUID.randomUUID(), "t", 1, Map.of());
    private final List<StoredRecord> records = Collections.synchronizedList(new ArrayList<>());
    /** Each read the fetch made of the log: {from, records returned}. */
    private final List<long[]> reads = new CopyOnWriteArrayList<>();
    private final PartitionActivity activity = new PartitionActivity();

    /** A log of {@link #records}, as the storage adapters read it: up to maxBytes, the first regardless. */
    private final PartitionLogPort log = (PartitionLogPort) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {PartitionLogPort.class}, (p, m, args) -> switch (m.getName()) {
                case "heads" -> Map.of(topic.partition(0), PartitionHead.of(0, records.size()));
                case "read" -> {
                    long from = (long) args[1];
                    long end = (long) args[2];
                    int maxBytes = (int) args[3];
                    boolean atLeastOne = (boolean) args[4];
                    List<StoredRecord> out = new ArrayList<>();
                    int total = 0;
                    for (long o = from; o < end; o++) {
                        StoredRecord r = records.get((int) o);
                        if (total + r.payloadSize() > maxBytes && !(out.isEmpty() && atLeastOne)) {
                            break;
                        }
                        out.add(r);
                        total += r.payloadSize();
                    }
                    reads.add(new long[] {from, out.size()});
                    yield out;
                }
                default -> throw new UnsupportedOperationException(m.getName());
            });

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            records.add(new StoredRecord(records.size(), 0, null, new byte[RECORD], List.of(), -1, (short) -1, -1,
                    BatchAttributes.PLAIN));
        }
        activity.changed(List.of(topic.partition(0)));
    }

    private FetchCommand command(long offset, int minBytes, int maxBytes, int partitionMaxBytes, Duration wait) {
        return new FetchCommand(List.of(new PartitionFetch(topic, 0, offset, partitionMaxBytes)), maxBytes, minBytes,
                wait, IsolationLevel.READ_UNCOMMITTED);
    }

    @Test
    void twoGibibytesAskedAreClampedToFetchMaxBytes() {
        append(100); // 100 kB
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), new FetchService.Limits(10_000, 1_000));
        FetchResult result = fetch.fetch(command(0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ZERO));
        int bytes = result.partitions().getFirst().payloadSize();
        assertTrue(bytes <= 10_000 && bytes >= 9_000, "answered " + bytes + " bytes");
    }

    @Test
    void aFirstRecordLargerThanTheCapIsStillReturned() {
        append(1);
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), new FetchService.Limits(100, 1_000));
        FetchResult result = fetch.fetch(command(0, 1, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ZERO));
        assertEquals(1, result.partitions().getFirst().records().size(), "the consumer makes progress");
    }

    @Test
    void minBytesBeyondTheCapDoesNotHoldAFullAnswer() {
        append(100);
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), new FetchService.Limits(10 * PAYLOAD, 30_000));
        long start = System.nanoTime();
        FetchResult result = fetch.fetch(command(0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Duration.ofHours(1)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(10, result.partitions().getFirst().records().size());
        assertTrue(ms < 5_000, "min_bytes is at most max_bytes, so the full answer goes at once: " + ms + " ms");
    }

    @Test
    void anHourOfWaitIsClampedToTheBrokersMaxWait() {
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), new FetchService.Limits(10_000, 300));
        long start = System.nanoTime();
        FetchResult result = fetch.fetch(command(0, 1, 1 << 20, 1 << 20, Duration.ofHours(1)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(result.partitions().getFirst().records().isEmpty());
        assertTrue(ms >= 280 && ms < 5_000, "held for pgkafka.fetch.max.wait.ms, not an hour: " + ms + " ms");
        assertEquals(300, fetch.bounded(command(0, 1, 1, 1, Duration.ofHours(1))).maxWait().toMillis());
        assertEquals(0, fetch.bounded(command(0, 1, 1, 1, Duration.ofMillis(-5))).maxWait().toMillis());
    }

    @Test
    void aWakingFetchReadsOnlyWhatArrivedSinceItsLastRead() throws Exception {
        append(3);
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), FetchService.Limits.DEFAULTS);
        // wants 20 records' worth: it wakes up at each of the appends below
        CompletableFuture<FetchResult> waiting = CompletableFuture.supplyAsync(() -> fetch.fetch(
                command(0, 20 * RECORD, 1 << 20, 1 << 20, Duration.ofSeconds(20))));
        for (int i = 0; i < 17; i++) {
            Thread.sleep(20);
            append(1);
        }
        FetchResult result = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(20, result.partitions().getFirst().records().size());
        for (int i = 0; i < 20; i++) {
            assertEquals(i, result.partitions().getFirst().records().get(i).offset(), "in offset order, once each");
        }
        long readInAll = reads.stream().mapToLong(r -> r[1]).sum();
        assertEquals(20, readInAll, "each record read once over " + reads.size() + " reads");
        for (int i = 1; i < reads.size(); i++) {
            assertTrue(reads.get(i)[0] > reads.get(i - 1)[0], "each read starts after the one before");
        }
        assertTrue(reads.size() > 2, "the fetch did wake up several times: " + reads.size());
    }

    @Test
    void aWakingFetchKeepsToItsByteBudgetOverAllItsReads() throws Exception {
        FetchService fetch = new FetchService(log, activity, Clock.systemUTC(), new FetchService.Limits(5 * PAYLOAD, 30_000));
        CompletableFuture<FetchResult> waiting = CompletableFuture.supplyAsync(() -> fetch.fetch(
                command(0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Duration.ofSeconds(20))));
        for (int i = 0; i < 3; i++) {
            Thread.sleep(50);
            append(2);
        }
        FetchResult result = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(5, result.partitions().getFirst().records().size(), "fetch.max.bytes over all reads, then answered");
    }
}
