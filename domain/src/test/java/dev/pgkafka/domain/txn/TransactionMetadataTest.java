package dev.pgkafka.domain.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.TopicIdPartition;

class TransactionMetadataTest {
    private static final int MAX_TIMEOUT = 900_000;
    private static final TopicIdPartition P0 = new TopicIdPartition(new UUID(1, 1), 0);
    private static final TopicIdPartition P1 = new TopicIdPartition(new UUID(1, 1), 1);
    private final AtomicLong ids = new AtomicLong(100);

    private TransactionMetadata init(TransactionMetadata current, long now) {
        Transition t = TransactionMetadata.initProducerId(current, "tx", 60_000, -1, (short) -1, MAX_TIMEOUT, now,
                ids::getAndIncrement);
        assertTrue(t.accepted(), t.toString());
        return t.next();
    }

    private static TransactionMetadata accept(Transition t) {
        assertEquals(ErrorCode.NONE, t.error(), t.toString());
        return t.next();
    }

    @Test
    void aNewIdGetsAProducerIdAtEpochZeroAndEachInitBumpsTheEpoch() {
        TransactionMetadata first = init(null, 1);
        assertEquals(100, first.producerId());
        assertEquals(0, first.producerEpoch());
        assertEquals(TransactionState.EMPTY, first.state());
        TransactionMetadata second = init(first, 2);
        assertEquals(100, second.producerId());
        assertEquals(1, second.producerEpoch());
    }

    @Test
    void theLastEpochMovesToANewProducerId() {
        TransactionMetadata old = new TransactionMetadata("tx", 7, (short) (TransactionMetadata.MAX_EPOCH - 1), 60_000,
                TransactionState.COMPLETE_COMMIT, new TreeSet<>(), new TreeSet<>(), -1, 0);
        TransactionMetadata next = init(old, 1);
        assertEquals(100, next.producerId());
        assertEquals(0, next.producerEpoch());
    }

    @Test
    void aRetriedBumpThatTheProducerAskedForGetsTheSameAnswerAndAnOlderClaimIsFenced() {
        TransactionMetadata done = new TransactionMetadata("tx", 7, (short) 3, 60_000, TransactionState.COMPLETE_ABORT,
                new TreeSet<>(), new TreeSet<>(), -1, 0);
        // the producer bumps its own epoch (KIP-360) and loses the answer
        TransactionMetadata bumped = accept(TransactionMetadata.initProducerId(done, "tx", 60_000, 7, (short) 3,
                MAX_TIMEOUT, 1, ids::getAndIncrement));
        assertEquals(4, bumped.producerEpoch());
        Transition retry = TransactionMetadata.initProducerId(bumped, "tx", 60_000, 7, (short) 3, MAX_TIMEOUT, 2,
                ids::getAndIncrement);
        assertEquals(ErrorCode.NONE, retry.error());
        assertEquals(4, retry.next().producerEpoch(), "the retry is answered with the epoch of the first answer");
        assertEquals(ErrorCode.PRODUCER_FENCED, TransactionMetadata.initProducerId(bumped, "tx", 60_000, 7, (short) 2,
                MAX_TIMEOUT, 2, ids::getAndIncrement).error());
        // once a transaction started, the earlier claim is no retry any more
        TransactionMetadata ongoing = accept(bumped.addPartitions(7, (short) 4, Set.of(P0), 3));
        assertFalse(ongoing.isInitProducerIdRetry(7, (short) 3));
    }

    @Test
    void aBumpByANewProducerCannotBeClaimedByTheOldOne() {
        TransactionMetadata done = new TransactionMetadata("tx", 7, (short) 3, 60_000, TransactionState.COMPLETE_COMMIT,
                new TreeSet<>(), new TreeSet<>(), -1, 0);
        TransactionMetadata newProducer = init(done, 1);
        assertEquals(4, newProducer.producerEpoch());
        // the zombie at epoch 3 tries to bump its own epoch: fenced, not taken for a retry
        assertEquals(ErrorCode.PRODUCER_FENCED, TransactionMetadata.initProducerId(newProducer, "tx", 60_000, 7, (short) 3,
                MAX_TIMEOUT, 2, ids::getAndIncrement).error());
    }

    @Test
    void timeoutsOutsideTheBrokersRangeAreRefused() {
        assertEquals(ErrorCode.INVALID_TRANSACTION_TIMEOUT, TransactionMetadata.initProducerId(null, "tx", MAX_TIMEOUT + 1,
                -1, (short) -1, MAX_TIMEOUT, 0, ids::getAndIncrement).error());
        assertEquals(ErrorCode.INVALID_TRANSACTION_TIMEOUT, TransactionMetadata.initProducerId(null, "tx", 0,
                -1, (short) -1, MAX_TIMEOUT, 0, ids::getAndIncrement).error());
    }

