package dev.pgkafka.application.service.txn;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.ProducerIdPort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.port.out.TransactionStorePort;
import dev.pgkafka.application.service.PartitionActivity;
import dev.pgkafka.application.service.StorageFailures;
import dev.pgkafka.application.service.TransactionGuard;
import dev.pgkafka.application.service.TransactionGuard.ImplicitAdd;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.LastStableOffset;
import dev.pgkafka.domain.txn.TransactionMarker;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;
import dev.pgkafka.domain.txn.Transition;

/**
 * Kafka's transaction coordinator for every transactional id (this broker coordinates them all).
 * The state machine is {@link TransactionMetadata}; this service serialises the requests of one
 * transactional id, stores each state before answering, and writes the markers.
 *
 * <p>EndTxn writes in one storage transaction the markers on every partition of the transaction, the
 * producer's state and last stable offset of each, the aborted-transaction index entries, the
 * transaction's offsets (committed or dropped) and the Complete state; only then is EndTxn answered.
 * A prepare state is stored on its own only where markers must be written later: when a new
 * producer or the timeout fences an ongoing transaction (stored before its markers) and when the
 * markers' storage transaction failed; {@link #recover()} completes such transactions on start. A background pass every
 * {@code transaction.abort.timed.out.transaction.cleanup.interval.ms} aborts transactions older than
 * their timeout (bumping the epoch, so the producer that left it is fenced), retries markers whose
 * storage failed, and forgets ids idle longer than {@code transactional.id.expiration.ms}.
 */
