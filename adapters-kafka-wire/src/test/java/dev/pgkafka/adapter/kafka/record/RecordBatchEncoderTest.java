package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Our fetch-side batches, read back by kafka-clients as a consumer reads them. */
class RecordBatchEncoderTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final BatchAttributes PLAIN = BatchAttributes.PLAIN;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static StoredRecord plain(long offset, long timestamp, String key, String value, List<Header> headers) {
        return new StoredRecord(offset, timestamp, key == null ? null : utf8(key), value == null ? null : utf8(value),
                headers, ProducerStamp.NO_PRODUCER_ID, ProducerStamp.NO_PRODUCER_EPOCH, ProducerStamp.NO_SEQUENCE, PLAIN);
    }

    private static StoredRecord idempotent(long offset, long producerId, short epoch, int sequence,
                                           BatchAttributes attributes) {
        return new StoredRecord(offset, T0 + offset, utf8("k" + offset), utf8("v" + offset), List.of(), producerId,
                epoch, sequence, attributes);
    }

    private static List<StoredRecord> sample() {
        return List.of(
                plain(100, T0, "a", "1", List.of()),
                plain(101, T0 + 7, null, "no key", List.of(new Header("h", utf8("x")), new Header("nul", null))),
                plain(102, T0 - 2, "tombstone", null, List.of(new Header("ключ", new byte[0]))),
                plain(103, T0 + 1, "", "", List.of()));
    }

    private static void assertSameRecords(List<StoredRecord> expected, List<StoredRecord> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            StoredRecord e = expected.get(i);
            StoredRecord a = actual.get(i);
            assertEquals(e.offset(), a.offset(), "offset of record " + i);
            assertEquals(e.timestamp(), a.timestamp(), "timestamp of record " + i);
            assertEquals(new StoredRecord(e.offset(), e.timestamp(), e.key(), e.value(), e.headers(), 0, (short) 0, 0, PLAIN),
                    new StoredRecord(a.offset(), a.timestamp(), a.key(), a.value(), a.headers(), 0, (short) 0, 0, PLAIN),
                    "record " + i);
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsEveryCodec(Compression codec) {
        ByteBuffer encoded = RecordBatchEncoder.encode(sample(), codec);

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(encoded);

        assertEquals(1, batches.size());
        MutableRecordBatch batch = batches.getFirst().batch();
        assertEquals(RecordBatch.MAGIC_VALUE_V2, batch.magic());
        assertEquals(codec.id(), batch.compressionType().id);
        assertEquals(100, batch.baseOffset());
        assertEquals(103, batch.lastOffset());
        assertEquals(4, batch.countOrNull());
        assertEquals(T0 + 7, batch.maxTimestamp());
        assertEquals(0, batch.partitionLeaderEpoch());
        assertEquals(RecordBatch.NO_PRODUCER_ID, batch.producerId());
        assertEquals(RecordBatch.NO_SEQUENCE, batch.baseSequence());
        assertFalse(batch.isTransactional());
        assertFalse(batch.isControlBatch());
        assertEquals(encoded.remaining(), batch.sizeInBytes());
        assertSameRecords(sample(), batches.getFirst().records());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void kafkaReadsLargeBatchesAcrossCodecBlockBoundaries(Compression codec) {
        List<StoredRecord> records = new ArrayList<>();
        var logRecords = new RandomRecords(11).records(700);
        for (int i = 0; i < logRecords.size(); i++) {
            var r = logRecords.get(i);
            records.add(new StoredRecord(i, r.timestamp(), r.key(), r.value(), r.headers(), -1, (short) -1, -1, PLAIN));
        }

        assertSameRecords(records, KafkaRecords.readRecords(RecordBatchEncoder.encode(records, codec)));
    }

    @Test
    void keepsEachBatchsOwnCodecWhenAskedForNone() {
        List<StoredRecord> records = List.of(
                idempotent(0, -1, (short) -1, -1, PLAIN.withCompression(Compression.GZIP)),
                idempotent(1, -1, (short) -1, -1, PLAIN.withCompression(Compression.ZSTD)),
                idempotent(2, -1, (short) -1, -1, PLAIN.withCompression(Compression.ZSTD)),
                idempotent(3, -1, (short) -1, -1, PLAIN));

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, null));

        assertEquals(List.of(Compression.GZIP, Compression.ZSTD, Compression.NONE),
                batches.stream().map(b -> Compression.fromId(b.batch().compressionType().id)).toList());
        assertEquals(List.of(1, 2, 1), batches.stream().map(b -> b.batch().countOrNull()).toList());
    }

    @Test
    void rebuildsTheProducersBatchesFromTheirFields() {
        BatchAttributes txn = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, false);
        List<StoredRecord> records = List.of(
                idempotent(10, 7, (short) 1, 0, PLAIN),
                idempotent(11, 7, (short) 1, 1, PLAIN),
                idempotent(12, 7, (short) 1, 2, PLAIN),
                idempotent(13, 8, (short) 0, 5, PLAIN),          // another producer
                idempotent(14, 8, (short) 0, 7, PLAIN),          // a sequence gap
                idempotent(15, 8, (short) 0, 8, txn),            // other attributes
                idempotent(16, 8, (short) 0, 9, txn));

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, Compression.LZ4));

        assertEquals(List.of(10L, 13L, 14L, 15L), batches.stream().map(b -> b.batch().baseOffset()).toList());
        assertEquals(List.of(7L, 8L, 8L, 8L), batches.stream().map(b -> b.batch().producerId()).toList());
        assertEquals(List.of(0, 5, 7, 8), batches.stream().map(b -> b.batch().baseSequence()).toList());
        assertEquals(List.of(2, 5, 7, 9), batches.stream().map(b -> b.batch().lastSequence()).toList());
        assertEquals(List.of(false, false, false, true), batches.stream().map(b -> b.batch().isTransactional()).toList());
        assertEquals(List.of(0, 1, 2), batches.getFirst().records().stream().map(StoredRecord::sequence).toList());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void keepsOffsetGapsOfACompactedLogInsideOneBatch(Compression codec) {
        List<StoredRecord> records = List.of(
                plain(0, T0, "a", "1", List.of()),
                plain(5, T0 + 1, "b", "2", List.of()),
                plain(6, T0 + 2, "c", "3", List.of()),
                plain(90, T0 + 3, "d", null, List.of()));

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, codec));

        assertEquals(1, batches.size());
        assertEquals(0, batches.getFirst().batch().baseOffset());
        assertEquals(90, batches.getFirst().batch().lastOffset());
        assertEquals(4, batches.getFirst().batch().countOrNull());
        assertSameRecords(records, batches.getFirst().records());
    }

    @Test
    void writesTransactionMarkersAsControlBatchesOfTheirOwn() {
        MemoryRecords marker = MemoryRecords.withEndTransactionMarker(0L, T0, 0, 8L, (short) 2,
                new EndTransactionMarker(ControlRecordType.COMMIT, 5));
        Record markerRecord = marker.batches().iterator().next().iterator().next();
        BatchAttributes control = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true);
        BatchAttributes txn = new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, false);
        List<StoredRecord> records = List.of(
                idempotent(20, 8, (short) 2, 0, txn),
                new StoredRecord(21, T0, KafkaRecords.bytes(markerRecord.key()), KafkaRecords.bytes(markerRecord.value()),
                        List.of(), 8, (short) 2, -1, control),
                new StoredRecord(22, T0, KafkaRecords.bytes(markerRecord.key()), KafkaRecords.bytes(markerRecord.value()),
                        List.of(), 8, (short) 2, -1, control));

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, Compression.ZSTD));

        assertEquals(3, batches.size());
        assertEquals(Compression.ZSTD.id(), batches.get(0).batch().compressionType().id);
        for (KafkaRecords.ReadBatch b : batches.subList(1, 3)) {
            MutableRecordBatch batch = b.batch();
            assertTrue(batch.isControlBatch());
            assertTrue(batch.isTransactional());
            assertEquals(Compression.NONE.id(), batch.compressionType().id, "markers are never recompressed");
            assertEquals(8L, batch.producerId());
            Record record = batch.iterator().next();
            assertEquals(ControlRecordType.COMMIT, ControlRecordType.parse(record.key()));
            assertEquals(5, EndTransactionMarker.deserialize(record).coordinatorEpoch());
        }
    }

    @Test
    void givesEveryRecordOfALogAppendTimeBatchItsAppendTime() {
        BatchAttributes appendTime = PLAIN.withTimestampType(TimestampType.LOG_APPEND_TIME);
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // two produce requests, appended at different times, non-idempotent: same attributes
            long appendedAt = i < 3 ? T0 : T0 + 50;
            records.add(new StoredRecord(i, appendedAt, null, utf8("v" + i), List.of(), -1, (short) -1, -1, appendTime));
        }

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, Compression.NONE));

        assertEquals(2, batches.size());
        assertEquals(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, batches.get(0).batch().timestampType());
        assertEquals(List.of(T0, T0, T0, T0 + 50, T0 + 50, T0 + 50),
                KafkaRecords.readRecords(RecordBatchEncoder.encode(records, Compression.NONE)).stream()
                        .map(StoredRecord::timestamp).toList());
    }

    @Test
    void capsTheSizeOfABatch() {
        byte[] big = new byte[400 * 1024];
        byte[] huge = new byte[3 * 1024 * 1024];
        List<StoredRecord> records = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            records.add(new StoredRecord(i, T0, null, big, List.of(), -1, (short) -1, -1, PLAIN));
        }
        records.add(new StoredRecord(5, T0, null, huge, List.of(), -1, (short) -1, -1, PLAIN));
        records.add(new StoredRecord(6, T0, null, big, List.of(), -1, (short) -1, -1, PLAIN));

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, Compression.NONE));

        assertEquals(List.of(2, 2, 1, 1, 1), batches.stream().map(b -> b.batch().countOrNull()).toList());
        assertEquals(List.of(0L, 2L, 4L, 5L, 6L), batches.stream().map(b -> b.batch().baseOffset()).toList());
    }

    @Test
    void encodesNothingAsAnEmptyBuffer() {
        assertEquals(0, RecordBatchEncoder.encode(List.of(), Compression.GZIP).remaining());
    }

    @Test
    void encodesManyBatchesBackToBack() {
        List<StoredRecord> records = IntStream.range(0, 300)
                .mapToObj(i -> idempotent(i, i / 10, (short) 0, i % 10, PLAIN))
                .toList();

        List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, Compression.SNAPPY));

        assertEquals(30, batches.size());
        assertSameRecords(records, batches.stream().flatMap(b -> b.records().stream()).toList());
    }
}