    @Test
    void aCommitGoesThroughOngoingAndPrepareCommitToCompleteCommit() {
        TransactionMetadata m = init(null, 0);
        m = accept(m.addPartitions(m.producerId(), m.producerEpoch(), List.of(P0), 10));
        assertEquals(TransactionState.ONGOING, m.state());
        assertEquals(10, m.startTimestamp());
        m = accept(m.addPartitions(m.producerId(), m.producerEpoch(), List.of(P1), 20));
        assertEquals(10, m.startTimestamp(), "the transaction started with its first partition");
        assertEquals(List.of(P0, P1), List.copyOf(m.partitions()));
        Transition again = m.addPartitions(m.producerId(), m.producerEpoch(), List.of(P0), 30);
        assertFalse(again.changed());
        assertSame(m, again.next());

        m = accept(m.endTransaction(m.producerId(), m.producerEpoch(), true, 40));
        assertEquals(TransactionState.PREPARE_COMMIT, m.state());
        assertEquals(ControlRecordType.COMMIT, m.marker().type());
        m = accept(m.complete(50));
        assertEquals(TransactionState.COMPLETE_COMMIT, m.state());
        assertTrue(m.partitions().isEmpty());
        assertEquals(-1, m.startTimestamp());
    }

    @Test
    void endTxnErrorsAreKafkas() {
        TransactionMetadata empty = init(null, 0);
        long pid = empty.producerId();
        short epoch = empty.producerEpoch();
        assertEquals(ErrorCode.INVALID_TXN_STATE, empty.endTransaction(pid, epoch, true, 1).error());
        TransactionMetadata ongoing = accept(empty.addPartitions(pid, epoch, List.of(P0), 1));
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING, ongoing.endTransaction(pid + 1, epoch, true, 2).error());
        assertEquals(ErrorCode.PRODUCER_FENCED, ongoing.endTransaction(pid, (short) (epoch - 1), true, 2).error());
        TransactionMetadata prepare = accept(ongoing.endTransaction(pid, epoch, true, 2));
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, prepare.endTransaction(pid, epoch, true, 3).error());
        assertEquals(ErrorCode.INVALID_TXN_STATE, prepare.endTransaction(pid, epoch, false, 3).error());
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, prepare.addPartitions(pid, epoch, List.of(P1), 3).error());
        TransactionMetadata complete = accept(prepare.complete(4));
        Transition retry = complete.endTransaction(pid, epoch, true, 5);
        assertEquals(ErrorCode.NONE, retry.error());
        assertFalse(retry.changed());
        assertEquals(ErrorCode.INVALID_TXN_STATE, complete.endTransaction(pid, epoch, false, 5).error());
        assertEquals(ErrorCode.CONCURRENT_TRANSACTIONS, TransactionMetadata.initProducerId(ongoing, "tx", 60_000, -1,
                (short) -1, MAX_TIMEOUT, 5, ids::getAndIncrement).error());
    }

    @Test
    void transactionVersion2BumpsTheEpochWithEveryEndTxnAndAcceptsARetryOfTheOldOne() {
        TransactionMetadata m = init(null, 0);
        long pid = m.producerId();
        short epoch = m.producerEpoch();
        m = accept(m.addPartitions(pid, epoch, List.of(P0), 1));
        TransactionMetadata prepare = accept(m.endTransaction(pid, epoch, true, 2, true));
        assertEquals(TransactionState.PREPARE_COMMIT, prepare.state());
        assertEquals(epoch + 1, prepare.producerEpoch(), "the markers carry the new epoch");
        assertEquals(List.of(P0), List.copyOf(prepare.partitions()));
        TransactionMetadata done = accept(prepare.complete(3));
        Transition retry = done.endTransaction(pid, epoch, true, 4, true);
        assertEquals(ErrorCode.NONE, retry.error());
        assertFalse(retry.changed());
        assertEquals(ErrorCode.PRODUCER_FENCED, done.endTransaction(pid, epoch, false, 4, true).error(),
                "the old epoch's opposite decision is no retry");
        assertEquals(ErrorCode.PRODUCER_FENCED, done.endTransaction(pid, (short) (epoch - 1), true, 4, true).error());
        assertEquals(ErrorCode.INVALID_PRODUCER_EPOCH, done.verifyProduce(pid, epoch, P0));
        // aborting with nothing open bumps the epoch too (the client's recovery from an abortable error)
        TransactionMetadata emptyAbort = accept(done.endTransaction(pid, (short) (epoch + 1), false, 5, true));
        assertEquals(epoch + 2, emptyAbort.producerEpoch());
        assertTrue(emptyAbort.partitions().isEmpty());
        assertEquals(ErrorCode.INVALID_TXN_STATE, done.endTransaction(pid, (short) (epoch + 1), true, 5, true).error());
    }

    @Test
    void aFenceAbortsWithTheEpochBumpedAndTheOldEpochIsRefusedAfterwards() {
        TransactionMetadata m = init(null, 0);
        short epoch = m.producerEpoch();
        m = accept(m.addPartitions(m.producerId(), epoch, List.of(P0), 0));
        assertFalse(m.timedOut(60_000));
        assertTrue(m.timedOut(60_001));
        TransactionMetadata fenced = accept(m.prepareFence(60_001));
        assertEquals(TransactionState.PREPARE_ABORT, fenced.state());
        assertEquals(epoch + 1, fenced.producerEpoch());
        assertEquals(ControlRecordType.ABORT, fenced.marker().type());
        TransactionMetadata aborted = accept(fenced.complete(60_002));
        assertEquals(ErrorCode.PRODUCER_FENCED, aborted.endTransaction(aborted.producerId(), epoch, true, 1).error());
        assertEquals(ErrorCode.PRODUCER_FENCED, aborted.addPartitions(aborted.producerId(), epoch, List.of(P0), 1).error());
        assertEquals(ErrorCode.INVALID_PRODUCER_EPOCH, aborted.verifyProduce(aborted.producerId(), epoch, P0));
        assertEquals(ErrorCode.INVALID_TXN_STATE, aborted.prepareFence(1).error(), "only ongoing transactions are fenced");
    }

    @Test
    void produceIsVerifiedAgainstTheTransactionsPartitions() {
        TransactionMetadata m = init(null, 0);
        long pid = m.producerId();
        short epoch = m.producerEpoch();
        assertEquals(ErrorCode.INVALID_TXN_STATE, m.verifyProduce(pid, epoch, P0));
        m = accept(m.addPartitions(pid, epoch, List.of(P0), 0));
        assertEquals(ErrorCode.NONE, m.verifyProduce(pid, epoch, P0));
        assertEquals(ErrorCode.INVALID_TXN_STATE, m.verifyProduce(pid, epoch, P1));
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING, m.verifyProduce(pid + 1, epoch, P0));
    }

    @Test
    void idleIdsExpireOnlyWhenNoTransactionIsOpen() {
        TransactionMetadata m = init(null, 0);
        assertTrue(m.expired(1001, 1000));
        assertFalse(m.expired(1000, 1000));
        TransactionMetadata ongoing = accept(m.addPartitions(m.producerId(), m.producerEpoch(), List.of(P0), 0));
        assertFalse(ongoing.expired(10_000, 1000));
    }

    @Test
    void markersHaveKafkasLayout() {
        TransactionMarker commit = new TransactionMarker(ControlRecordType.COMMIT, 5);
        assertArrayEquals(new byte[] {0, 0, 0, 1}, commit.key());
        assertArrayEquals(new byte[] {0, 0, 0, 0, 0, 5}, commit.value());
        assertEquals(commit, TransactionMarker.parse(commit.key(), commit.value()));
        TransactionMarker abort = new TransactionMarker(ControlRecordType.ABORT, 0);
        assertArrayEquals(new byte[] {0, 0, 0, 0}, abort.key());
        assertThrows(IllegalArgumentException.class, () -> TransactionMarker.parse(new byte[] {0, 0, 0, 7}, abort.value()));
    }

    @Test
    void statesHaveKafkasNames() {
        assertEquals(TransactionState.PREPARE_COMMIT, TransactionState.fromKafkaName("PrepareCommit").orElseThrow());
        assertEquals(TransactionState.ONGOING, TransactionState.fromKafkaName("ongoing").orElseThrow());
        assertTrue(TransactionState.fromKafkaName("Running").isEmpty());
    }

    @Test
    void theLastStableOffsetIsTheOldestOpenTransactionOrTheHighWatermark() {
        assertEquals(10, LastStableOffset.of(10, List.of()));
        assertEquals(3, LastStableOffset.of(10, List.of(7L, 3L)));
        // stable partition: a plain batch moves it, a transactional one opens a transaction at its base
        assertEquals(15, LastStableOffset.afterAppend(10, 10, false, 15));
        assertEquals(10, LastStableOffset.afterAppend(10, 10, true, 15));
        // with an open transaction the LSO stays
        assertEquals(4, LastStableOffset.afterAppend(4, 10, false, 15));
    }

    @Test
    void abortedTransactionsOverlapFetchesAsKafkasIndexDoes() {
        AbortedTransaction a = new AbortedTransaction(1, 5, 9);
        assertTrue(a.overlaps(0, 6));
        assertTrue(a.overlaps(9, 20));
        assertFalse(a.overlaps(10, 20), "the marker is below the fetch");
        assertFalse(a.overlaps(0, 5), "the transaction starts after the fetched records");
        assertThrows(IllegalArgumentException.class, () -> new AbortedTransaction(1, 9, 5));
    }
}
