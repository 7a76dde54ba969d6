package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.PartitionLogPort.OffsetAndTimestamp;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;

/**
 * The contract of {@link dev.pgkafka.application.port.out.PartitionLogPort} and
 * {@link dev.pgkafka.application.port.out.AppendTransaction}: appends, heads, reads and the
 * timestamp lookups.
 */
public abstract class PartitionLogContract extends StorageContract {

    // ---- heads ----

    @Test
    void headsOfUnknownPartitionsAreAbsent() {
        Topic topic = createTopic(1);
        TopicIdPartition unknownTopic = new TopicIdPartition(UUID.randomUUID(), 0);
        TopicIdPartition unknownPartition = topic.partition(1);

        Map<TopicIdPartition, ?> heads = storage.log().heads(List.of(unknownTopic, topic.partition(0), unknownPartition));

        assertEquals(Set.of(topic.partition(0)), heads.keySet());
        assertEquals(Map.of(), storage.log().heads(List.of()));
    }

    // ---- append and read ----

    @Test
    void appendedRecordsReadBackWithEveryField() {
        TopicIdPartition tp = createTopic(1).partition(0);
        List<Header> headers = List.of(new Header("trace", bytes("abc")), new Header("null-value", null),
                new Header("empty", new byte[0]), new Header("trace", bytes("repeated key")),
                new Header("unicode \u00e9\u4e2d", new byte[]{0, (byte) 0xff, (byte) 0x80}));
        AppendBatch plain = plainBatch(
                new LogRecord(1_700_000_000_000L, bytes("key"), bytes("value"), headers),
                new LogRecord(1_700_000_000_001L, null, bytes("null key"), List.of()),
                new LogRecord(1_700_000_000_002L, bytes("tombstone"), null, List.of()),
                new LogRecord(1_700_000_000_003L, new byte[0], new byte[0], List.of()),
                new LogRecord(-1L, null, null, List.of(new Header("only", null))),
                new LogRecord(Long.MAX_VALUE, new byte[]{0, 1, 2, (byte) 0xfe}, new byte[300], List.of()));
        AppendBatch idempotent = new AppendBatch(new ProducerStamp(4711L, (short) 3, Integer.MAX_VALUE - 1),
                new BatchAttributes(Compression.ZSTD, TimestampType.LOG_APPEND_TIME, true, false),
                List.of(record(5, "a", "b"), record(6, "c", "d"), record(7, "e", "f")), 200);
        AppendBatch control = new AppendBatch(new ProducerStamp(4711L, (short) 3, ProducerStamp.NO_SEQUENCE),
                new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true),
                List.of(new LogRecord(8, new byte[]{0, 0, 0, 1}, new byte[]{0, 0, 0, 0, 0, 0}, List.of())), 70);

        long first = append(tp, plain);
        long second = append(tp, idempotent);
        long third = append(tp, control);

