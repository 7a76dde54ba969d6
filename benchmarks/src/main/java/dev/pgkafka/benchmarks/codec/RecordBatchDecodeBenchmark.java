package dev.pgkafka.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.adapter.kafka.record.InvalidBatchException;
import dev.pgkafka.adapter.kafka.record.RecordBatchDecoder;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.Compression;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The produce path: validating and decoding one producer batch of 500 records of 100 B, per codec.
 * Scores are records per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(CodecBenchmarkData.RECORDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RecordBatchDecodeBenchmark {
    @Param({"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    public Compression codec;

    private ByteBuffer batch;

    @Setup
    public void setUp() throws InvalidBatchException {
        batch = CodecBenchmarkData.producedBatch(codec);
        if (RecordBatchDecoder.decode(batch).recordCount() != CodecBenchmarkData.RECORDS) {
            throw new IllegalStateException("the benchmark batch does not decode to its records");
        }
    }

    @Benchmark
    public AppendBatch decode() throws InvalidBatchException {
        return RecordBatchDecoder.decode(batch);
    }
}
