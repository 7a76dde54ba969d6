package dev.pgkafka.domain.txn;

import java.util.Collection;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * What the coordinator knows of one transactional id, as Kafka's TransactionMetadata: the producer id
 * and epoch it handed out, the transaction timeout, the state, and for the current transaction the
 * partitions and consumer groups it touched and when it started. Immutable; each request is a method
 * that returns a {@link Transition} with the next state or the error Kafka answers.
 *
 * <p>Fencing: every InitProducerId bumps the epoch, so an older producer with the same transactional
 * id is refused with PRODUCER_FENCED from then on. When the epoch would reach {@link #MAX_EPOCH} the
 * id gets a new producer id at epoch 0 instead, as Kafka does.
 *
 * <p>Right after an InitProducerId bump the id remembers the producer id and epoch it had before
 * ({@code previousProducerId}, {@code lastProducerEpoch}; -1 otherwise), so that a producer that
 * claimed them and lost the answer can retry and get the same bump instead of being fenced (KIP-360).
 */
public record TransactionMetadata(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
                                  TransactionState state, SortedSet<TopicIdPartition> partitions, SortedSet<String> groups,
                                  long startTimestamp, long lastUpdateTimestamp, long previousProducerId,
                                  short lastProducerEpoch) {
    /** Kafka's largest usable epoch (Short.MAX_VALUE is kept free). */
    public static final short MAX_EPOCH = Short.MAX_VALUE - 1;
    /** This broker is the only coordinator and never loses the role: its epoch is always 0. */
    public static final int COORDINATOR_EPOCH = 0;

    public TransactionMetadata {
        Objects.requireNonNull(transactionalId);
        Objects.requireNonNull(state);
        partitions = Collections.unmodifiableSortedSet(new TreeSet<>(partitions));
        groups = Collections.unmodifiableSortedSet(new TreeSet<>(groups));
    }

    /** Metadata that remembers no earlier producer id and epoch. */
    public TransactionMetadata(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
                               TransactionState state, SortedSet<TopicIdPartition> partitions, SortedSet<String> groups,
                               long startTimestamp, long lastUpdateTimestamp) {
        this(transactionalId, producerId, producerEpoch, timeoutMs, state, partitions, groups, startTimestamp,
                lastUpdateTimestamp, -1L, (short) -1);
    }

    /**
     * True when an InitProducerId that claims {@code expectedProducerId}/{@code expectedEpoch} is a retry
     * of the one that made this metadata: it claims what the id had before that bump, and nothing
     * happened since. Kafka answers such a retry with the current producer id and epoch.
     */
    public boolean isInitProducerIdRetry(long expectedProducerId, short expectedEpoch) {
        return state == TransactionState.EMPTY && lastProducerEpoch >= 0 && expectedProducerId == previousProducerId
                && expectedEpoch == lastProducerEpoch;
    }

    /**
     * InitProducerId with a transactional id. {@code current} is null for an id the coordinator has
     * not seen. An ongoing transaction must be aborted first (the coordinator does that with
     * {@link #prepareFence}); this method refuses it with CONCURRENT_TRANSACTIONS, as it does a
     * transaction whose markers are being written.
     *
     * @param expectedProducerId  the producer id the client claims (v3+), -1 when none
     * @param expectedEpoch       the epoch it claims, -1 when none
     * @param maxTimeoutMs        transaction.max.timeout.ms
     */
    public static Transition initProducerId(TransactionMetadata current, String transactionalId, int timeoutMs,
                                            long expectedProducerId, short expectedEpoch, int maxTimeoutMs, long now,
                                            LongSupplier newProducerId) {
        if (timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
            return Transition.refused(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
        }
        if (current == null || current.state == TransactionState.DEAD) {
            return Transition.to(new TransactionMetadata(transactionalId, newProducerId.getAsLong(), (short) 0, timeoutMs,
                    TransactionState.EMPTY, new TreeSet<>(), new TreeSet<>(), -1L, now));
        }
        if (expectedProducerId >= 0 && current.isInitProducerIdRetry(expectedProducerId, expectedEpoch)) {
            return Transition.unchanged(current);
        }
        if (expectedProducerId >= 0 && (expectedProducerId != current.producerId || expectedEpoch != current.producerEpoch)) {
            return Transition.refused(ErrorCode.PRODUCER_FENCED);
        }
        return switch (current.state) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE, ONGOING ->
                    Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS);
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT, DEAD -> {
                long pid = current.producerId;
                short epoch = (short) (current.producerEpoch + 1);
                if (current.producerEpoch >= MAX_EPOCH - 1) {
                    pid = newProducerId.getAsLong();
                    epoch = 0;
                }
                yield Transition.to(new TransactionMetadata(transactionalId, pid, epoch, timeoutMs, TransactionState.EMPTY,
                        new TreeSet<>(), new TreeSet<>(), -1L, now,
                        // only a bump the producer asked for with its own id and epoch can be retried
                        expectedProducerId >= 0 ? current.producerId : -1L,
                        expectedProducerId >= 0 ? current.producerEpoch : (short) -1));
            }
        };
    }

    /** AddPartitionsToTxn: the partitions join the transaction, which becomes (or stays) ongoing. */
    public Transition addPartitions(long pid, short epoch, Collection<TopicIdPartition> added, long now) {
        return add(pid, epoch, added, Set.of(), now);
    }

    /** AddOffsetsToTxn: the group's offsets will be committed (or dropped) with the transaction. */
    public Transition addGroup(long pid, short epoch, String groupId, long now) {
        return add(pid, epoch, Set.of(), Set.of(groupId), now);
    }

    private Transition add(long pid, short epoch, Collection<TopicIdPartition> addedPartitions, Collection<String> addedGroups,
                           long now) {
        ErrorCode producer = checkProducer(pid, epoch);
        if (producer != ErrorCode.NONE) {
            return Transition.refused(producer);
        }
        switch (state) {
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> {
                return Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS);
            }
            case DEAD -> {
                return Transition.refused(ErrorCode.INVALID_TXN_STATE);
            }
            default -> {
            }
        }
        if (state == TransactionState.ONGOING && partitions.containsAll(addedPartitions) && groups.containsAll(addedGroups)) {
            return Transition.unchanged(this);
        }
        SortedSet<TopicIdPartition> ps = new TreeSet<>(state == TransactionState.ONGOING ? partitions : Set.of());
        ps.addAll(addedPartitions);
        SortedSet<String> gs = new TreeSet<>(state == TransactionState.ONGOING ? groups : Set.of());
        gs.addAll(addedGroups);
        long start = state == TransactionState.ONGOING ? startTimestamp : now;
        return Transition.to(new TransactionMetadata(transactionalId, producerId, producerEpoch, timeoutMs,
                TransactionState.ONGOING, ps, gs, start, now));
    }

    /**
     * EndTxn: an ongoing transaction moves to PrepareCommit or PrepareAbort (the markers are written
     * next). A retry of an EndTxn that completed is answered NONE without change; a retry while the
     * markers are written gets CONCURRENT_TRANSACTIONS; the opposite decision, or ending a
     * transaction that never started, INVALID_TXN_STATE.
     */
    public Transition endTransaction(long pid, short epoch, boolean commit, long now) {
        return endTransaction(pid, epoch, commit, now, false);
    }

    /**
     * EndTxn, and with {@code bumpEpoch} KIP-890's transaction version 2: the prepare state carries
     * the next epoch (at the last epoch it stays; the coordinator then moves the id to a new producer
     * id, {@link #rollOverProducerId}),
     * the markers are written with it and the producer continues with it, so a zombie of the transaction is fenced by
     * its end. A retry with the epoch before the bump, after the transaction completed, succeeds
     * unchanged; aborting when no transaction is open bumps the epoch too (the client does that to
     * recover from an abortable error before its first record).
     */
    public Transition endTransaction(long pid, short epoch, boolean commit, long now, boolean bumpEpoch) {
        if (bumpEpoch) {
            return endTransactionBumping(pid, epoch, commit, now);
        }
        ErrorCode producer = checkProducer(pid, epoch);
        if (producer != ErrorCode.NONE) {
            return Transition.refused(producer);
        }
        return switch (state) {
            case ONGOING -> Transition.to(withState(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
                    producerEpoch, now));
            case COMPLETE_COMMIT -> commit ? Transition.unchanged(this) : Transition.refused(ErrorCode.INVALID_TXN_STATE);
            case COMPLETE_ABORT -> commit ? Transition.refused(ErrorCode.INVALID_TXN_STATE) : Transition.unchanged(this);
            case PREPARE_COMMIT -> commit ? Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS)
                    : Transition.refused(ErrorCode.INVALID_TXN_STATE);
            case PREPARE_ABORT -> commit ? Transition.refused(ErrorCode.INVALID_TXN_STATE)
                    : Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS);
            case PREPARE_EPOCH_FENCE -> Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS);
            case EMPTY, DEAD -> Transition.refused(ErrorCode.INVALID_TXN_STATE);
        };
    }

    private Transition endTransactionBumping(long pid, short epoch, boolean commit, long now) {
        if (pid != producerId) {
            return Transition.refused(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
        }
        boolean retry = epoch == producerEpoch - 1
                && (commit ? state == TransactionState.COMPLETE_COMMIT : state == TransactionState.COMPLETE_ABORT);
        if (retry) {
            return Transition.unchanged(this);
        }
        if (epoch != producerEpoch) {
            return Transition.refused(ErrorCode.PRODUCER_FENCED);
        }
        TransactionState next = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        return switch (state) {
            case ONGOING -> Transition.to(bumped(next, now));
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> commit ? Transition.refused(ErrorCode.INVALID_TXN_STATE)
                    : Transition.to(bumped(next, now));
            case PREPARE_COMMIT, PREPARE_ABORT, PREPARE_EPOCH_FENCE -> Transition.refused(ErrorCode.CONCURRENT_TRANSACTIONS);
            case DEAD -> Transition.refused(ErrorCode.INVALID_TXN_STATE);
        };
    }

    /** The prepare state with the next epoch (the same at the last epoch). */
    private TransactionMetadata bumped(TransactionState next, long now) {
        short epoch = producerEpoch < MAX_EPOCH ? (short) (producerEpoch + 1) : producerEpoch;
        boolean open = state == TransactionState.ONGOING;
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, next,
                open ? partitions : new TreeSet<>(), open ? groups : new TreeSet<>(), open ? startTimestamp : now, now);
    }

    /**
     * The coordinator aborts an ongoing transaction on its own (it timed out, or a new producer with
     * the same transactional id initialised): PrepareAbort with the epoch bumped, so the markers and
     * every later request fence the producer that left it open. At the last epoch the epoch stays.
     */
    public Transition prepareFence(long now) {
        if (state != TransactionState.ONGOING) {
            return Transition.refused(ErrorCode.INVALID_TXN_STATE);
        }
        short epoch = producerEpoch < MAX_EPOCH ? (short) (producerEpoch + 1) : producerEpoch;
        return Transition.to(withState(TransactionState.PREPARE_ABORT, epoch, now));
    }

    /** The markers are written: PrepareCommit becomes CompleteCommit, PrepareAbort CompleteAbort. */
    public Transition complete(long now) {
        return switch (state) {
            case PREPARE_COMMIT -> Transition.to(new TransactionMetadata(transactionalId, producerId, producerEpoch, timeoutMs,
                    TransactionState.COMPLETE_COMMIT, new TreeSet<>(), new TreeSet<>(), -1L, now));
            case PREPARE_ABORT -> Transition.to(new TransactionMetadata(transactionalId, producerId, producerEpoch, timeoutMs,
                    TransactionState.COMPLETE_ABORT, new TreeSet<>(), new TreeSet<>(), -1L, now));
            default -> Transition.refused(ErrorCode.INVALID_TXN_STATE);
        };
    }

    /**
     * Transaction version 2 at the end of the epochs: the completed transactional id moves to a new
     * producer id at epoch 0, as Kafka's coordinator does (the EndTxn answer carries it), so the
     * producer's next transaction still starts with a fresh epoch and sequence 0.
     */
    public Transition rollOverProducerId(long newProducerId, long now) {
        if (!state.isComplete() && state != TransactionState.EMPTY) {
            return Transition.refused(ErrorCode.INVALID_TXN_STATE);
        }
        return Transition.to(new TransactionMetadata(transactionalId, newProducerId, (short) 0, timeoutMs, state,
                new TreeSet<>(), new TreeSet<>(), -1L, now));
    }

    /** True when the epoch cannot be bumped any more. */
    public boolean epochExhausted() {
        return producerEpoch >= MAX_EPOCH;
    }

    /** True when the transaction is ongoing for longer than its timeout. */
    public boolean timedOut(long now) {
        return state == TransactionState.ONGOING && now - startTimestamp > timeoutMs;
    }

    /** True when the id is idle longer than transactional.id.expiration.ms and may be forgotten. */
    public boolean expired(long now, long expirationMs) {
        return (state == TransactionState.EMPTY || state.isComplete()) && now - lastUpdateTimestamp > expirationMs;
    }

    /**
     * Whether a transactional produce of {@code pid}/{@code epoch} to {@code partition} belongs to this
     * transaction: NONE, INVALID_PRODUCER_EPOCH for an old epoch (a zombie), else INVALID_TXN_STATE.
     */
    public ErrorCode verifyProduce(long pid, short epoch, TopicIdPartition partition) {
        if (pid != producerId) {
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch < producerEpoch) {
            return ErrorCode.INVALID_PRODUCER_EPOCH;
        }
        if (epoch > producerEpoch || state != TransactionState.ONGOING || !partitions.contains(partition)) {
            return ErrorCode.INVALID_TXN_STATE;
        }
        return ErrorCode.NONE;
    }

    /** The marker the prepare state writes. */
    public TransactionMarker marker() {
        if (!state.isPreparing()) {
            throw new IllegalStateException(transactionalId + " writes no markers in state " + state);
        }
        return new TransactionMarker(ControlRecordType.of(state == TransactionState.PREPARE_COMMIT), COORDINATOR_EPOCH);
    }

    private ErrorCode checkProducer(long pid, short epoch) {
        if (pid != producerId) {
            return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
        }
        if (epoch != producerEpoch) {
            return ErrorCode.PRODUCER_FENCED;
        }
        return ErrorCode.NONE;
    }

    private TransactionMetadata withState(TransactionState next, short epoch, long now) {
        return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, next, partitions, groups, startTimestamp,
                now);
    }
}
