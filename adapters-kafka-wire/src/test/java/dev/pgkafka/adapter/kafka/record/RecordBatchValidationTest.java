package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every refusal of the decoder, each from a batch broken by hand, with the error Kafka gives. */
class RecordBatchValidationTest {
    private static final long T0 = 1_700_000_000_000L;

    private static List<LogRecord> twoRecords() {
        return List.of(new LogRecord(T0, utf8("k1"), utf8("v1"), List.of()),
                new LogRecord(T0 + 1, utf8("k2"), utf8("v2"), List.of()));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ByteBuffer valid() {
        return KafkaRecords.produced(Compression.NONE, twoRecords());
    }

    private static ErrorCode refusal(ByteBuffer records) {
        return assertThrows(InvalidBatchException.class, () -> RecordBatchDecoder.decode(records)).error();
    }

    // ---- framing and the one-batch rule

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 11, 16})
    void fewerBytesThanABatchHeaderHoldNoBatch(int size) {
        ByteBuffer b = KafkaRecords.copy(valid());
        b.limit(size);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @Test
    void aTruncatedBatchIsNoBatch() {
        ByteBuffer b = valid();
        b.limit(b.limit() - 1);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 13, Integer.MIN_VALUE})
    void aBatchLengthBelowAnyRecordOverheadIsCorrupt(int length) {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.LENGTH, length);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(b));
    }

    @Test
    void anAbsurdBatchLengthIsNoBatch() {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.LENGTH, Integer.MAX_VALUE);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @Test
    void aBatchLengthShorterThanTheBufferLeavesTrailingBytes() {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.LENGTH, b.getInt(BatchLayout.LENGTH) - 3);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 1})
    void legacyMagicIsRefusedOnProduceV3(byte magic) {
        ByteBuffer b = valid();
        b.put(BatchLayout.MAGIC, magic);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @ParameterizedTest
    @ValueSource(bytes = {3, -1, 127})
    void unknownMagicIsCorrupt(byte magic) {
        ByteBuffer b = valid();
        b.put(BatchLayout.MAGIC, magic);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(b));
    }

    @Test
    void trailingBytesAreRefused() {
        ByteBuffer batch = valid();
        ByteBuffer b = ByteBuffer.allocate(batch.remaining() + 1);
        b.put(batch).put((byte) 0).flip();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @Test
    void aSecondBatchIsRefused() {
        ByteBuffer first = valid();
        ByteBuffer b = ByteBuffer.allocate(first.remaining() * 2);
        b.put(first.duplicate()).put(first.duplicate()).flip();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @Test
    void aProducerBatchStartsAtOffsetZero() {
        ByteBuffer b = valid();
        b.putLong(BatchLayout.BASE_OFFSET, 5);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(b));
    }

    @Test
    void aBatchShorterThanItsHeaderIsCorrupt() {
        ByteBuffer b = KafkaRecords.copy(valid());
        b.limit(50);
        b.putInt(BatchLayout.LENGTH, 50 - BatchLayout.LOG_OVERHEAD);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(b));
    }

    // ---- integrity

    @Test
    void aFlippedCrcByteIsCorrupt() {
        ByteBuffer b = valid();
        b.put(BatchLayout.CRC + 2, (byte) (b.get(BatchLayout.CRC + 2) ^ 0x10));
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(b));
    }

    @Test
    void aFlippedPayloadByteIsCorrupt() {
        ByteBuffer b = valid();
        int at = b.limit() - 3;
        b.put(at, (byte) (b.get(at) ^ 0x01));
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(b));
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7})
    void anUnknownCodecIsCorrupt(int codec) {
        ByteBuffer b = valid();
        b.putShort(BatchLayout.ATTRIBUTES, (short) codec);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(KafkaRecords.withValidCrc(b)));
    }

    // ---- LogValidator.validateBatch

    @Test
    void aNegativeOffsetRangeIsInvalid() {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.LAST_OFFSET_DELTA, -1);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void aRecordCountBelowOneIsInvalid(int count) {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.RECORD_COUNT, count);
        b.putInt(BatchLayout.LAST_OFFSET_DELTA, count - 1);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @Test
    void aCountThatDisagreesWithTheOffsetRangeIsInvalid() {
        ByteBuffer b = valid();
        b.putInt(BatchLayout.RECORD_COUNT, 3);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aCountLargerThanTheRecordsIsInvalid(Compression codec) {
        ByteBuffer b = KafkaRecords.produced(codec, twoRecords());
        b.putInt(BatchLayout.RECORD_COUNT, 3);
        b.putInt(BatchLayout.LAST_OFFSET_DELTA, 2);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void aCountSmallerThanTheRecordsIsInvalid(Compression codec) {
        ByteBuffer b = KafkaRecords.produced(codec, twoRecords());
        b.putInt(BatchLayout.RECORD_COUNT, 1);
        b.putInt(BatchLayout.LAST_OFFSET_DELTA, 0);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @Test
    void clientsMayNotWriteControlBatches() {
        ByteBuffer marker = MemoryRecords.withEndTransactionMarker(0L, T0, 0, 8L, (short) 2,
                new EndTransactionMarker(ControlRecordType.ABORT, 1)).buffer();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(marker));

        ByteBuffer b = valid();
        b.putShort(BatchLayout.ATTRIBUTES, (short) BatchLayout.CONTROL_BIT);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    @Test
    void aProducerIdNeedsASequence() {
        ByteBuffer b = KafkaRecords.produced(Compression.NONE, TimestampType.CREATE_TIME, 9L, (short) 0, 0, false,
                twoRecords());
        b.putInt(BatchLayout.BASE_SEQUENCE, -1);
        assertEquals(ErrorCode.INVALID_RECORD, refusal(KafkaRecords.withValidCrc(b)));
    }

    // ---- records, from hand-written bytes

    /** Writes record fields as raw varints and bytes. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes varint(int v) {
            byte[] a = new byte[5];
            out.write(a, 0, Varints.writeVarint(a, 0, v));
            return this;
        }

        Bytes varlong(long v) {
            byte[] a = new byte[10];
            out.write(a, 0, Varints.writeVarlong(a, 0, v));
            return this;
        }

        Bytes raw(int... bytes) {
            for (int b : bytes) {
                out.write(b);
            }
            return this;
        }

        Bytes bytes(byte[] b) {
            out.write(b, 0, b.length);
            return this;
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    /** A record: length, attributes, deltas, key, value, headers given as already-encoded bytes. */
    private static byte[] record(int offsetDelta, byte[] key, byte[] value, byte[] headers) {
        Bytes body = new Bytes().raw(0).varlong(0).varint(offsetDelta);
        body.varint(key == null ? -1 : key.length).bytes(key == null ? new byte[0] : key);
        body.varint(value == null ? -1 : value.length).bytes(value == null ? new byte[0] : value);
        body.bytes(headers);
        byte[] b = body.toArray();
        return new Bytes().varint(b.length).bytes(b).toArray();
    }

    private static byte[] noHeaders() {
        return new Bytes().varint(0).toArray();
    }

    /** A valid header and CRC around {@code records}, claiming {@code count} records. */
    private static ByteBuffer batch(int count, byte[]... records) {
        int size = BatchLayout.HEADER_SIZE;
        for (byte[] r : records) {
            size += r.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putLong(0).putInt(size - BatchLayout.LOG_OVERHEAD).putInt(-1).put(BatchLayout.MAGIC_V2).putInt(0)
                .putShort((short) 0).putInt(count - 1).putLong(T0).putLong(T0).putLong(-1).putShort((short) -1)
                .putInt(-1).putInt(count);
        for (byte[] r : records) {
            b.put(r);
        }
        return KafkaRecords.withValidCrc(b.flip());
    }

    @Test
    void handWrittenBatchesDecodeWhenRight() throws InvalidBatchException {
        ByteBuffer b = batch(2, record(0, utf8("a"), utf8("b"), noHeaders()), record(1, null, null, noHeaders()));
        assertEquals(2, RecordBatchDecoder.decode(b).recordCount());
    }

    @Test
    void offsetDeltasMustCountFromZero() {
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(2,
                record(0, null, utf8("a"), noHeaders()), record(2, null, utf8("b"), noHeaders()))));
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, record(1, null, utf8("a"), noHeaders()))));
    }

    @Test
    void aRecordLengthLongerThanItsFieldsIsInvalid() {
        byte[] r = record(0, null, utf8("abc"), noHeaders());
        // the same fields followed by one byte the record's length counts but no field reads
        byte[] body = new Bytes().bytes(java.util.Arrays.copyOfRange(r, 1, r.length)).raw(0).toArray();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, new Bytes().varint(body.length).bytes(body).toArray())));
    }

    @Test
    void aRecordLengthShorterThanItsFieldsIsInvalid() {
        byte[] r = record(0, null, utf8("abc"), noHeaders());
        r[0] = (byte) (r[0] - 2); // a positive zig-zag varint one smaller
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, r)));
    }

    @Test
    void aNegativeRecordLengthIsInvalid() {
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, new Bytes().varint(-5).raw(0, 0, 0, 1, 1, 0).toArray())));
    }

    @Test
    void aKeyRunningPastTheRecordIsInvalid() {
        byte[] body = new Bytes().raw(0).varlong(0).varint(0).varint(50).bytes(utf8("short")).toArray();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, new Bytes().varint(body.length).bytes(body).toArray())));
    }

    @Test
    void aVarintLongerThanFiveBytesIsInvalid() {
        byte[] body = new Bytes().raw(0).varlong(0).raw(0x80, 0x80, 0x80, 0x80, 0x80, 0x00).varint(-1).varint(-1).varint(0)
                .toArray();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, new Bytes().varint(body.length).bytes(body).toArray())));
    }

    @Test
    void aNegativeHeaderCountIsInvalid() {
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, record(0, null, null, new Bytes().varint(-1).toArray()))));
    }

    @Test
    void aHeaderCountBeyondTheRecordIsInvalid() {
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, record(0, null, null, new Bytes().varint(100).toArray()))));
    }

    @Test
    void aNegativeHeaderKeyLengthIsInvalid() {
        byte[] headers = new Bytes().varint(1).varint(-1).varint(-1).toArray();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, record(0, null, null, headers))));
    }

    @Test
    void aHeaderKeyMustBeUtf8() {
        byte[] headers = new Bytes().varint(1).varint(2).raw(0xC3, 0x28).varint(-1).toArray();
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, record(0, null, null, headers))));
    }

    @Test
    void aNullHeaderValueIsFine() throws InvalidBatchException {
        byte[] headers = new Bytes().varint(1).varint(1).raw('h').varint(-1).toArray();
        assertEquals(null, RecordBatchDecoder.decode(batch(1, record(0, null, null, headers)))
                .records().getFirst().headers().getFirst().value());
    }

    @Test
    void bytesAfterTheLastRecordAreInvalid() {
        byte[] r = record(0, null, utf8("a"), noHeaders());
        assertEquals(ErrorCode.INVALID_RECORD, refusal(batch(1, r, new byte[] {0})));
    }

    // ---- compressed payloads

    /** The batch with its records section replaced, length and CRC made right again. */
    private static ByteBuffer withRecordsSection(ByteBuffer batch, byte[] section) {
        ByteBuffer b = ByteBuffer.allocate(BatchLayout.HEADER_SIZE + section.length);
        b.put(batch.duplicate().limit(BatchLayout.HEADER_SIZE)).put(section).flip();
        b.putInt(BatchLayout.LENGTH, b.remaining() - BatchLayout.LOG_OVERHEAD);
        return KafkaRecords.withValidCrc(b);
    }

    private static byte[] recordsSection(ByteBuffer batch) {
        ByteBuffer s = batch.duplicate().position(BatchLayout.HEADER_SIZE);
        byte[] a = new byte[s.remaining()];
        s.get(a);
        return a;
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aTruncatedCompressedStreamIsCorrupt(Compression codec) {
        ByteBuffer batch = KafkaRecords.produced(codec, new RandomRecords(3).records(50));
        byte[] section = recordsSection(batch);
        byte[] truncated = java.util.Arrays.copyOf(section, section.length / 2);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(withRecordsSection(batch, truncated)));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aDamagedCodecHeaderIsCorrupt(Compression codec) {
        ByteBuffer batch = KafkaRecords.produced(codec, twoRecords());
        byte[] section = recordsSection(batch);
        // the gzip magic, the xerial snappy length of the first chunk, the lz4 descriptor checksum, the zstd magic
        int at = switch (codec) {
            case SNAPPY -> 16;
            case LZ4 -> 6;
            default -> 0;
        };
        section[at] ^= (byte) 0x5A;
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(withRecordsSection(batch, section)));
    }

    @Test
    void aSnappyChunkClaimingGigabytesIsCorruptAndAllocatesNothing() {
        ByteBuffer batch = KafkaRecords.produced(Compression.SNAPPY, twoRecords());
        byte[] section = recordsSection(batch);
        ByteBuffer.wrap(section).putInt(16, Integer.MAX_VALUE);
        assertEquals(ErrorCode.CORRUPT_MESSAGE, refusal(withRecordsSection(batch, section)));
    }

    @Test
    void rawSnappyClaimingGigabytesIsRefusedBeforeAllocating() {
        ByteBuffer batch = KafkaRecords.produced(Compression.SNAPPY, twoRecords());
        // an unframed block whose varint header claims 4 GiB - 1
        byte[] raw = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 0, 1, 2, 3};
        ErrorCode error = refusal(withRecordsSection(batch, raw));
        assertEquals(true, error == ErrorCode.CORRUPT_MESSAGE || error == ErrorCode.MESSAGE_TOO_LARGE, error.name());
    }

    @Test
    void rawUnframedSnappyAsLibrdkafkaSendsItIsAccepted() throws Exception {
        ByteBuffer batch = KafkaRecords.produced(Compression.NONE, twoRecords());
        byte[] raw = org.xerial.snappy.Snappy.compress(recordsSection(batch));
        ByteBuffer snappy = withRecordsSection(batch, raw);
        snappy.putShort(BatchLayout.ATTRIBUTES, (short) Compression.SNAPPY.id());
        assertEquals(twoRecords(), RecordBatchDecoder.decode(KafkaRecords.withValidCrc(snappy)).records());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aDecompressionBombIsRefusedWithoutTakingTheHeap(Compression codec) {
        // 16 MiB of zeros compress to a few KiB in every codec
        List<LogRecord> bomb = List.of(new LogRecord(T0, null, new byte[16 * 1024 * 1024], List.of()));
        ByteBuffer batch = KafkaRecords.produced(codec, bomb);
        assertEquals(true, batch.remaining() < 1024 * 1024, "compressed to " + batch.remaining());

        InvalidBatchException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(
                InvalidBatchException.class, () -> RecordBatchDecoder.decode(batch, 1024 * 1024)));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
    }

    @Test
    void theBoundIsWhatRefusesTheBomb() throws InvalidBatchException {
        List<LogRecord> bomb = List.of(new LogRecord(T0, null, new byte[16 * 1024 * 1024], List.of()));
        assertEquals(1, RecordBatchDecoder.decode(KafkaRecords.produced(Compression.ZSTD, bomb)).recordCount());
    }

    // ---- no input may escape as anything but InvalidBatchException

    @ParameterizedTest
    @EnumSource(Compression.class)
    void randomlyDamagedBatchesAreRefusedOrDecodedNeverThrown(Compression codec) {
        long seed = 20_260_101L + codec.ordinal();
        Random random = new Random(seed);
        ByteBuffer original = KafkaRecords.produced(codec, new RandomRecords(seed).records(20));
        int refused = 0;
        for (int i = 0; i < 4000; i++) {
            ByteBuffer b = KafkaRecords.copy(original);
            int damage = 1 + random.nextInt(4);
            for (int d = 0; d < damage; d++) {
                // mostly the records, sometimes the header after the CRC
                int at = random.nextInt(4) == 0
                        ? BatchLayout.ATTRIBUTES + random.nextInt(BatchLayout.HEADER_SIZE - BatchLayout.ATTRIBUTES)
                        : BatchLayout.HEADER_SIZE + random.nextInt(b.remaining() - BatchLayout.HEADER_SIZE);
                b.put(at, (byte) random.nextInt(256));
            }
            if (random.nextInt(5) == 0) {
                int cut = BatchLayout.HEADER_SIZE + random.nextInt(b.remaining() - BatchLayout.HEADER_SIZE);
                b = withRecordsSection(b, java.util.Arrays.copyOfRange(recordsSection(b), 0, cut - BatchLayout.HEADER_SIZE));
            }
            b.putLong(BatchLayout.BASE_OFFSET, 0);
            KafkaRecords.withValidCrc(b);
            try {
                RecordBatchDecoder.decode(b, 4 * 1024 * 1024);
            } catch (InvalidBatchException e) {
                refused++;
            } catch (Throwable t) {
                fail("seed " + seed + ", iteration " + i + ": " + codec + " threw " + t, t);
            }
        }
        assertEquals(true, refused > 400, "only " + refused + " of 4000 damaged batches were refused, seed " + seed);
    }
}
