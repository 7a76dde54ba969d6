package dev.pgkafka.application.service.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.port.in.InitProducerIdUseCase.ProducerIdResult;
import dev.pgkafka.application.port.in.ProduceUseCase.PartitionBatch;
import dev.pgkafka.application.port.in.ProduceUseCase.ProduceCommand;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.port.out.TransactionStorePort;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.PartitionActivity;
import dev.pgkafka.application.service.ProduceService;
import dev.pgkafka.application.service.ProducerIdService;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.TransactionMarker;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/**
 * The coordinator over the in-memory reference storage with a clock the test moves: produce
 * verification, markers and LSO, the timeout abort with its epoch bump, and completing a decided
 * transaction at start.
 */
class TransactionCoordinatorTest {
    private static final BatchAttributes TXN = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, false);

    private final InMemoryStorage storage = new InMemoryStorage();
    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TransactionStorePort store = storage.transactions();
    private final PartitionActivity activity = new PartitionActivity();
    private TopicService topics;
    private Topic topic;
    private TransactionCoordinator coordinator;
    private ProduceService produce;

    @BeforeEach
    void setUp() {
        topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
        topic = topics.create(new CreateTopicCommand("t", 1, Map.of(), false)).topic();
        coordinator = newCoordinator();
        produce = new ProduceService(topics, storage.log(), activity, clock, coordinator);
    }

    private TransactionCoordinator newCoordinator() {
        return new TransactionCoordinator(store, storage.log(), storage.producerIds(),
                new ProducerIdService(storage.producerIds()), null, activity, clock,
                new TransactionCoordinator.Settings(60_000, 604_800_000L, 1_000));
    }

    private ErrorCode send(long pid, short epoch, int sequence, int count) {
        return send(pid, epoch, sequence, count, false);
    }

    /** @param version2 Produce v12+: the batch adds its partition to the transaction (KIP-890) */
    private ErrorCode send(long pid, short epoch, int sequence, int count, boolean version2) {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new LogRecord(clock.millis(), null, new byte[] {(byte) i}, List.of()));
        }
        AppendBatch batch = new AppendBatch(new ProducerStamp(pid, epoch, sequence), TXN, records, 100);
        return produce.produce(new ProduceCommand((short) -1, "tx", List.of(new PartitionBatch("t", 0, batch)), version2))
                .partitions().getFirst().error();
    }

    private TransactionMetadata stored(String id) {
        return store.loadAll().stream().filter(m -> m.transactionalId().equals(id)).findFirst().orElseThrow();
    }

    private PartitionHead head() {
        TopicIdPartition tp = topic.partition(0);
        return storage.log().heads(List.of(tp)).get(tp);
    }

    @Test
    void aTransactionalBatchNeedsItsPartitionInTheTransactionAndTheMarkerMovesTheLso() {
        ProducerIdResult p = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        assertEquals(ErrorCode.NONE, p.error());
        assertEquals(ErrorCode.INVALID_TXN_STATE, send(p.producerId(), p.producerEpoch(), 0, 2));
        assertEquals(ErrorCode.NONE, coordinator.addPartitions("tx", p.producerId(), p.producerEpoch(),
                List.of(topic.partition(0))));
        assertEquals(ErrorCode.NONE, send(p.producerId(), p.producerEpoch(), 0, 2));
        assertEquals(new PartitionHead(0, 2, 0), head());
        assertEquals(ErrorCode.NONE, coordinator.endTransaction("tx", p.producerId(), p.producerEpoch(), true));
        assertEquals(PartitionHead.of(0, 3), head());
        StoredRecord marker = storage.log().read(topic.partition(0), 2, 3, 1000, true).getFirst();
        assertTrue(marker.attributes().control());
        assertEquals(TransactionMarker.parse(marker.key(), marker.value()).type().name(), "COMMIT");
        assertEquals(TransactionState.COMPLETE_COMMIT, stored("tx").state());
        // after the commit, the partition must be added again
        assertEquals(ErrorCode.INVALID_TXN_STATE, send(p.producerId(), p.producerEpoch(), 2, 1));
    }

    @Test
    void version2ProduceAddsThePartitionWithItsRecordsAndEndTxnBumpsTheEpoch() {
        ProducerIdResult p = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        assertEquals(ErrorCode.NONE, send(p.producerId(), p.producerEpoch(), 0, 2, true));
        TransactionMetadata stored = stored("tx");
        assertEquals(TransactionState.ONGOING, stored.state(), "stored with the records");
        assertEquals(List.of(topic.partition(0)), List.copyOf(stored.partitions()));
        assertEquals(new PartitionHead(0, 2, 0), head());

        var end = coordinator.endTransaction("tx", p.producerId(), p.producerEpoch(), true, true);
        assertEquals(ErrorCode.NONE, end.error());
        assertEquals(p.producerEpoch() + 1, end.producerEpoch());
        assertEquals(PartitionHead.of(0, 3), head());
        StoredRecord marker = storage.log().read(topic.partition(0), 2, 3, 1000, true).getFirst();
        assertEquals(end.producerEpoch(), marker.producerEpoch(), "the marker carries the new epoch");
        // the old epoch is fenced from now on; the new one starts at sequence 0
        assertEquals(ErrorCode.INVALID_PRODUCER_EPOCH, send(p.producerId(), p.producerEpoch(), 2, 1, true));
        assertEquals(ErrorCode.NONE, send(p.producerId(), end.producerEpoch(), 0, 1, true));
        assertEquals(new PartitionHead(0, 4, 3), head());
    }

    @Test
    void version2MovesToANewProducerIdWhenTheEpochsAreExhausted() {
        short last = (short) (TransactionMetadata.MAX_EPOCH - 1);
        store.save(new TransactionMetadata("old", 77, last, 10_000, TransactionState.COMPLETE_COMMIT, new TreeSet<>(),
                new TreeSet<>(), -1, clock.millis()));
        TransactionCoordinator restarted = newCoordinator();
        restarted.recover();
        produce = new ProduceService(topics, storage.log(), activity, clock, restarted);
        assertEquals(ErrorCode.NONE, send(77, last, 0, 1, true));
        var end = restarted.endTransaction("old", 77, last, true, true);
        assertEquals(ErrorCode.NONE, end.error());
        assertTrue(end.producerId() != 77, "a new producer id");
        assertEquals(0, end.producerEpoch());
        StoredRecord marker = storage.log().read(topic.partition(0), 1, 2, 1000, true).getFirst();
        assertEquals(77, marker.producerId(), "the markers still carry the old id");
        assertEquals(TransactionMetadata.MAX_EPOCH, marker.producerEpoch());
        assertEquals(ErrorCode.NONE, send(end.producerId(), end.producerEpoch(), 0, 1, true));
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING, send(77, TransactionMetadata.MAX_EPOCH, 0, 1, true));
    }

    @Test
    void aTimedOutTransactionIsAbortedWithTheEpochBumpedAndItsProducerFenced() {
        ProducerIdResult p = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        coordinator.addPartitions("tx", p.producerId(), p.producerEpoch(), List.of(topic.partition(0)));
        assertEquals(ErrorCode.NONE, send(p.producerId(), p.producerEpoch(), 0, 3));
        clock.advance(10_000);
        assertEquals(0, coordinator.runOnce(), "not past the timeout yet");
        clock.advance(1);
        assertEquals(1, coordinator.runOnce());
        assertEquals(PartitionHead.of(0, 4), head());
        assertEquals(List.of(new AbortedTransaction(p.producerId(), 0, 3)),
                storage.log().abortedTransactions(topic.partition(0), 0, 4));
        TransactionMetadata aborted = coordinator.describe("tx").orElseThrow();
        assertEquals(TransactionState.COMPLETE_ABORT, aborted.state());
        assertEquals(p.producerEpoch() + 1, aborted.producerEpoch());
        // the zombie: its produce, EndTxn and AddPartitionsToTxn are refused
        assertEquals(ErrorCode.INVALID_PRODUCER_EPOCH, send(p.producerId(), p.producerEpoch(), 3, 1));
        assertEquals(ErrorCode.PRODUCER_FENCED, coordinator.endTransaction("tx", p.producerId(), p.producerEpoch(), true));
        assertEquals(ErrorCode.PRODUCER_FENCED, coordinator.addPartitions("tx", p.producerId(), p.producerEpoch(),
                List.of(topic.partition(0))));
    }

    @Test
    void aDecidedTransactionIsCompletedAtStartAndAnOngoingOneKeepsItsStartTime() {
        ProducerIdResult p = coordinator.initProducerId("decided", 10_000, -1, (short) -1);
        coordinator.addPartitions("decided", p.producerId(), p.producerEpoch(), List.of(topic.partition(0)));
        assertEquals(ErrorCode.NONE, send(p.producerId(), p.producerEpoch(), 0, 2));
        // the broker stopped after storing the decision, before the markers
        TransactionMetadata ongoing = stored("decided");
        store.save(ongoing.endTransaction(p.producerId(), p.producerEpoch(), true, clock.millis()).next());
        store.save(new TransactionMetadata("open", 999, (short) 0, 10_000, TransactionState.ONGOING, new TreeSet<>(),
                new TreeSet<>(), clock.millis() - 5_000, clock.millis()));

        TransactionCoordinator restarted = newCoordinator();
        restarted.recover();
        assertEquals(TransactionState.COMPLETE_COMMIT, restarted.describe("decided").orElseThrow().state());
        assertEquals(PartitionHead.of(0, 3), head());
        assertEquals(TransactionState.ONGOING, restarted.describe("open").orElseThrow().state());
        clock.advance(5_001);
        assertEquals(1, restarted.runOnce(), "the open one times out 10 s after it started, not after the restart");
        assertEquals(TransactionState.COMPLETE_ABORT, restarted.describe("open").orElseThrow().state());
    }

    @Test
    void anIdleTransactionalIdIsForgottenAfterItsExpirationButNotWhileATransactionIsOpen() {
        TransactionCoordinator shortLived = new TransactionCoordinator(store, storage.log(), storage.producerIds(),
                new ProducerIdService(storage.producerIds()), null, activity, clock,
                new TransactionCoordinator.Settings(60_000, 5_000L, 1_000));
        ProducerIdResult idle = shortLived.initProducerId("idle", 50_000, -1, (short) -1);
        ProducerIdResult busy = shortLived.initProducerId("busy", 50_000, -1, (short) -1);
        shortLived.addPartitions("busy", busy.producerId(), busy.producerEpoch(), List.of(topic.partition(0)));
        clock.advance(5_001);
        shortLived.runOnce();
        assertTrue(shortLived.describe("idle").isEmpty(), "forgotten");
        assertTrue(store.loadAll().stream().noneMatch(m -> m.transactionalId().equals("idle")), "and deleted from storage");
        assertEquals(TransactionState.ONGOING, shortLived.describe("busy").orElseThrow().state());
        // a forgotten id starts over with a new producer id
        ProducerIdResult again = shortLived.initProducerId("idle", 50_000, -1, (short) -1);
        assertEquals(ErrorCode.NONE, again.error());
        assertTrue(again.producerId() != idle.producerId());
    }

    @Test
    void aLostAnswerToAProducersOwnEpochBumpIsAnsweredAgainAlsoAfterARestart() {
        ProducerIdResult first = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        // KIP-360: the producer bumps its own epoch, the answer is lost, it asks again with the same claim
        ProducerIdResult bumped = coordinator.initProducerId("tx", 10_000, first.producerId(), first.producerEpoch());
        assertEquals(ErrorCode.NONE, bumped.error());
        assertEquals(first.producerEpoch() + 1, bumped.producerEpoch());
        assertEquals(bumped, coordinator.initProducerId("tx", 10_000, first.producerId(), first.producerEpoch()));
        TransactionCoordinator restarted = newCoordinator();
        restarted.recover();
        assertEquals(bumped, restarted.initProducerId("tx", 10_000, first.producerId(), first.producerEpoch()),
                "the epoch before the bump is stored with it");
        assertEquals(ErrorCode.NONE, restarted.addPartitions("tx", bumped.producerId(), bumped.producerEpoch(),
                List.of(topic.partition(0))));
        assertEquals(ErrorCode.PRODUCER_FENCED, restarted.initProducerId("tx", 10_000, first.producerId(),
                first.producerEpoch()).error(), "once the producer went on, the old claim is a zombie's");
    }

    @Test
    void aNewProducerAbortsTheOngoingTransactionAndTimeoutsAreBounded() {
        ProducerIdResult first = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        coordinator.addPartitions("tx", first.producerId(), first.producerEpoch(), List.of(topic.partition(0)));
        assertEquals(ErrorCode.NONE, send(first.producerId(), first.producerEpoch(), 0, 1));
        ProducerIdResult second = coordinator.initProducerId("tx", 10_000, -1, (short) -1);
        assertEquals(first.producerId(), second.producerId());
        assertEquals(first.producerEpoch() + 2, second.producerEpoch(), "one bump to fence, one for the new producer");
        assertEquals(PartitionHead.of(0, 2), head());
        assertEquals(ErrorCode.INVALID_TRANSACTION_TIMEOUT, coordinator.initProducerId("tx", 60_001, -1, (short) -1).error());
        assertEquals(ErrorCode.PRODUCER_FENCED, coordinator.initProducerId("tx", 10_000, first.producerId(),
                first.producerEpoch()).error());
        assertEquals(ErrorCode.INVALID_PRODUCER_ID_MAPPING, coordinator.endTransaction("unknown", 1, (short) 0, true));
    }
}
