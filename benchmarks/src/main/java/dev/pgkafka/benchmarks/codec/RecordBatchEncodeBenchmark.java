package dev.pgkafka.benchmarks.codec;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.adapter.kafka.record.RecordBatchEncoder;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.StoredRecord;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
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
 * The consumer hot path: rebuilding a fetch's batch of 500 stored records of 100 B, per codec
 * ({@code NONE} is {@code compression.type=uncompressed}). Scores are records per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(CodecBenchmarkData.RECORDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class RecordBatchEncodeBenchmark {
    @Param({"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    public Compression codec;

    private List<StoredRecord> records;

    @Setup
    public void setUp() {
        records = CodecBenchmarkData.storedRecords(Compression.NONE);
        int count = 0;
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(encode()).batches()) {
            batch.ensureValid();
            count += batch.countOrNull();
        }
        if (count != CodecBenchmarkData.RECORDS) {
            throw new IllegalStateException("the encoded batches hold " + count + " records");
        }
    }

    @Benchmark
    public ByteBuffer encode() {
        return RecordBatchEncoder.encode(records, codec);
    }
}
