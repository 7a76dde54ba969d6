package dev.pgkafka.adapter.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.pgkafka.adapter.postgres.testing.PostgresTestDatabase;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/**
 * The transaction tables against a real PostgreSQL: coordinator state round trips, the last stable
 * offset, the aborted-transaction index, transactional offsets moving to committed offsets with the
 * marker's transaction, and nothing of a failed append transaction staying behind.
 */
class PostgresTransactionsTest {
    @RegisterExtension
    static final PostgresTestDatabase DB = new PostgresTestDatabase();

    private static final BatchAttributes TXN = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, false);
    private static final BatchAttributes MARKER = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true);

    private PostgresStorage storage;
    private TopicIdPartition tp;

    @BeforeEach
    void open() {
        storage = PostgresStorage.open(DB.jdbcUrl(), 4);
        Topic topic = new Topic(UUID.randomUUID(), "txn-" + UUID.randomUUID(), 1, Map.of());
        storage.topics().create(topic).orElseThrow();
        tp = topic.partition(0);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static AppendBatch batch(long pid, short epoch, int seq, BatchAttributes attributes, int count) {
        List<LogRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new LogRecord(1000 + i, null, new byte[] {(byte) i}, List.of()));
        }
        return new AppendBatch(new ProducerStamp(pid, epoch, seq), attributes, records, 100);
    }

    /** Appends a transactional batch of {@code pid} at the high watermark, as ProduceService does. */
    private void appendTransactional(long pid, int count) {
        storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(Set.of(tp))).get(tp);
            ProducerPartitionState state = tx.producerStates(pid, List.of(tp)).getOrDefault(tp, ProducerPartitionState.empty(pid));
            AppendBatch b = batch(pid, (short) 0, state.lastSequence() + 1, TXN, count);
            tx.append(tp, head.highWatermark(), b);
            tx.saveProducerState(tp, state.withBatch((short) 0, new BatchMetadata(b.producer().baseSequence(), b.lastSequence(),
                    head.highWatermark(), head.highWatermark() + count - 1, 1000), true));
            return null;
        });
    }

    private PartitionHead head() {
        return storage.log().heads(List.of(tp)).get(tp);
    }

    @Test
    void transactionalAppendsHoldTheLastStableOffsetUntilTheMarkerMovesIt() {
        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(Set.of(tp)));
            tx.append(tp, 0, batch(-1, (short) -1, -1, BatchAttributes.PLAIN, 2));
            return null;
        });
        assertEquals(new PartitionHead(0, 2, 2), head());
        appendTransactional(7, 3); // offsets 2-4, producer 7's transaction starts at 2
        appendTransactional(8, 1); // offset 5, producer 8's at 5
        assertEquals(new PartitionHead(0, 6, 2), head());

        // producer 7 aborts: marker at 6, LSO moves to producer 8's transaction
        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(Set.of(tp)));
            Map<TopicIdPartition, Long> others = tx.oldestOpenTransactions(List.of(tp), 7);
            assertEquals(Map.of(tp, 5L), others);
            ProducerPartitionState state = tx.producerStates(7, List.of(tp)).get(tp);
            assertEquals(2, state.currentTxnFirstOffset());
            tx.append(tp, 6, batch(7, (short) 0, -1, MARKER, 1));
            tx.addAbortedTransaction(tp, new AbortedTransaction(7, 2, 6));
            tx.saveProducerState(tp, state.withTransactionEnded((short) 0, 2000));
            tx.setLastStableOffset(tp, others.get(tp));
            return null;
        });
        assertEquals(new PartitionHead(0, 7, 5), head());
        assertEquals(List.of(new AbortedTransaction(7, 2, 6)), storage.log().abortedTransactions(tp, 0, 7));
        assertEquals(List.of(), storage.log().abortedTransactions(tp, 7, 10), "the marker is below the fetch");
        assertEquals(List.of(), storage.log().abortedTransactions(tp, 0, 2), "the fetch ends before the transaction");

        // psql readers see which rows are markers
        List<String> control = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(DB.jdbcUrl());
             PreparedStatement s = c.prepareStatement(
                     "SELECT control FROM kafka.messages WHERE topic_id = ? ORDER BY \"offset\"")) {
            s.setObject(1, tp.topicId());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    control.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new AssertionError(e);
        }
        assertEquals(Arrays.asList(null, null, null, null, null, null, "ABORT"), control);

        List<ProducerPartitionState> producers = storage.log().producers(tp);
        assertEquals(List.of(7L, 8L), producers.stream().map(ProducerPartitionState::producerId).toList());
        assertEquals(-1, producers.get(0).currentTxnFirstOffset());
        assertEquals(5, producers.get(1).currentTxnFirstOffset());
    }

    @Test
    void coordinatorStateRoundTripsWithPartitionsAndGroups() {
        TransactionMetadata m = new TransactionMetadata("tx-" + UUID.randomUUID(), 42, (short) 3, 60_000,
                TransactionState.ONGOING, new TreeSet<>(Set.of(tp)), new TreeSet<>(Set.of("g1", "g2")), 1000, 2000);
        storage.transactions().save(m);
        assertTrue(storage.transactions().loadAll().contains(m));
        TransactionMetadata done = m.endTransaction(42, (short) 3, true, 3000).next().complete(4000).next();
        storage.transactions().save(done);
        assertTrue(storage.transactions().loadAll().contains(done));
        // a bump the producer asked for keeps what it replaced, for a retry (KIP-360)
        TransactionMetadata bumped = TransactionMetadata.initProducerId(done, m.transactionalId(), 60_000, 42, (short) 3,
                900_000, 5000, () -> 99).next();
        assertEquals(42, bumped.previousProducerId());
        storage.transactions().save(bumped);
        assertTrue(storage.transactions().loadAll().contains(bumped));
        storage.transactions().delete(m.transactionalId());
        assertTrue(storage.transactions().loadAll().stream().noneMatch(t -> t.transactionalId().equals(m.transactionalId())));
    }

    @Test
    void anImplicitAddIsStoredWithTheRecordsAndNeverOverwritesANewerEpoch() {
        String id = "tx-" + UUID.randomUUID();
        TransactionMetadata empty = new TransactionMetadata(id, 11, (short) 2, 60_000, TransactionState.COMPLETE_COMMIT,
                new TreeSet<>(), new TreeSet<>(), -1, 500);
        storage.transactions().save(empty);
        storage.log().append(tx -> {
            tx.addToTransaction(id, 11, (short) 2, List.of(tp), 1000);
            return null;
        });
        TransactionMetadata ongoing = loaded(id);
        assertEquals(TransactionState.ONGOING, ongoing.state());
        assertEquals(1000, ongoing.startTimestamp());
        assertEquals(List.of(tp), List.copyOf(ongoing.partitions()));
        // the same again later keeps the start time
        storage.log().append(tx -> {
            tx.addToTransaction(id, 11, (short) 2, List.of(tp), 2000);
            return null;
        });
        assertEquals(1000, loaded(id).startTimestamp());
        // a fence stored epoch 3 meanwhile: an add of epoch 2 changes nothing
        TransactionMetadata fenced = ongoing.prepareFence(3000).next();
        storage.transactions().save(fenced.complete(3001).next());
        storage.log().append(tx -> {
            tx.addToTransaction(id, 11, (short) 2, List.of(tp), 4000);
            return null;
        });
        assertEquals(TransactionState.COMPLETE_ABORT, loaded(id).state());
        assertTrue(loaded(id).partitions().isEmpty());
    }

    private TransactionMetadata loaded(String id) {
        return storage.transactions().loadAll().stream().filter(m -> m.transactionalId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void transactionalOffsetsBecomeCommittedWithTheMarkerOrAreDropped() {
        String group = "g-" + UUID.randomUUID();
        CommittedOffset offset = new CommittedOffset(17, -1, "meta", 1000, OptionalLong.empty());
        storage.offsets().commitPending(group, 7, Map.of(tp, offset));
        storage.offsets().commitPending(group, 8, Map.of(tp, new CommittedOffset(99, -1, "", 1000, OptionalLong.empty())));
        assertEquals(Set.of(tp), storage.offsets().pendingTransactionalOffsets(group));
        assertTrue(storage.offsets().fetch(group, List.of(tp)).isEmpty());

        storage.log().append(tx -> {
            tx.finishTransactionalOffsets(7, true);
            tx.finishTransactionalOffsets(8, false);
            return null;
        });
        assertEquals(Set.of(), storage.offsets().pendingTransactionalOffsets(group));
        assertEquals(17, storage.offsets().fetch(group, List.of(tp)).get(tp).offset());
        assertEquals("meta", storage.offsets().fetch(group, List.of(tp)).get(tp).metadata());
    }

    @Test
    void aFailedMarkerTransactionLeavesNothingBehind() {
        appendTransactional(9, 2);
        TransactionMetadata prepare = new TransactionMetadata("tx-" + UUID.randomUUID(), 9, (short) 0, 60_000,
                TransactionState.PREPARE_COMMIT, new TreeSet<>(Set.of(tp)), new TreeSet<>(), 1000, 2000);
        storage.transactions().save(prepare);
        assertThrows(IllegalStateException.class, () -> storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(Set.of(tp)));
            tx.append(tp, 2, batch(9, (short) 0, -1, MARKER, 1));
            tx.setLastStableOffset(tp, 3);
            tx.saveTransaction(prepare.complete(3000).next());
            throw new IllegalStateException("crash before commit");
        }));
        assertEquals(new PartitionHead(0, 2, 0), head());
        assertTrue(storage.transactions().loadAll().contains(prepare), "still PrepareCommit: recovery writes the markers");
    }
}
