package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.application.port.out.AppendTransaction;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.producer.SequenceDecision;
import dev.pgkafka.domain.producer.SequenceRules;
import dev.pgkafka.domain.topic.LogConfig;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

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

    public ProduceService(TopicService topics, PartitionLogPort log, PartitionActivity activity, Clock clock) {
        this.topics = topics;
        this.log = log;
        this.activity = activity;
        this.clock = clock;
    }

    @Override
    public ProduceResult produce(ProduceCommand command) {
        List<PartitionBatch> batches = command.batches();
        PartitionResult[] results = new PartitionResult[batches.size()];
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            PartitionBatch pb = batches.get(i);
            Optional<Topic> topic = topics.find(pb.topic());
            if (topic.isEmpty() || !topic.get().hasPartition(pb.partition())) {
                results[i] = PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                        "This server does not host this topic-partition.");
                continue;
            }
            LogConfig config = LogConfig.of(topic.get());
            if (pb.batch().sizeInBytes() > config.maxMessageBytes()) {
                results[i] = PartitionResult.failed(pb.topic(), pb.partition(), ErrorCode.MESSAGE_TOO_LARGE,
                        "The batch is " + pb.batch().sizeInBytes() + " bytes, larger than max.message.bytes "
                                + config.maxMessageBytes());
                continue;
            }
            pending.add(new Pending(i, pb, topic.get().partition(pb.partition()), config));
        }
        if (!pending.isEmpty()) {
            appendAll(pending, results);
        }
        return new ProduceResult(List.of(results));
    }

    private void appendAll(List<Pending> pending, PartitionResult[] results) {
        long now = clock.millis();
        List<TopicIdPartition> appended = new ArrayList<>();
        try {
            PartitionResult[] staged = log.append(tx -> stage(tx, pending, now, appended));
            for (Pending p : pending) {
                results[p.index] = staged[p.index];
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "append of " + pending.size() + " batch(es) failed, nothing stored: " + e, e);
            for (Pending p : pending) {
                results[p.index] = PartitionResult.failed(p.batch.topic(), p.batch.partition(), ErrorCode.KAFKA_STORAGE_ERROR,
                        "The storage failed to append the batch: " + e.getMessage());
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
            heads.put(p.partition, new PartitionHead(head.logStartOffset(), end,
                    head.lastStableOffset() == head.highWatermark() ? end : head.lastStableOffset()));
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
