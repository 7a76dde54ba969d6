package dev.pgkafka.benchmarks.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.RecordBatch;

/** The records the codec benchmarks move: 500 per batch, 100-byte values of JSON-like text, 12-byte keys. */
final class CodecBenchmarkData {
    static final int RECORDS = 500;
    static final int VALUE_SIZE = 100;
    static final long PRODUCER_ID = 1234L;
    static final short PRODUCER_EPOCH = 0;
    static final long T0 = 1_700_000_000_000L;

    private CodecBenchmarkData() {
    }

    static byte[] key(int i) {
        return String.format("user-%07d", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Text that compresses about as well as real event payloads: repeated field names, varying values. */
    static byte[] value(Random random) {
        StringBuilder s = new StringBuilder(VALUE_SIZE);
        while (s.length() < VALUE_SIZE) {
            s.append("{\"id\":").append(random.nextInt(1_000_000)).append(",\"ok\":").append(random.nextBoolean())
                    .append(",\"v\":").append(random.nextInt(10_000)).append('}');
        }
        s.setLength(VALUE_SIZE);
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A batch as the Java producer sends it: idempotent, base offset 0. */
    static ByteBuffer producedBatch(Compression codec) {
        Random random = new Random(42);
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(64 * 1024), RecordBatch.MAGIC_VALUE_V2,
                kafkaCodec(codec), org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L, RecordBatch.NO_TIMESTAMP,
                PRODUCER_ID, PRODUCER_EPOCH, 0, false, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (int i = 0; i < RECORDS; i++) {
            builder.append(T0 + i, key(i), value(random));
        }
        return builder.build().buffer();
    }

    /** The same records as the log returns them to a fetch. */
    static List<StoredRecord> storedRecords(Compression producedWith) {
        Random random = new Random(42);
        BatchAttributes attributes = new BatchAttributes(producedWith, TimestampType.CREATE_TIME, false, false);
        List<StoredRecord> records = new ArrayList<>(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            records.add(new StoredRecord(10_000L + i, T0 + i, key(i), value(random), List.of(), PRODUCER_ID,
                    PRODUCER_EPOCH, i, attributes));
        }
        return records;
    }

    static org.apache.kafka.common.compress.Compression kafkaCodec(Compression c) {
        return switch (c) {
            case NONE -> org.apache.kafka.common.compress.Compression.NONE;
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().build();
            case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().build();
        };
    }
}
