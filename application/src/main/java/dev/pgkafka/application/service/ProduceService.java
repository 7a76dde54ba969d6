package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.application.port.out.AppendTransaction;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.producer.SequenceDecision;
import dev.pgkafka.domain.producer.SequenceRules;
import dev.pgkafka.domain.topic.LogConfig;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.LastStableOffset;

/**
 * Appends a produce request's batches in one storage transaction: locks the partitions' heads in a
 * fixed order, checks idempotent producers' sequences against the state stored with the log, gives
 * each batch the next offsets, and commits. Readers are woken only after the commit.
 */
public final class ProduceService implements ProduceUseCase {
    private static final System.Logger LOG = System.getLogger(ProduceService.class.getName());

    private final TopicService topics;
    private final PartitionLogPort log;
    private final PartitionActivity activity;
    private final Clock clock;
    private final TransactionGuard transactions;

    public ProduceService(TopicService topics, PartitionLogPort log, PartitionActivity activity, Clock clock) {
        this(topics, log, activity, clock, TransactionGuard.ACCEPT_ALL);
    }

    /** @param transactions decides whether a transactional batch belongs to its producer's ongoing transaction */
    public ProduceService(TopicService topics, PartitionLogPort log, PartitionActivity activity, Clock clock,
                          TransactionGuard transactions) {
        this.topics = topics;
        this.log = log;
        this.activity = activity;
        this.clock = clock;
        this.transactions = transactions;
    }

