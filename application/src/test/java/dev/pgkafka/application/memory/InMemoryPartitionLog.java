package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import dev.pgkafka.application.port.out.AppendTransaction;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.AbortedTransaction;
import dev.pgkafka.domain.txn.LastStableOffset;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/** Partition logs in memory; see {@link InMemoryPartition} for the locking. */
final class InMemoryPartitionLog implements PartitionLogPort {
    private final Map<TopicIdPartition, InMemoryPartition> partitions;

    InMemoryPartitionLog(Map<TopicIdPartition, InMemoryPartition> partitions) {
        this.partitions = partitions;
    }

    @Override
    public <T> T append(AppendWork<T> work) {
        Transaction tx = new Transaction();
        try {
            T result = work.run(tx);
            tx.commit();
            return result;
        } finally {
            tx.end();
        }
    }

    @Override
    public Map<TopicIdPartition, PartitionHead> heads(Collection<TopicIdPartition> tps) {
        Map<TopicIdPartition, PartitionHead> heads = new HashMap<>();
        for (TopicIdPartition tp : tps) {
            InMemoryPartition p = partitions.get(tp);
            if (p != null) {
                heads.put(tp, p.head());
            }
        }
        return heads;
    }

    @Override
    public List<StoredRecord> read(TopicIdPartition tp, long fromOffset, long endOffset, int maxBytes, boolean atLeastOne) {
        InMemoryPartition p = partitions.get(tp);
        if (p == null || fromOffset >= endOffset) {
            return List.of();
        }
        List<StoredRecord> out = new ArrayList<>();
        long total = 0;
        for (StoredRecord r : p.range(fromOffset, endOffset)) {
            if (total + r.payloadSize() > maxBytes && !(out.isEmpty() && atLeastOne)) {
                break;
            }
            out.add(r);
            total += r.payloadSize();
        }
        return out;
    }

    @Override
    public Optional<OffsetAndTimestamp> firstAtOrAfter(TopicIdPartition tp, long timestamp, long endOffset) {
        InMemoryPartition p = partitions.get(tp);
        if (p == null) {
            return Optional.empty();
        }
        return p.range(p.head().logStartOffset(), endOffset).stream()
                .filter(r -> r.timestamp() >= timestamp)
                .findFirst()
                .map(r -> new OffsetAndTimestamp(r.offset(), r.timestamp()));
    }

    @Override
    public Optional<OffsetAndTimestamp> maxTimestamp(TopicIdPartition tp, long endOffset) {
        InMemoryPartition p = partitions.get(tp);
        if (p == null) {
            return Optional.empty();
        }
        StoredRecord max = null;
        for (StoredRecord r : p.range(p.head().logStartOffset(), endOffset)) {
            if (max == null || r.timestamp() > max.timestamp()) {
                max = r;
            }
        }
        return Optional.ofNullable(max).map(r -> new OffsetAndTimestamp(r.offset(), r.timestamp()));
    }

    @Override
    public List<AbortedTransaction> abortedTransactions(TopicIdPartition tp, long fromOffset, long upperBound) {
        InMemoryPartition p = partitions.get(tp);
        if (p == null) {
            return List.of();
        }
        return p.aborted().stream()
                .filter(a -> a.overlaps(fromOffset, upperBound))
                .sorted(Comparator.comparingLong(AbortedTransaction::firstOffset))
                .toList();
    }

    @Override
    public List<ProducerPartitionState> producers(TopicIdPartition tp) {
        InMemoryPartition p = partitions.get(tp);
        return p == null ? List.of() : p.producers();
    }

    /** Transaction states stored by append transactions (the reference storage has no coordinator store). */
    final Map<String, TransactionMetadata> transactions = new ConcurrentHashMap<>();

    /** Changes are staged per locked partition and applied at commit; the locks are released at the end. */
    private final class Transaction implements AppendTransaction {
        private final Map<TopicIdPartition, Staged> locked = new LinkedHashMap<>();
        private boolean open = true;

        private static final class Staged {
            final InMemoryPartition partition;
            final PartitionHead before;
            long next;
            long stable;
            final List<StoredRecord> records = new ArrayList<>();
            final Map<Long, ProducerPartitionState> states = new HashMap<>();
            final List<AbortedTransaction> aborted = new ArrayList<>();

            Staged(InMemoryPartition partition) {
                this.partition = partition;
                this.before = partition.head();
                this.next = before.highWatermark();
                this.stable = before.lastStableOffset();
            }

            PartitionHead head() {
                return new PartitionHead(before.logStartOffset(), next, stable);
            }
        }

        @Override
        public Map<TopicIdPartition, PartitionHead> lockHeads(SortedSet<TopicIdPartition> tps) {
            checkOpen();
            Map<TopicIdPartition, PartitionHead> heads = new HashMap<>();
            // natural order whatever the set's comparator, as every transaction locks
            for (TopicIdPartition tp : new TreeSet<>(tps)) {
                Staged s = locked.get(tp);
                if (s == null) {
                    InMemoryPartition p = partitions.get(tp);
                    if (p == null) {
                        continue;
                    }
                    p.appendLock.lock();
                    s = new Staged(p);
                    locked.put(tp, s);
                }
                heads.put(tp, s.head());
            }
            return heads;
        }

