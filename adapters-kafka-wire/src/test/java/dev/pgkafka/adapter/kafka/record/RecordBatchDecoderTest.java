package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.TimestampType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batches written by kafka-clients' producer-side builder, decoded by ours. */
class RecordBatchDecoderTest {
    private static final long T0 = 1_700_000_000_000L;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<LogRecord> sample() {
        return List.of(
                new LogRecord(T0, utf8("key-1"), utf8("value-1"), List.of()),
                new LogRecord(T0 + 5, null, utf8("no key"), List.of(new Header("trace", utf8("abc")))),
                new LogRecord(T0 - 3, utf8("tombstone"), null, List.of(new Header("null-value", null),
                        new Header("ключ", new byte[0]))),
                new LogRecord(T0 + 1000, new byte[0], new byte[0], List.of()));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decodesWhatTheKafkaProducerWrites(Compression codec) throws InvalidBatchException {
        ByteBuffer produced = KafkaRecords.produced(codec, sample());
        int position = produced.position();

        AppendBatch batch = RecordBatchDecoder.decode(produced);

        assertEquals(position, produced.position(), "decode must not move the buffer");
        assertEquals(sample(), batch.records());
        assertEquals(ProducerStamp.NONE, batch.producer());
        assertEquals(new BatchAttributes(codec, TimestampType.CREATE_TIME, false, false), batch.attributes());
        assertEquals(produced.remaining(), batch.sizeInBytes());
        assertFalse(batch.isIdempotent());
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void keepsTheProducerFieldsOfIdempotentAndTransactionalBatches(Compression codec) throws InvalidBatchException {
        ByteBuffer produced = KafkaRecords.produced(codec, TimestampType.CREATE_TIME, 4711L, (short) 3, 42, true,
                sample());

        AppendBatch batch = RecordBatchDecoder.decode(produced);

        assertEquals(new ProducerStamp(4711L, (short) 3, 42), batch.producer());
        assertTrue(batch.isIdempotent());
        assertTrue(batch.attributes().transactional());
        assertEquals(45, batch.lastSequence());
        assertEquals(sample(), batch.records());
    }

    @Test
    void keepsTheRecordTimestampsOfALogAppendTimeBatchFromAClient() throws InvalidBatchException {
        ByteBuffer produced = KafkaRecords.produced(Compression.NONE, TimestampType.LOG_APPEND_TIME, -1L, (short) -1, -1,
                false, sample());

        AppendBatch batch = RecordBatchDecoder.decode(produced);

        assertEquals(TimestampType.LOG_APPEND_TIME, batch.attributes().timestampType());
        assertEquals(sample().stream().map(LogRecord::timestamp).toList(),
                batch.records().stream().map(LogRecord::timestamp).toList());
    }

    @Test
    void readsFromADirectBufferAndFromTheMiddleOfALargerBuffer() throws InvalidBatchException {
        ByteBuffer produced = KafkaRecords.produced(Compression.LZ4, sample());
        ByteBuffer direct = ByteBuffer.allocateDirect(produced.remaining());
        direct.put(produced.duplicate()).flip();
        assertEquals(sample(), RecordBatchDecoder.decode(direct).records());

        ByteBuffer framed = ByteBuffer.allocate(produced.remaining() + 20);
        framed.position(7);
        framed.put(produced.duplicate());
        framed.position(7).limit(7 + produced.remaining());
        assertEquals(sample(), RecordBatchDecoder.decode(framed).records());
        assertEquals(7, framed.position());
    }

    @Test
    void distinguishesNullFromEmptyKeysValuesAndHeaderValues() throws InvalidBatchException {
        List<LogRecord> records = RecordBatchDecoder.decode(KafkaRecords.produced(Compression.NONE, sample())).records();

        assertNull(records.get(1).key());
        assertNull(records.get(2).value());
        assertNull(records.get(2).headers().get(0).value());
        assertArrayEquals(new byte[0], records.get(2).headers().get(1).value());
        assertArrayEquals(new byte[0], records.get(3).key());
        assertEquals("ключ", records.get(2).headers().get(1).key());
    }

    @Test
    void theDecompressionBoundLeavesUncompressedBatchesAlone() throws InvalidBatchException {
        assertEquals(sample(), RecordBatchDecoder.decode(KafkaRecords.produced(Compression.NONE, sample()), 0).records());
        assertThrows(IllegalArgumentException.class,
                () -> RecordBatchDecoder.decode(KafkaRecords.produced(Compression.NONE, sample()), -1));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void decodesLargeBatchesAcrossCodecBlockBoundaries(Compression codec) throws InvalidBatchException {
        // well past snappy's 32 KiB chunks and lz4's 64 KiB blocks
        List<LogRecord> records = new RandomRecords(7).records(600);

        AppendBatch batch = RecordBatchDecoder.decode(KafkaRecords.produced(codec, records));

        assertEquals(records, batch.records());
    }
}