public final class TransactionCoordinator implements TransactionsUseCase, InitProducerIdUseCase, TransactionGuard,
        AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TransactionCoordinator.class.getName());

    /**
     * Broker configs with Kafka's names and defaults.
     *
     * @param transactionVersion the {@code transaction.version} finalized for clients: 2 (KIP-890, Kafka
     *                           4's default) or 1 (AddPartitionsToTxn, no epoch bump per transaction)
     * @param maxTransactionalIds {@code pgkafka.transactional.ids.max} (Kafka has no such limit): InitProducerId
     *                           for a new transactional id when this many are remembered answers POLICY_VIOLATION
     */
    public record Settings(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs, int transactionVersion,
                           int maxTransactionalIds) {
        public static final int DEFAULT_MAX_TRANSACTIONAL_IDS = 100_000;
        public static final Settings DEFAULTS = new Settings(900_000, 604_800_000L, 10_000L, 2);

        public Settings {
            if (maxTimeoutMs < 1 || idExpirationMs < 1 || abortCheckIntervalMs < 1 || maxTransactionalIds < 1) {
                throw new IllegalArgumentException("transaction settings must be positive");
            }
            if (transactionVersion < 1 || transactionVersion > 2) {
                throw new IllegalArgumentException("transaction.version is 1 or 2, not " + transactionVersion);
            }
        }

        public Settings(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs) {
            this(maxTimeoutMs, idExpirationMs, abortCheckIntervalMs, 2);
        }

        public Settings(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs, int transactionVersion) {
            this(maxTimeoutMs, idExpirationMs, abortCheckIntervalMs, transactionVersion, DEFAULT_MAX_TRANSACTIONAL_IDS);
        }
    }

    private static final BatchAttributes MARKER_ATTRIBUTES =
            new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true);

    private final TransactionStorePort store;
    private final PartitionLogPort log;
    private final ProducerIdPort ids;
    private final InitProducerIdUseCase idempotent;
    private final GroupOffsetsUseCase groups;
    private final PartitionActivity activity;
    private final Clock clock;
    private final Settings settings;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Map<Long, Entry> byProducerId = new ConcurrentHashMap<>();
    private final ReentrantLock wakeLock = new ReentrantLock();
    private final Condition wake = wakeLock.newCondition();
    private volatile boolean closed;
    private Thread thread;

    /** One transactional id: its lock (requests of one id run one at a time) and its current state. */
    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        volatile TransactionMetadata metadata;
    }

    public TransactionCoordinator(TransactionStorePort store, PartitionLogPort log, ProducerIdPort ids,
                                  InitProducerIdUseCase idempotent, GroupOffsetsUseCase groups, PartitionActivity activity,
                                  Clock clock, Settings settings) {
        this.store = store;
        this.log = log;
        this.ids = ids;
        this.idempotent = idempotent;
        this.groups = groups;
        this.activity = activity;
        this.clock = clock;
        this.settings = settings;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Loads every transactional id and completes the transactions whose EndTxn (or abort) was decided
     * but whose markers were not written when the broker stopped. Ongoing transactions keep their
     * start time: the timeout aborts them if their producer does not come back.
     */
    public void recover() {
        int ongoing = 0;
        int completed = 0;
        for (TransactionMetadata m : store.loadAll()) {
            Entry e = new Entry();
            e.metadata = m;
            entries.put(m.transactionalId(), e);
            byProducerId.put(m.producerId(), e);
            if (m.state() == TransactionState.ONGOING) {
                ongoing++;
            }
        }
        for (Entry e : entries.values()) {
            if (e.metadata.state().isPreparing()) {
                e.lock.lock();
                try {
                    LOG.log(Level.INFO, "completing transaction {0} found in {1} at start", e.metadata.transactionalId(),
                            e.metadata.state().kafkaName());
                    writeMarkers(e);
                    completed++;
                } catch (RuntimeException ex) {
                    StorageFailures.log(LOG, "could not complete transaction " + e.metadata.transactionalId()
                            + " at start, the background pass retries", ex);
                } finally {
                    e.lock.unlock();
                }
            }
        }
        LOG.log(Level.INFO, "transaction coordinator: {0} transactional id(s), {1} ongoing, {2} completed at start",
                entries.size(), ongoing, completed);
    }

    /** Starts the background pass (timeouts, marker retries, expiration). */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("the transaction coordinator runs already");
        }
        thread = Thread.ofVirtual().name("transaction-timeouts").start(this::loop);
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            closed = true;
            t = thread;
        }
        wakeLock.lock();
        try {
            wake.signalAll();
        } finally {
            wakeLock.unlock();
        }
        if (t != null) {
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (!closed) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                StorageFailures.log(LOG, "transaction timeout pass failed", e);
            }
            wakeLock.lock();
            try {
                long nanos = Duration.ofMillis(settings.abortCheckIntervalMs()).toNanos();
                while (!closed && nanos > 0) {
                    nanos = wake.awaitNanos(nanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                wakeLock.unlock();
            }
        }
    }

    /** One pass: abort timed-out transactions, retry unwritten markers, forget expired ids. Returns the aborts. */
    public int runOnce() {
        int aborted = 0;
        for (Entry e : entries.values()) {
            if (closed) {
                break;
            }
            long now = clock.millis();
            TransactionMetadata m = e.metadata;
            if (m == null || !(m.timedOut(now) || m.state().isPreparing() || m.expired(now, settings.idExpirationMs()))) {
                continue;
            }
            e.lock.lock();
            try {
                m = e.metadata;
                now = clock.millis();
                if (m.timedOut(now)) {
                    Transition fence = m.prepareFence(now);
                    store.save(fence.next());
                    e.metadata = fence.next();
                    writeMarkers(e);
                    aborted++;
                    LOG.log(Level.INFO, "aborted timed-out transaction {0} (producer {1}, epoch bumped to {2}) after {3} ms, "
                                    + "timeout {4} ms, {5} partition(s)", m.transactionalId(), String.valueOf(m.producerId()),
                            fence.next().producerEpoch(), now - m.startTimestamp(), m.timeoutMs(), m.partitions().size());
                } else if (m.state().isPreparing()) {
                    writeMarkers(e);
                } else if (m.expired(now, settings.idExpirationMs())) {
                    store.delete(m.transactionalId());
                    entries.remove(m.transactionalId(), e);
                    byProducerId.remove(m.producerId(), e);
                    e.metadata = null;
                    LOG.log(Level.INFO, "forgot transactional id {0}, idle for {1} ms", m.transactionalId(),
                            now - m.lastUpdateTimestamp());
                }
            } catch (RuntimeException ex) {
                StorageFailures.log(LOG, "transaction " + m.transactionalId() + ": timeout pass failed, retrying next pass",
                        ex);
            } finally {
                e.lock.unlock();
            }
        }
        return aborted;
    }

    // ------------------------------------------------------------------ requests

    @Override
    public ProducerIdResult initProducerId(String transactionalId, int transactionTimeoutMs, long producerId,
                                           short producerEpoch) {
        if (transactionalId == null) {
            return idempotent.initProducerId(null, transactionTimeoutMs, producerId, producerEpoch);
        }
        if (transactionalId.isEmpty()) {
            return ProducerIdResult.error(ErrorCode.INVALID_REQUEST);
        }
        if (transactionTimeoutMs <= 0 || transactionTimeoutMs > settings.maxTimeoutMs()) {
            return ProducerIdResult.error(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
        }
        // check, then insert: concurrent first inits of new ids can pass the limit by at most their number
        if (!entries.containsKey(transactionalId) && entries.size() >= settings.maxTransactionalIds()) {
            LOG.log(Level.WARNING, "refused new transactional id {0}: {1} are remembered, "
                    + "pgkafka.transactional.ids.max", transactionalId, settings.maxTransactionalIds());
            return ProducerIdResult.error(ErrorCode.POLICY_VIOLATION);
        }
        while (true) {
            Entry e = entries.computeIfAbsent(transactionalId, id -> new Entry());
            ProducerIdResult result = locked(e, () -> entries.get(transactionalId) != e ? null
                    : init(e, transactionalId, transactionTimeoutMs, producerId, producerEpoch),
                    ProducerIdResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE));
            if (result != null) {
                return result;
            }
            // the id expired while we waited for its lock: start over with a fresh entry
        }
    }

    private ProducerIdResult init(Entry e, String transactionalId, int transactionTimeoutMs, long producerId,
                                  short producerEpoch) {
        TransactionMetadata current = e.metadata;
        if (current != null && producerId >= 0 && current.isInitProducerIdRetry(producerId, producerEpoch)) {
            // the producer asked for this bump before and lost the answer (KIP-360): the same answer again
            return new ProducerIdResult(ErrorCode.NONE, current.producerId(), current.producerEpoch());
        }
        if (current != null && producerId >= 0
                && (producerId != current.producerId() || producerEpoch != current.producerEpoch())) {
            return ProducerIdResult.error(ErrorCode.PRODUCER_FENCED);
        }
        long now = clock.millis();
        boolean fencedNow = false;
        if (current != null && current.state() == TransactionState.ONGOING) {
            fencedNow = true;
            // a new producer with this transactional id: fence the old one and abort what it left open
            Transition fence = current.prepareFence(now);
            store.save(fence.next());
            e.metadata = fence.next();
            writeMarkers(e);
            LOG.log(Level.INFO, "aborted the ongoing transaction of {0}: a producer initialised with the same "
                    + "transactional id", transactionalId);
        } else if (current != null && current.state().isPreparing()) {
            writeMarkers(e);
        }
        // the producer's own id and epoch make the bump retryable; after fencing its transaction here they are stale
        boolean claimed = producerId >= 0 && !fencedNow;
        Transition t = TransactionMetadata.initProducerId(e.metadata, transactionalId, transactionTimeoutMs,
                claimed ? producerId : -1L, claimed ? producerEpoch : (short) -1, settings.maxTimeoutMs(), now,
                ids::nextProducerId);
        if (!t.accepted()) {
            return ProducerIdResult.error(t.error());
        }
        TransactionMetadata next = t.next();
        store.save(next);
        TransactionMetadata previous = e.metadata;
        e.metadata = next;
        if (previous != null && previous.producerId() != next.producerId()) {
            byProducerId.remove(previous.producerId(), e);
        }
        byProducerId.put(next.producerId(), e);
        return new ProducerIdResult(ErrorCode.NONE, next.producerId(), next.producerEpoch());
    }

    @Override
    public ErrorCode addPartitions(String transactionalId, long producerId, short producerEpoch,
                                   Collection<TopicIdPartition> partitions) {
        long now = clock.millis();
        return transition(transactionalId, m -> m.addPartitions(producerId, producerEpoch, partitions, now));
    }

    @Override
    public ErrorCode addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
        long now = clock.millis();
        return transition(transactionalId, m -> m.addGroup(producerId, producerEpoch, groupId, now));
    }

    @Override
    public EndTxnResult endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit,
                                       boolean bumpEpoch) {
        Entry e = transactionalId == null ? null : entries.get(transactionalId);
        if (e == null) {
            return EndTxnResult.error(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        }
        return locked(e, () -> {
            TransactionMetadata current = e.metadata;
            if (current == null) {
                return EndTxnResult.error(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
            }
            Transition t = current.endTransaction(producerId, producerEpoch, commit, clock.millis(), bumpEpoch);
            if (!t.accepted()) {
                return EndTxnResult.error(t.error());
            }
            if (!t.changed()) {
                return new EndTxnResult(ErrorCode.NONE, current.producerId(), current.producerEpoch());
            }
            // The prepare state is stored with the markers and the complete state, in their one storage
            // transaction: EndTxn is answered only after it committed, so an acknowledged EndTxn is
            // complete, and a crash before leaves the transaction ongoing (its timeout aborts it unless
            // the producer retries EndTxn). Only when the markers fail is the decision stored on its own,
            // for the background pass (and a restart) to finish.
            e.metadata = t.next();
            try {
                writeMarkers(e);
            } catch (StorageException ex) {
                LOG.log(StorageFailures.level(ex), "transaction " + transactionalId + ": markers not written yet, "
                        + "retrying in the background: " + ex.getMessage());
                try {
                    store.save(t.next());
                } catch (StorageException again) {
                    LOG.log(StorageFailures.level(again), "transaction " + transactionalId + ": decision not stored "
                            + "either: " + again.getMessage());
                }
                return EndTxnResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE);
            }
            if (bumpEpoch && e.metadata.epochExhausted()) {
                TransactionMetadata old = e.metadata;
                TransactionMetadata rolled = old.rollOverProducerId(ids.nextProducerId(), clock.millis()).next();
                store.save(rolled);
                e.metadata = rolled;
                byProducerId.remove(old.producerId(), e);
                byProducerId.put(rolled.producerId(), e);
                LOG.log(Level.INFO, "transactional id {0} exhausted the epochs of producer {1}, continues as producer {2}",
                        transactionalId, String.valueOf(old.producerId()), String.valueOf(rolled.producerId()));
            }
            return new EndTxnResult(ErrorCode.NONE, e.metadata.producerId(), e.metadata.producerEpoch());
        }, EndTxnResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }

    @Override
    public List<ErrorCode> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                         GroupOffsetsUseCase.OffsetCommitCommand command, boolean addGroup) {
        int n = command.partitions().size();
        if (addGroup) {
            // transaction version 2: the commit itself adds the group to the transaction (no AddOffsetsToTxn)
            ErrorCode added = addOffsets(transactionalId, producerId, producerEpoch, command.groupId());
            if (added != ErrorCode.NONE) {
                return Collections.nCopies(n, added);
            }
        }
        Entry e = transactionalId == null ? null : entries.get(transactionalId);
        TransactionMetadata m = e == null ? null : e.metadata;
        ErrorCode error;
        if (m == null || m.producerId() != producerId) {
            error = ErrorCode.INVALID_PRODUCER_ID_MAPPING;
        } else if (producerEpoch < m.producerEpoch()) {
            error = ErrorCode.PRODUCER_FENCED;
        } else if (producerEpoch != m.producerEpoch() || m.state() != TransactionState.ONGOING
                || !m.groups().contains(command.groupId())) {
            error = ErrorCode.INVALID_TXN_STATE;
        } else {
            return groups.commitTransactionalOffsets(command, producerId);
        }
        return Collections.nCopies(n, error);
    }

    /**
     * Transaction version 2: a transactional Produce (v12+) adds its partitions to the producer's
     * transaction itself. The state changes here, in memory, under the id's lock; the produce stores
     * the addition with its records. Called without partition locks held (EndTxn takes the id's
     * lock, then partition locks).
     */
    @Override
    public ImplicitAdd addPartitionsFromProduce(long producerId, short producerEpoch,
                                                Collection<TopicIdPartition> partitions) {
        Entry e = byProducerId.get(producerId);
        TransactionMetadata seen = e == null ? null : e.metadata;
        if (seen == null) {
            return ImplicitAdd.refused(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        }
        if (seen.state() == TransactionState.ONGOING && seen.producerEpoch() == producerEpoch
                && seen.partitions().containsAll(partitions)) {
            // the common case, no lock: stored by the produce that added them
            return ImplicitAdd.NOTHING;
        }
        return locked(e, () -> {
            TransactionMetadata current = e.metadata;
            if (current == null || current.producerId() != producerId) {
                return ImplicitAdd.refused(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
            }
            Transition t = current.addPartitions(producerId, producerEpoch, partitions, clock.millis());
            if (!t.accepted()) {
                // a produce of an old epoch is INVALID_PRODUCER_EPOCH (Kafka since 2.7), not the fatal PRODUCER_FENCED
                return ImplicitAdd.refused(t.error() == ErrorCode.PRODUCER_FENCED ? ErrorCode.INVALID_PRODUCER_EPOCH
                        : t.error());
            }
            e.metadata = t.next();
            return new ImplicitAdd(ErrorCode.NONE, current.transactionalId(), t.next().startTimestamp());
        }, ImplicitAdd.refused(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }

    /** The {@code transaction.version} clients are told to use. */
    @Override
    public int transactionVersion() {
        return settings.transactionVersion();
    }

    @Override
    public ErrorCode verifyTransactionalProduce(long producerId, short producerEpoch, TopicIdPartition partition) {
        Entry e = byProducerId.get(producerId);
        TransactionMetadata m = e == null ? null : e.metadata;
        if (m == null) {
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
        }
        return m.verifyProduce(producerId, producerEpoch, partition);
    }

    @Override
    public List<TransactionMetadata> list(Set<String> states, Set<Long> producerIds, long minDurationMs,
                                          Predicate<String> idFilter) {
        long now = clock.millis();
        List<TransactionMetadata> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            TransactionMetadata m = e.metadata;
            if (m == null) {
                continue;
            }
            if (!states.isEmpty() && states.stream().noneMatch(s -> s.equalsIgnoreCase(m.state().kafkaName()))) {
                continue;
            }
            if (!producerIds.isEmpty() && !producerIds.contains(m.producerId())) {
                continue;
            }
            if (minDurationMs >= 0 && (m.startTimestamp() < 0 || now - m.startTimestamp() < minDurationMs)) {
                continue;
            }
            if (idFilter != null && !idFilter.test(m.transactionalId())) {
                continue;
            }
            out.add(m);
        }
        out.sort(Comparator.comparing(TransactionMetadata::transactionalId));
        return out;
    }

    @Override
    public Optional<TransactionMetadata> describe(String transactionalId) {
        Entry e = transactionalId == null ? null : entries.get(transactionalId);
        return Optional.ofNullable(e == null ? null : e.metadata);
    }

    @Override
    public List<ProducerPartitionState> producers(TopicIdPartition partition) {
        return log.producers(partition);
    }

    // ------------------------------------------------------------------ internals

    private ErrorCode transition(String transactionalId, Function<TransactionMetadata, Transition> request) {
        Entry e = transactionalId == null ? null : entries.get(transactionalId);
        if (e == null) {
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
        }
        return locked(e, () -> {
            TransactionMetadata current = e.metadata;
            if (current == null) {
                return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
            }
            Transition t = request.apply(current);
            if (t.accepted() && t.changed()) {
                store.save(t.next());
                e.metadata = t.next();
            }
            return t.error();
        }, ErrorCode.COORDINATOR_NOT_AVAILABLE);
    }

    /** Runs a request under the id's lock; a storage failure answers {@code unavailable} (clients retry). */
    private static <T> T locked(Entry e, Supplier<T> work, T unavailable) {
        e.lock.lock();
        try {
            return work.get();
        } catch (StorageException ex) {
            LOG.log(StorageFailures.level(ex), "transaction coordinator: storage failed: " + ex.getMessage());
            return unavailable;
        } finally {
            e.lock.unlock();
        }
    }

    /**
     * Writes the markers of a transaction in a prepare state and completes it, all in one storage
     * transaction; the entry's lock is held. Wakes fetches waiting on the partitions.
     */
    private void writeMarkers(Entry e) {
        TransactionMetadata m = e.metadata;
        long now = clock.millis();
        TransactionMetadata done = m.complete(now).next();
        TransactionMarker marker = m.marker();
        boolean commit = m.state() == TransactionState.PREPARE_COMMIT;
        long pid = m.producerId();
        short epoch = m.producerEpoch();
        byte[] key = marker.key();
        byte[] value = marker.value();
        AppendBatch batch = new AppendBatch(new ProducerStamp(pid, epoch, ProducerStamp.NO_SEQUENCE), MARKER_ATTRIBUTES,
                List.of(new LogRecord(now, key, value, List.of())), 61 + 8 + key.length + value.length);
        SortedSet<TopicIdPartition> partitions = m.partitions();
        log.append(tx -> {
            Map<TopicIdPartition, PartitionHead> heads = tx.lockHeads(partitions);
            Map<TopicIdPartition, ProducerPartitionState> states = tx.producerStates(pid, heads.keySet());
            Map<TopicIdPartition, Long> others = tx.oldestOpenTransactions(heads.keySet(), pid);
            for (TopicIdPartition tp : partitions) {
                PartitionHead head = heads.get(tp);
                if (head == null) {
                    continue; // the topic was deleted meanwhile
                }
                long markerOffset = head.highWatermark();
                tx.append(tp, markerOffset, batch);
                ProducerPartitionState state = states.getOrDefault(tp, ProducerPartitionState.empty(pid));
                if (!commit && state.inTransaction()) {
                    tx.addAbortedTransaction(tp, new AbortedTransaction(pid, state.currentTxnFirstOffset(), markerOffset));
                }
                tx.saveProducerState(tp, state.withTransactionEnded(epoch, now));
                Long other = others.get(tp);
                tx.setLastStableOffset(tp, LastStableOffset.of(markerOffset + 1, other == null ? List.of() : List.of(other)));
            }
            if (!m.groups().isEmpty()) {
                tx.finishTransactionalOffsets(pid, commit);
            }
            tx.saveTransaction(done);
            return null;
        });
        e.metadata = done;
        activity.changed(partitions);
    }
}