        @Override
        public Map<TopicIdPartition, ProducerPartitionState> producerStates(long producerId,
                                                                            Collection<TopicIdPartition> tps) {
            checkOpen();
            Map<TopicIdPartition, ProducerPartitionState> states = new HashMap<>();
            for (TopicIdPartition tp : tps) {
                Staged s = locked.get(tp);
                ProducerPartitionState state = s != null && s.states.containsKey(producerId) ? s.states.get(producerId)
                        : partitions.containsKey(tp) ? partitions.get(tp).producer(producerId) : null;
                if (state != null) {
                    states.put(tp, state);
                }
            }
            return states;
        }

        @Override
        public void append(TopicIdPartition tp, long baseOffset, AppendBatch batch) {
            checkOpen();
            Staged s = lockedOrFail(tp);
            if (baseOffset < s.next) {
                throw new IllegalStateException("base offset " + baseOffset + " of " + tp + " is below its next offset "
                        + s.next);
            }
            List<LogRecord> records = batch.records();
            for (int i = 0; i < records.size(); i++) {
                LogRecord r = records.get(i);
                s.records.add(new StoredRecord(baseOffset + i, r.timestamp(), r.key(), r.value(), r.headers(),
                        batch.producer().producerId(), batch.producer().producerEpoch(), batch.producer().sequenceAt(i),
                        batch.attributes()));
            }
            long end = baseOffset + records.size();
            s.stable = LastStableOffset.afterAppend(s.stable, s.next, batch.attributes().transactional(), end);
            s.next = end;
        }

        @Override
        public void saveProducerState(TopicIdPartition tp, ProducerPartitionState state) {
            checkOpen();
            lockedOrFail(tp).states.put(state.producerId(), state);
        }

        @Override
        public Map<TopicIdPartition, Long> oldestOpenTransactions(Collection<TopicIdPartition> tps, long exceptProducerId) {
            checkOpen();
            Map<TopicIdPartition, Long> result = new HashMap<>();
            for (TopicIdPartition tp : tps) {
                Staged s = lockedOrFail(tp);
                Map<Long, ProducerPartitionState> all = new HashMap<>();
                s.partition.producers().forEach(st -> all.put(st.producerId(), st));
                all.putAll(s.states);
                all.values().stream()
                        .filter(st -> st.producerId() != exceptProducerId && st.inTransaction())
                        .mapToLong(ProducerPartitionState::currentTxnFirstOffset)
                        .min()
                        .ifPresent(min -> result.put(tp, min));
            }
            return result;
        }

        @Override
        public void setLastStableOffset(TopicIdPartition tp, long lastStableOffset) {
            checkOpen();
            Staged s = lockedOrFail(tp);
            if (lastStableOffset > s.next) {
                throw new IllegalStateException("last stable offset above the high watermark of " + tp);
            }
            s.stable = Math.max(lastStableOffset, s.before.logStartOffset());
        }

        @Override
        public void addAbortedTransaction(TopicIdPartition tp, AbortedTransaction aborted) {
            checkOpen();
            lockedOrFail(tp).aborted.add(aborted);
        }

        @Override
        public void saveTransaction(TransactionMetadata metadata) {
            checkOpen();
            staged.add(metadata);
        }

        @Override
        public void addToTransaction(String transactionalId, long producerId, short producerEpoch,
                                     Collection<TopicIdPartition> tps, long startTimestamp) {
            checkOpen();
            additions.add(() -> transactions.computeIfPresent(transactionalId, (id, m) -> {
                if (m.producerId() != producerId || m.producerEpoch() != producerEpoch || m.state().isPreparing()) {
                    return m;
                }
                TreeSet<TopicIdPartition> partitions = new TreeSet<>(m.state() == TransactionState.ONGOING
                        ? m.partitions() : Set.of());
                partitions.addAll(tps);
                boolean ongoing = m.state() == TransactionState.ONGOING;
                return new TransactionMetadata(id, producerId, producerEpoch, m.timeoutMs(), TransactionState.ONGOING,
                        partitions, ongoing ? m.groups() : new TreeSet<>(), ongoing ? m.startTimestamp() : startTimestamp,
                        Math.max(m.lastUpdateTimestamp(), startTimestamp));
            }));
        }

        private final List<Runnable> additions = new ArrayList<>();

        @Override
        public void finishTransactionalOffsets(long producerId, boolean commit) {
            checkOpen();
            // the in-memory group store keeps no pending transactional offsets
        }

        private final List<TransactionMetadata> staged = new ArrayList<>();

        private Staged lockedOrFail(TopicIdPartition tp) {
            Staged s = locked.get(tp);
            if (s == null) {
                throw new IllegalStateException("partition " + tp + " is not locked in this transaction");
            }
            return s;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("the append transaction has ended");
            }
        }

        void commit() {
            checkOpen();
            for (Staged s : locked.values()) {
                s.partition.commit(s.records, s.head(), s.states);
                s.partition.addAborted(s.aborted);
            }
            staged.forEach(m -> transactions.put(m.transactionalId(), m));
            additions.forEach(Runnable::run);
        }

        void end() {
            open = false;
            for (Staged s : locked.values()) {
                s.partition.appendLock.unlock();
            }
            locked.clear();
        }
    }
}
