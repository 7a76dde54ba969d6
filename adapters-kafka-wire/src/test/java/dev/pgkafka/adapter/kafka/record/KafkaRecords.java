package dev.pgkafka.adapter.kafka.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;

/** Batches written and read by kafka-clients' own record classes: the reference our codec must match. */
final class KafkaRecords {
    private KafkaRecords() {
    }

    static org.apache.kafka.common.compress.Compression codec(Compression c) {
        return switch (c) {
            case NONE -> org.apache.kafka.common.compress.Compression.NONE;
            case GZIP -> org.apache.kafka.common.compress.Compression.gzip().build();
            case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
            case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().build();
            case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().build();
        };
    }

    /** A batch as a Kafka producer sends it: base offset 0. */
    static ByteBuffer produced(Compression compression, List<LogRecord> records) {
        return produced(compression, TimestampType.CREATE_TIME, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE, false, records);
    }

    static ByteBuffer produced(Compression compression, TimestampType timestampType, long producerId, short epoch,
                               int baseSequence, boolean transactional, List<LogRecord> records) {
        MemoryRecordsBuilder builder = MemoryRecords.builder(ByteBuffer.allocate(1024), RecordBatch.MAGIC_VALUE_V2,
                codec(compression), kafkaTimestampType(timestampType), 0L,
                timestampType == TimestampType.LOG_APPEND_TIME ? 1_700_000_999_999L : RecordBatch.NO_TIMESTAMP,
                producerId, epoch, baseSequence, transactional, RecordBatch.NO_PARTITION_LEADER_EPOCH);
        for (LogRecord r : records) {
            builder.append(r.timestamp(), r.key(), r.value(), kafkaHeaders(r.headers()));
        }
        return builder.build().buffer();
    }

    static org.apache.kafka.common.record.TimestampType kafkaTimestampType(TimestampType t) {
        return t == TimestampType.LOG_APPEND_TIME ? org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                : org.apache.kafka.common.record.TimestampType.CREATE_TIME;
    }

    static org.apache.kafka.common.header.Header[] kafkaHeaders(List<Header> headers) {
        return headers.stream().map(h -> new RecordHeader(h.key(), h.value()))
                .toArray(org.apache.kafka.common.header.Header[]::new);
    }

    /** One batch as Kafka's consumer sees it, after {@code ensureValid()}. */
    record ReadBatch(MutableRecordBatch batch, List<StoredRecord> records) {
    }

    /** Reads every batch with kafka-clients, checking each as a consumer does. */
    static List<ReadBatch> read(ByteBuffer encoded) {
        List<ReadBatch> batches = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(encoded.duplicate()).batches()) {
            batch.ensureValid();
            BatchAttributes attributes = new BatchAttributes(Compression.fromId(batch.compressionType().id),
                    batch.timestampType() == org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME
                            ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                    batch.isTransactional(), batch.isControlBatch());
            List<StoredRecord> records = new ArrayList<>();
            for (Record r : batch) {
                records.add(new StoredRecord(r.offset(), r.timestamp(), bytes(r.key()), bytes(r.value()),
                        headers(r.headers()), batch.producerId(), batch.producerEpoch(), r.sequence(), attributes));
            }
            batches.add(new ReadBatch(batch, records));
        }
        return batches;
    }

    static List<StoredRecord> readRecords(ByteBuffer encoded) {
        return read(encoded).stream().flatMap(b -> b.records().stream()).toList();
    }

    static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static List<Header> headers(org.apache.kafka.common.header.Header[] headers) {
        List<Header> list = new ArrayList<>();
        for (org.apache.kafka.common.header.Header h : headers) {
            list.add(new Header(h.key(), h.value()));
        }
        return list;
    }

    /** Recomputes the CRC of the single batch in {@code batch}, after a test changed its bytes. */
    static ByteBuffer withValidCrc(ByteBuffer batch) {
        CRC32C crc = new CRC32C();
        ByteBuffer covered = batch.duplicate().position(BatchLayout.ATTRIBUTES);
        crc.update(covered);
        batch.putInt(BatchLayout.CRC, (int) crc.getValue());
        return batch;
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }
}
