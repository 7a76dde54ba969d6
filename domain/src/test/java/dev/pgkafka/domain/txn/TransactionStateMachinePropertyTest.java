package dev.pgkafka.domain.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * Random request sequences from a current producer and from zombies (older epochs, wrong ids),
 * checking invariants after every step. Seeded; the seed is in every failure message.
 * <ul>
 *   <li>a request with an older epoch never changes anything;</li>
 *   <li>the epoch of an id never decreases, and a new producer id starts at epoch 0;</li>
 *   <li>only Ongoing and prepare states have partitions; a start time exactly when a transaction is open;</li>
 *   <li>an accepted EndTxn is followed by exactly the decided marker;</li>
 *   <li>a timed-out transaction aborts and fences its epoch.</li>
 * </ul>
 */
class TransactionStateMachinePropertyTest {
    private static final int SEEDS = 300;
    private static final int STEPS = 200;

    @Test
    void invariantsHoldForRandomRequestSequences() {
        for (long seed = 0; seed < SEEDS; seed++) {
            run(seed);
        }
    }

    private static void run(long seed) {
        Random random = new Random(seed);
        AtomicLong ids = new AtomicLong(random.nextInt(1000));
        List<TopicIdPartition> partitions = List.of(new TopicIdPartition(new UUID(0, 1), 0),
                new TopicIdPartition(new UUID(0, 1), 1), new TopicIdPartition(new UUID(0, 2), 0));
        long now = 0;
        TransactionMetadata m = TransactionMetadata.initProducerId(null, "t", 1000, -1, (short) -1, 900_000, now,
                ids::getAndIncrement).next();
        for (int step = 0; step < STEPS; step++) {
            String where = "seed " + seed + ", step " + step + ", " + m;
            now += random.nextInt(400);
            boolean zombie = random.nextInt(5) == 0 && m.producerEpoch() > 0;
            short epoch = zombie ? (short) (m.producerEpoch() - 1 - random.nextInt(m.producerEpoch())) : m.producerEpoch();
            long pid = random.nextInt(20) == 0 ? m.producerId() + 1 : m.producerId();
            Transition t;
            switch (random.nextInt(6)) {
                case 0 -> t = m.addPartitions(pid, epoch, List.of(partitions.get(random.nextInt(partitions.size()))), now);
                case 1 -> t = m.addGroup(pid, epoch, "g" + random.nextInt(2), now);
                case 2 -> t = m.endTransaction(pid, epoch, random.nextBoolean(), now);
                case 3 -> t = TransactionMetadata.initProducerId(m, "t", 1000, -1, (short) -1, 900_000, now,
                        ids::getAndIncrement);
                case 4 -> t = m.timedOut(now) ? m.prepareFence(now) : Transition.unchanged(m);
                default -> t = m.state().isPreparing() ? m.complete(now) : Transition.unchanged(m);
            }
            if ((zombie || pid != m.producerId()) && t.changed() && !m.state().isPreparing() && !m.timedOut(now)) {
                boolean isInit = t.next() != null && t.next().state() == TransactionState.EMPTY;
                if (!isInit) {
                    fail(where + ": a request of an old epoch or another id changed the state to " + t.next());
                }
            }
            if (zombie && pid == m.producerId() && !t.accepted()) {
                assertTrue(t.error() == ErrorCode.PRODUCER_FENCED || t.error() == ErrorCode.CONCURRENT_TRANSACTIONS
                        || t.error() == ErrorCode.INVALID_TXN_STATE, where + ": " + t.error());
            }
            if (!t.accepted()) {
                continue;
            }
            TransactionMetadata next = t.next();
            if (next.producerId() == m.producerId()) {
                assertTrue(next.producerEpoch() >= m.producerEpoch(), where + ": epoch went down to " + next);
            } else {
                assertEquals(0, next.producerEpoch(), where);
            }
            boolean open = next.state() == TransactionState.ONGOING || next.state().isPreparing();
            assertEquals(open, next.startTimestamp() >= 0, where + " -> " + next);
            if (!open) {
                assertTrue(next.partitions().isEmpty() && next.groups().isEmpty(), where + " -> " + next);
            }
            if (m.state() == TransactionState.ONGOING && next.state() == TransactionState.PREPARE_ABORT
                    && next.producerEpoch() == m.producerEpoch() + 1) {
                assertEquals(ControlRecordType.ABORT, next.marker().type(), where);
            }
            if (next.state().isPreparing()) {
                TransactionMetadata done = next.complete(now).next();
                assertEquals(next.state() == TransactionState.PREPARE_COMMIT ? TransactionState.COMPLETE_COMMIT
                        : TransactionState.COMPLETE_ABORT, done.state(), where);
            }
            m = next;
        }
    }
}