        assertEquals(0, first);
        assertEquals(6, second);
        assertEquals(9, third);
        List<StoredRecord> expected = new ArrayList<>(stored(plain, 0));
        expected.addAll(stored(idempotent, 6));
        expected.addAll(stored(control, 9));
        assertEquals(expected, readAll(tp));
        // the sequence wraps past Integer.MAX_VALUE as Kafka's does
        assertEquals(List.of(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0),
                readAll(tp).subList(6, 9).stream().map(StoredRecord::sequence).toList());
        // the transactional batch opened a transaction at 6: the last stable offset stays there until the
        // storage transaction that writes its marker sets it (AppendTransaction#setLastStableOffset)
        assertEquals(new PartitionHead(0, 10, 6), head(tp));
    }

    @Test
    void aMarkersTransactionMovesTheLastStableOffsetAndRemembersAbortedTransactions() {
        TopicIdPartition tp = createTopic(1).partition(0);
        AppendBatch txn = new AppendBatch(new ProducerStamp(5L, (short) 0, 0),
                new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, false),
                List.of(record(1, "a", "b"), record(2, "c", "d")), 100);
        append(tp, plainBatch(record(0, "x", "y")));
        append(tp, txn);
        append(tp, plainBatch(record(3, "x", "y")));
        assertEquals(new PartitionHead(0, 4, 1), head(tp));
        AppendBatch marker = new AppendBatch(new ProducerStamp(5L, (short) 0, ProducerStamp.NO_SEQUENCE),
                new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true),
                List.of(new LogRecord(8, new byte[]{0, 0, 0, 0}, new byte[]{0, 0, 0, 0, 0, 0}, List.of())), 70);
        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            tx.append(tp, 4, marker);
            tx.addAbortedTransaction(tp, new AbortedTransaction(5L, 1, 4));
            tx.setLastStableOffset(tp, 5);
            return null;
        });
        assertEquals(PartitionHead.of(0, 5), head(tp));
        assertEquals(List.of(new AbortedTransaction(5L, 1, 4)),
                storage.log().abortedTransactions(tp, 0, 5));
        assertEquals(List.of(), storage.log().abortedTransactions(tp, 5, 6));
    }

    @Test
    void appendReturnsTheWorksResultAndMovesTheHighWatermark() {
        TopicIdPartition tp = createTopic(1).partition(0);

        String result = storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp);
            assertEquals(PartitionHead.empty(), head);
            tx.append(tp, 0, plainBatch("v", 3));
            return "done";
        });

        assertEquals("done", result);
        assertEquals(new PartitionHead(0, 3, 3), head(tp));
    }

    @Test
    void offsetsAreContiguousAcrossTransactions() {
        TopicIdPartition tp = createTopic(1).partition(0);
        for (int i = 0; i < 5; i++) {
            append(tp, plainBatch("tx" + i, i + 1));
        }
        assertOffsetRange(0, 15, readAll(tp));
        assertEquals(15, head(tp).highWatermark());
    }

    @Test
    void oneTransactionAppendsSeveralBatchesToSeveralPartitions() {
        Topic topic = createTopic(3);
        TopicIdPartition p0 = topic.partition(0);
        TopicIdPartition p2 = topic.partition(2);
        append(p2, plainBatch("before", 2));
        AppendBatch a = plainBatch("a", 2);
        AppendBatch b = plainBatch("b", 3);
        AppendBatch c = plainBatch("c", 1);

        storage.log().append(tx -> {
            Map<TopicIdPartition, PartitionHead> heads = tx.lockHeads(new TreeSet<>(List.of(p2, p0)));
            assertEquals(Set.of(p0, p2), heads.keySet());
            tx.append(p0, 0, a);
            tx.append(p0, 2, b);
            tx.append(p2, heads.get(p2).highWatermark(), c);
            return null;
        });

        List<StoredRecord> expected0 = new ArrayList<>(stored(a, 0));
        expected0.addAll(stored(b, 2));
        assertEquals(expected0, readAll(p0));
        assertEquals(stored(c, 2), readAll(p2).subList(2, 3));
        assertEquals(3, head(p2).highWatermark());
        assertEquals(0, head(topic.partition(1)).highWatermark());
    }

    @Test
    void lockHeadsLeavesOutPartitionsThatDoNotExist() {
        Topic topic = createTopic(1);
        TopicIdPartition missing = new TopicIdPartition(UUID.randomUUID(), 0);
        Map<TopicIdPartition, PartitionHead> heads = storage.log().append(
                tx -> tx.lockHeads(new TreeSet<>(List.of(topic.partition(0), topic.partition(1), missing))));
        assertEquals(Set.of(topic.partition(0)), heads.keySet());
    }

    @Test
    void appendToAPartitionThatIsNotLockedIsRefused() {
        TopicIdPartition tp = createTopic(1).partition(0);
        assertThrows(IllegalStateException.class, () -> storage.log().append(tx -> {
            tx.append(tp, 0, plainBatch("x", 1));
            return null;
        }));
        assertEquals(PartitionHead.empty(), head(tp));
    }

    @Test
    void appendBelowTheHighWatermarkIsRefusedAndStoresNothing() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch("first", 2));

        assertThrows(IllegalStateException.class, () -> storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            tx.append(tp, 1, plainBatch("overlap", 1));
            return null;
        }));

        assertEquals(2, head(tp).highWatermark());
        assertEquals(stored(plainBatch("first", 2), 0), readAll(tp));
    }

    @Test
    void failedTransactionStoresNothing() {
        Topic topic = createTopic(2);
        TopicIdPartition p0 = topic.partition(0);
        TopicIdPartition p1 = topic.partition(1);
        append(p0, plainBatch("kept", 1));
        RuntimeException boom = new IllegalArgumentException("the work failed");

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> storage.log().append(tx -> {
            Map<TopicIdPartition, PartitionHead> heads = tx.lockHeads(new TreeSet<>(List.of(p0, p1)));
            tx.append(p0, heads.get(p0).highWatermark(), plainBatch("lost", 3));
            tx.append(p1, 0, plainBatch("lost", 2));
            tx.saveProducerState(p1, ProducerPartitionState.empty(99L)
                    .withBatch((short) 0, new BatchMetadata(0, 1, 0, 1, 5), false));
            throw boom;
        }));

        assertSame(boom, thrown, "the work's exception propagates unchanged");
        assertEquals(PartitionHead.of(0, 1), head(p0));
        assertEquals(PartitionHead.empty(), head(p1));
        assertEquals(stored(plainBatch("kept", 1), 0), readAll(p0));
        assertEquals(List.of(), storage.log().read(p1, 0, 10, Integer.MAX_VALUE, true));
        assertEquals(Map.of(), storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(p1)));
            return tx.producerStates(99L, List.of(p1));
        }));
        // and the partitions are not left locked
        assertEquals(1, append(p0, plainBatch("after", 1)));
        assertEquals(0, append(p1, plainBatch("after", 1)));
    }

    @Test
    void concurrentAppendsToOnePartitionGetContiguousOffsets() throws Exception {
        TopicIdPartition tp = createTopic(1).partition(0);
        int threads = 8;
        int transactions = 50;
        int perBatch = 2;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Long>>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                String thread = "t" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<Long> bases = new ArrayList<>();
                    for (int i = 0; i < transactions; i++) {
                        bases.add(append(tp, plainBatch(thread + "-" + i, perBatch)));
                    }
                    return bases;
                }));
            }
            start.countDown();
            List<Long> bases = new ArrayList<>();
            for (Future<List<Long>> f : futures) {
                bases.addAll(f.get());
            }
            Collections.sort(bases);
            assertEquals(threads * transactions, bases.size());
            for (int i = 0; i < bases.size(); i++) {
                assertEquals((long) i * perBatch, bases.get(i), "every transaction got its own range, no gaps, no overlaps");
            }
        }
        int total = threads * transactions * perBatch;
        List<StoredRecord> all = readAll(tp);
        assertOffsetRange(0, total, all);
        assertEquals(total, head(tp).highWatermark());
        Set<String> values = new HashSet<>();
        for (int i = 0; i < total; i += perBatch) {
            String firstOfBatch = new String(all.get(i).value());
            assertTrue(firstOfBatch.endsWith("-0"), "a batch starts at " + i + ": " + firstOfBatch);
            String batch = firstOfBatch.substring(0, firstOfBatch.length() - 2);
            assertEquals(batch + "-1", new String(all.get(i + 1).value()), "a batch's records are adjacent");
            assertTrue(values.add(batch), "each batch stored once: " + batch);
        }
    }

    @Test
    void transactionsOverTheSamePartitionsInOppositeOrdersDoNotDeadlock() throws Exception {
        Topic first = createTopic(2);
        Topic second = createTopic(1);
        List<TopicIdPartition> forward = List.of(first.partition(0), first.partition(1), second.partition(0));
        List<TopicIdPartition> backward = forward.reversed();
        int rounds = 30;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<?>> futures = new ArrayList<>();
            for (List<TopicIdPartition> order : List.of(forward, backward, forward, backward)) {
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rounds; i++) {
                        storage.log().append(tx -> {
                            // the set is built in this order, the appends happen in this order
                            TreeSet<TopicIdPartition> lockSet = new TreeSet<>();
                            order.forEach(lockSet::add);
                            Map<TopicIdPartition, PartitionHead> heads = tx.lockHeads(lockSet);
                            for (TopicIdPartition tp : order) {
                                tx.append(tp, heads.get(tp).highWatermark(), plainBatch("r", 1));
                                Thread.yield();
                            }
                            return null;
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(); // a deadlock would surface as a storage exception here
            }
        }
        for (TopicIdPartition tp : forward) {
            assertEquals(4 * rounds, head(tp).highWatermark(), "all appends to " + tp);
        }
    }

    // ---- read limits ----

    @Test
    void readReturnsTheOffsetRangeAskedFor() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch("a", 4));
        append(tp, plainBatch("b", 4));

        assertEquals(List.of(3L, 4L, 5L), offsets(storage.log().read(tp, 3, 6, Integer.MAX_VALUE, false)));
        assertEquals(List.of(7L), offsets(storage.log().read(tp, 7, 100, Integer.MAX_VALUE, false)));
        assertEquals(List.of(), storage.log().read(tp, 5, 5, Integer.MAX_VALUE, true));
        assertEquals(List.of(), storage.log().read(tp, 8, 20, Integer.MAX_VALUE, true));
        assertEquals(List.of(), storage.log().read(new TopicIdPartition(UUID.randomUUID(), 0), 0, 10, 1000, true));
    }

    @Test
    void readStopsBeforeTheRecordThatWouldExceedTheByteBudget() {
        TopicIdPartition tp = createTopic(1).partition(0);
        AppendBatch batch = plainBatch("v", 5);
        append(tp, batch);
        int size = stored(batch, 0, 0).payloadSize();
        for (int i = 1; i < 5; i++) {
            assertEquals(size, stored(batch, i, 0).payloadSize(), "same-sized records");
        }

        assertEquals(List.of(0L, 1L), offsets(storage.log().read(tp, 0, 5, 2 * size, false)), "exactly two fit");
        assertEquals(List.of(0L), offsets(storage.log().read(tp, 0, 5, 2 * size - 1, false)), "one byte short of two");
        assertEquals(List.of(2L, 3L, 4L), offsets(storage.log().read(tp, 2, 5, 100 * size, false)));
    }

    @Test
    void readReturnsOneRecordOverTheBudgetOnlyWhenAskedForAtLeastOne() {
        TopicIdPartition tp = createTopic(1).partition(0);
        AppendBatch batch = plainBatch(new LogRecord(1, null, new byte[1000], List.of()), record(2, null, "small"));
        append(tp, batch);

        assertEquals(List.of(), storage.log().read(tp, 0, 2, 500, false));
        assertEquals(List.of(stored(batch, 0, 0)), storage.log().read(tp, 0, 2, 500, true));
        assertEquals(List.of(stored(batch, 0, 0)), storage.log().read(tp, 0, 2, 0, true));
        assertEquals(List.of(), storage.log().read(tp, 0, 2, 0, false));
    }

    @Test
    void appendAboveTheHighWatermarkLeavesAGapThatReadsSkip() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch("a", 2));
        AppendBatch later = plainBatch("b", 2);

        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            tx.append(tp, 10, later);
            return null;
        });

        assertEquals(PartitionHead.of(0, 12), head(tp));
        assertEquals(List.of(0L, 1L, 10L, 11L), offsets(storage.log().read(tp, 0, 12, Integer.MAX_VALUE, false)));
        assertEquals(stored(later, 10), storage.log().read(tp, 2, 12, Integer.MAX_VALUE, false));
        assertEquals(List.of(1L, 10L), offsets(storage.log().read(tp, 1, 11, Integer.MAX_VALUE, false)));
        int size = stored(later, 0, 10).payloadSize();
        assertEquals(List.of(10L), offsets(storage.log().read(tp, 2, 12, size, false)), "the budget counts records, not offsets");
        assertEquals(12, append(tp, plainBatch("c", 1)));
    }

    @Test
    void largeReadsStreamInOffsetOrder() {
        TopicIdPartition tp = createTopic(1).partition(0);
        for (int b = 0; b < 5; b++) {
            LogRecord[] records = new LogRecord[1000];
            for (int i = 0; i < records.length; i++) {
                records[i] = record(i, null, String.format("bulk-%d-%04d", b, i)); // all the same size
            }
            append(tp, plainBatch(records));
        }
        List<StoredRecord> all = storage.log().read(tp, 0, 5000, Integer.MAX_VALUE, false);
        assertOffsetRange(0, 5000, all);
        assertEquals("bulk-3-0456", new String(all.get(3456).value()));
        int size = all.getFirst().payloadSize();
        assertOffsetRange(100, 2600, storage.log().read(tp, 100, 5000, 2500 * size + size - 1, false));
    }

    // ---- producer state ----

    @Test
    void producerStateIsSavedAndLoaded() {
        Topic topic = createTopic(2);
        TopicIdPartition p0 = topic.partition(0);
        TopicIdPartition p1 = topic.partition(1);
        ProducerPartitionState state = ProducerPartitionState.empty(42L);
        for (int i = 0; i < 7; i++) {
            state = state.withBatch((short) 2, new BatchMetadata(i * 10, i * 10 + 9, i * 100L, i * 100L + 9, 1000L + i),
                    i == 5);
        }
        assertEquals(ProducerPartitionState.BATCHES_TO_RETAIN, state.recentBatches().size());
        assertEquals(500L, state.currentTxnFirstOffset());
        ProducerPartitionState saved = state;
        ProducerPartitionState other = ProducerPartitionState.empty(43L)
                .withBatch((short) 0, new BatchMetadata(0, 0, 7, 7, -1), false);

        Map<TopicIdPartition, ProducerPartitionState> seenInside = storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(p0, p1)));
            tx.saveProducerState(p0, saved);
            tx.saveProducerState(p1, other);
            return tx.producerStates(42L, List.of(p0, p1));
        });
        assertEquals(Map.of(p0, saved), seenInside, "a transaction sees the states it saved");

        Map<TopicIdPartition, ProducerPartitionState> loaded = storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(p0, p1)));
            return tx.producerStates(42L, List.of(p0, p1));
        });
        assertEquals(Map.of(p0, saved), loaded, "only p0 knows producer 42");
        assertEquals(Map.of(p1, other), reopen().log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(p0, p1)));
            return tx.producerStates(43L, List.of(p0, p1));
        }));
        assertEquals(Map.of(), storage.log().append(tx -> tx.producerStates(44L, List.of(p0, p1))));
    }

    @Test
    void savingProducerStateAgainReplacesIt() {
        TopicIdPartition tp = createTopic(1).partition(0);
        ProducerPartitionState v1 = ProducerPartitionState.empty(7L)
                .withBatch((short) 0, new BatchMetadata(0, 4, 0, 4, 10), false);
        ProducerPartitionState v2 = v1.withBatch((short) 1, new BatchMetadata(0, 0, 5, 5, 20), false)
                .withTransactionEnded((short) 1, 30);
        for (ProducerPartitionState s : List.of(v1, v2)) {
            storage.log().append(tx -> {
                tx.lockHeads(new TreeSet<>(List.of(tp)));
                tx.saveProducerState(tp, s);
                return null;
            });
        }
        assertEquals(Map.of(tp, v2), storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            return tx.producerStates(7L, List.of(tp));
        }));
    }

    @Test
    void savingProducerStateOnAnUnlockedPartitionIsRefused() {
        TopicIdPartition tp = createTopic(1).partition(0);
        assertThrows(IllegalStateException.class, () -> storage.log().append(tx -> {
            tx.saveProducerState(tp, ProducerPartitionState.empty(1L));
            return null;
        }));
    }

    // ---- timestamps ----

    /**
     * Offsets and timestamps: batch 0-2 [100, 300, 200], batch 3-5 [150, 250, 400], batch 6-7 [50,
     * 400], batch 8-10 [450, 500, 100].
     */
    private TopicIdPartition partitionWithTimestamps() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch(record(100, null, "0"), record(300, null, "1"), record(200, null, "2")));
        append(tp, plainBatch(record(150, null, "3"), record(250, null, "4"), record(400, null, "5")));
        append(tp, plainBatch(record(50, null, "6"), record(400, null, "7")));
        append(tp, plainBatch(record(450, null, "8"), record(500, null, "9"), record(100, null, "10")));
        return tp;
    }

    @Test
    void firstAtOrAfterFindsTheLowestOffsetWithATimestampAtLeastTheOneAsked() {
        TopicIdPartition tp = partitionWithTimestamps();
        assertEquals(at(0, 100), storage.log().firstAtOrAfter(tp, Long.MIN_VALUE, 11));
        assertEquals(at(0, 100), storage.log().firstAtOrAfter(tp, 100, 11));
        assertEquals(at(1, 300), storage.log().firstAtOrAfter(tp, 101, 11));
        assertEquals(at(1, 300), storage.log().firstAtOrAfter(tp, 300, 11));
        assertEquals(at(5, 400), storage.log().firstAtOrAfter(tp, 301, 11));
        assertEquals(at(8, 450), storage.log().firstAtOrAfter(tp, 401, 11));
        assertEquals(at(9, 500), storage.log().firstAtOrAfter(tp, 451, 11));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 501, 11));
    }

    @Test
    void firstAtOrAfterLooksOnlyBelowTheEndOffset() {
        TopicIdPartition tp = partitionWithTimestamps();
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 301, 5));
        assertEquals(at(5, 400), storage.log().firstAtOrAfter(tp, 301, 6));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 201, 1));
        assertEquals(at(1, 300), storage.log().firstAtOrAfter(tp, 200, 2));
        assertEquals(at(0, 100), storage.log().firstAtOrAfter(tp, 60, 1));
        assertEquals(at(8, 450), storage.log().firstAtOrAfter(tp, 420, 9));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 420, 8));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 0, 0));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(new TopicIdPartition(UUID.randomUUID(), 0), 0, 10));
    }

    @Test
    void maxTimestampFindsTheLargestTimestampBelowTheEndAndItsLowestOffset() {
        TopicIdPartition tp = partitionWithTimestamps();
        assertEquals(at(9, 500), storage.log().maxTimestamp(tp, 11));
        assertEquals(at(8, 450), storage.log().maxTimestamp(tp, 9), "the end cuts through the batch holding 500");
        assertEquals(at(5, 400), storage.log().maxTimestamp(tp, 8), "400 at 5 and 7: the lower offset");
        assertEquals(at(5, 400), storage.log().maxTimestamp(tp, 6));
        assertEquals(at(1, 300), storage.log().maxTimestamp(tp, 5), "the end cuts through the batch holding 400");
        assertEquals(at(1, 300), storage.log().maxTimestamp(tp, 2));
        assertEquals(at(0, 100), storage.log().maxTimestamp(tp, 1));
        assertEquals(Optional.empty(), storage.log().maxTimestamp(tp, 0));
        assertEquals(Optional.empty(), storage.log().maxTimestamp(createTopic(1).partition(0), 10));
        assertEquals(Optional.empty(), storage.log().maxTimestamp(new TopicIdPartition(UUID.randomUUID(), 0), 10));
    }

    private static Optional<OffsetAndTimestamp> at(long offset, long timestamp) {
        return Optional.of(new OffsetAndTimestamp(offset, timestamp));
    }
}