    @Override
    public ProduceResult produce(ProduceCommand command) {
        List<PartitionBatch> batches = command.batches();
        PartitionResult[] results = new PartitionResult[batches.size()];
        List<Pending> pending = new ArrayList<>();
        long now = clock.millis();
        for (int i = 0; i < batches.size(); i++) {
            PartitionBatch pb = batches.get(i);
            Optional<Topic> topic = topics.find(pb.topic());
            if (topic.isEmpty() || !topic.get().hasPartition(pb.partition())) {
                results[i] = PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "This server does not host this topic-partition.");
                continue;
            }
            LogConfig config = topics.logConfig(topic.get());
            PartitionResult refused = refusal(pb, config, now);
            if (refused != null) {
                results[i] = refused;
                continue;
            }
            pending.add(new Pending(i, pb, topic.get().partition(pb.partition()), config));
        }
        List<Addition> additions = new ArrayList<>();
        if (command.addsPartitionsToTransaction()) {
            pending = addToTransactions(pending, results, additions);
        }
        if (!pending.isEmpty()) {
            appendAll(pending, results, additions);
        }
        return new ProduceResult(List.of(results));
    }

    /**
     * Transaction version 2: transactional batches add their partitions to their producer's
     * transaction (stored) before anything is locked; batches whose producer is refused fail here.
     */
    private List<Pending> addToTransactions(List<Pending> pending, PartitionResult[] results, List<Addition> additions) {
        Map<ProducerKey, List<TopicIdPartition>> byProducer = new LinkedHashMap<>();
        for (Pending p : pending) {
            AppendBatch batch = p.batch.batch();
            if (batch.attributes().transactional() && batch.producer().hasProducerId()) {
                byProducer.computeIfAbsent(new ProducerKey(batch.producer().producerId(), batch.producer().producerEpoch()),
                        k -> new ArrayList<>()).add(p.partition);
            }
        }
        if (byProducer.isEmpty()) {
            return pending;
        }
        Map<ProducerKey, ErrorCode> errors = new HashMap<>();
        byProducer.forEach((k, partitions) -> {
            TransactionGuard.ImplicitAdd added = transactions.addPartitionsFromProduce(k.producerId(), k.producerEpoch(),
                    partitions);
            errors.put(k, added.error());
            if (added.changed()) {
                additions.add(new Addition(added.transactionalId(), k, partitions, added.startTimestamp()));
            }
        });
        List<Pending> accepted = new ArrayList<>(pending.size());
        for (Pending p : pending) {
            AppendBatch batch = p.batch.batch();
            ErrorCode error = batch.attributes().transactional() && batch.producer().hasProducerId()
                    ? errors.get(new ProducerKey(batch.producer().producerId(), batch.producer().producerEpoch()))
                    : ErrorCode.NONE;
            if (error == ErrorCode.NONE) {
                accepted.add(p);
            } else {
                results[p.index] = PartitionResult.failed(p.batch.topic(), p.batch.partition(), error,
                        "Producer " + batch.producer().producerId() + " epoch " + batch.producer().producerEpoch()
                                + " cannot add " + p.batch.topic() + "-" + p.batch.partition() + " to its transaction");
            }
        }
        return accepted;
    }

    private record ProducerKey(long producerId, short producerEpoch) {
    }

    /** Partitions a produce added to a transaction: stored with its records. */
    private record Addition(String transactionalId, ProducerKey producer, List<TopicIdPartition> partitions,
                            long startTimestamp) {
    }

    /** Why the topic's configs refuse the batch (Kafka's checks, in Kafka's order), or null. */
    private static PartitionResult refusal(PartitionBatch pb, LogConfig config, long now) {
        AppendBatch batch = pb.batch();
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            return PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.MESSAGE_TOO_LARGE,
                    "The batch is " + batch.sizeInBytes() + " bytes, larger than max.message.bytes "
                            + config.maxMessageBytes());
        }
        if (batch.sizeInBytes() > config.segmentBytes()) {
            return PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.RECORD_LIST_TOO_LARGE,
                    "The batch is " + batch.sizeInBytes() + " bytes, larger than segment.bytes " + config.segmentBytes());
        }
        if (config.compact()) {
            for (LogRecord r : batch.records()) {
                if (r.key() == null && !batch.attributes().control()) {
                    return PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.INVALID_RECORD,
                            "Compacted topic cannot accept message without key in topic partition " + pb.topic() + "-"
                                    + pb.partition() + ".");
                }
            }
        }
        if (config.timestampType() == TimestampType.CREATE_TIME) {
            long earliest = saturatedSubtract(now, config.timestampBeforeMaxMs());
            long latest = saturatedAdd(now, config.timestampAfterMaxMs());
            List<LogRecord> records = batch.records();
            for (int i = 0; i < records.size(); i++) {
                long ts = records.get(i).timestamp();
                if (ts != LogRecord.NO_TIMESTAMP && (ts < earliest || ts > latest)) {
                    return PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.INVALID_TIMESTAMP,
                            "Timestamp " + ts + " of message with offset " + i + " is out of range. The timestamp should "
                                    + "be within [" + earliest + ", " + latest + "]");
                }
            }
        }
        return null;
    }

    private static long saturatedSubtract(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0 ? Long.MIN_VALUE : r;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private void appendAll(List<Pending> pending, PartitionResult[] results, List<Addition> additions) {
        long now = clock.millis();
        List<TopicIdPartition> appended = new ArrayList<>();
        try {
            PartitionResult[] staged = log.append(tx -> {
                PartitionResult[] r = stage(tx, pending, now, appended);
                for (Addition a : additions) {
                    tx.addToTransaction(a.transactionalId(), a.producer().producerId(), a.producer().producerEpoch(),
                            a.partitions(), a.startTimestamp());
                }
                return r;
            });
            for (Pending p : pending) {
                results[p.index] = staged[p.index];
            }
        } catch (RuntimeException e) {
            if (StorageFailures.isOutage(e)) {
                LOG.log(Level.DEBUG, "append of {0} batch(es) failed, nothing stored: {1}", pending.size(), e.getMessage());
            } else {
                LOG.log(Level.WARNING, "append of " + pending.size() + " batch(es) failed, nothing stored: " + e, e);
            }
            // KAFKA_STORAGE_ERROR is retriable: the producer sends the batch again, and an idempotent producer's
            // retry of a batch whose commit did happen (the answer was lost) is recognised as a duplicate
            String message = StorageFailures.isOutage(e)
                    ? "The batch was not acknowledged: the storage is unavailable; retry"
                    : "The storage failed to append the batch: " + e.getMessage();
            for (Pending p : pending) {
                results[p.index] = PartitionResult.failed(p.batch.topic(), p.batch.partition(), ErrorCode.KAFKA_STORAGE_ERROR,
                        message);
            }
            return;
        }
        activity.changed(appended);
    }

    private PartitionResult[] stage(AppendTransaction tx, List<Pending> pending, long now, List<TopicIdPartition> appended) {
        appended.clear();
        PartitionResult[] results = new PartitionResult[pending.stream().mapToInt(p -> p.index).max().orElse(0) + 1];
        TreeSet<TopicIdPartition> lockOrder = new TreeSet<>();
        pending.forEach(p -> lockOrder.add(p.partition));
        Map<TopicIdPartition, PartitionHead> heads = new HashMap<>(tx.lockHeads(lockOrder));
        Map<Long, Map<TopicIdPartition, ProducerPartitionState>> states = new HashMap<>();
        Map<TopicIdPartition, ProducerPartitionState> changedStates = new HashMap<>();

        for (Pending p : pending) {
            String topic = p.batch.topic();
            int partition = p.batch.partition();
            PartitionHead head = heads.get(p.partition);
            if (head == null) {
                results[p.index] = PartitionResult.failed(topic, partition, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "This server does not host this topic-partition.");
                continue;
            }
            AppendBatch batch = p.batch.batch();
            if (batch.attributes().transactional()) {
                // asked with the head locked: a marker for this producer cannot come between check and append
                ErrorCode txn = batch.producer().hasProducerId()
                        ? transactions.verifyTransactionalProduce(batch.producer().producerId(),
                                batch.producer().producerEpoch(), p.partition)
                        : ErrorCode.INVALID_PRODUCER_ID_MAPPING;
                if (txn != ErrorCode.NONE) {
                    results[p.index] = PartitionResult.failed(topic, partition, txn,
                            "The transactional batch of producer " + batch.producer().producerId() + " epoch "
                                    + batch.producer().producerEpoch() + " is not part of an ongoing transaction on "
                                    + topic + "-" + partition);
                    continue;
                }
            }
            ProducerPartitionState state = null;
            if (batch.isIdempotent()) {
                long pid = batch.producer().producerId();
                state = changedStates.containsKey(p.partition) && changedStates.get(p.partition).producerId() == pid
                        ? changedStates.get(p.partition)
                        : states.computeIfAbsent(pid, id -> tx.producerStates(id, lockOrder))
                                .getOrDefault(p.partition, ProducerPartitionState.empty(pid));
                SequenceDecision decision = SequenceRules.check(state, batch.producer(), batch.lastSequence());
                if (decision instanceof SequenceDecision.Duplicate dup) {
                    results[p.index] = new PartitionResult(topic, partition, ErrorCode.NONE, null,
                            dup.original().firstOffset(), -1L, head.logStartOffset());
                    continue;
                }
                if (decision instanceof SequenceDecision.Reject reject) {
                    results[p.index] = PartitionResult.failed(topic, partition, reject.error(), reject.message());
                    continue;
                }
            }
            long logAppendTime = -1L;
            if (p.config.timestampType() == TimestampType.LOG_APPEND_TIME) {
                logAppendTime = now;
                batch = batch.stampedAt(now);
            }
            long baseOffset = head.highWatermark();
            tx.append(p.partition, baseOffset, batch);
            long end = baseOffset + batch.recordCount();
            heads.put(p.partition, new PartitionHead(head.logStartOffset(), end, LastStableOffset.afterAppend(
                    head.lastStableOffset(), head.highWatermark(), batch.attributes().transactional(), end)));
            appended.add(p.partition);
            if (state != null) {
                BatchMetadata meta = new BatchMetadata(batch.producer().baseSequence(), batch.lastSequence(), baseOffset,
                        end - 1, batch.maxTimestamp());
                changedStates.put(p.partition, state.withBatch(batch.producer().producerEpoch(), meta,
                        batch.attributes().transactional()));
            }
            results[p.index] = new PartitionResult(topic, partition, ErrorCode.NONE, null, baseOffset, logAppendTime,
                    head.logStartOffset());
        }
        changedStates.forEach(tx::saveProducerState);
        return results;
    }

    private record Pending(int index, PartitionBatch batch, TopicIdPartition partition, LogConfig config) {
    }
}
