package dev.pgkafka.benchmarks.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.domain.log.OffsetAllocator;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.producer.SequenceDecision;
import dev.pgkafka.domain.producer.SequenceRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure core of an append: reserving a batch's offsets, and checking an idempotent producer's
 * sequence against the partition's last five batches. Scores are appends per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OffsetAllocationBenchmark {
    private static final long PRODUCER_ID = 77L;
    private static final short EPOCH = 3;
    private static final int BATCH = 500;

    private OffsetAllocator allocator;
    private ProducerPartitionState state;
    private ProducerStamp next;
    private ProducerStamp duplicate;

    @Setup
    public void setUp() {
        allocator = new OffsetAllocator(0);
        List<BatchMetadata> recent = new ArrayList<>();
        for (int b = 0; b < ProducerPartitionState.BATCHES_TO_RETAIN; b++) {
            recent.add(new BatchMetadata(b * BATCH, b * BATCH + BATCH - 1, (long) b * BATCH, (long) b * BATCH + BATCH - 1,
                    1_700_000_000_000L));
        }
        state = new ProducerPartitionState(PRODUCER_ID, EPOCH, recent, -1L, 1_700_000_000_000L);
        next = new ProducerStamp(PRODUCER_ID, EPOCH, ProducerPartitionState.BATCHES_TO_RETAIN * BATCH);
        duplicate = new ProducerStamp(PRODUCER_ID, EPOCH, 2 * BATCH);
    }

    @Benchmark
    public long allocate() {
        if (allocator.nextOffset() > Long.MAX_VALUE / 2) {
            allocator = new OffsetAllocator(0);
        }
        return allocator.allocate(BATCH);
    }

    /** The common case: the next batch in sequence, after scanning the five remembered ones. */
    @Benchmark
    public SequenceDecision checkNextSequence() {
        return SequenceRules.check(state, next, next.sequenceAt(BATCH - 1));
    }

    /** A retried batch, found among the remembered ones. */
    @Benchmark
    public SequenceDecision checkDuplicate() {
        return SequenceRules.check(state, duplicate, duplicate.sequenceAt(BATCH - 1));
    }
}
