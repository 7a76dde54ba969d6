package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The request-wide bound on decoded records ({@code pgkafka.produce.max.uncompressed.request.bytes}):
 * batches take their records' bytes plus an overhead a record from one allowance, and the batch that
 * would take it over is refused with MESSAGE_TOO_LARGE, however small it is on the wire.
 */
class DecodingAllowanceTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int MIB = 1024 * 1024;
    private static final int OVERHEAD = DecodingAllowance.RECORD_OVERHEAD_BYTES;

    private static ByteBuffer zeros(Compression codec, int valueBytes) {
        return KafkaRecords.produced(codec, List.of(new LogRecord(T0, null, new byte[valueBytes], List.of())));
    }

    private static int recordsSection(ByteBuffer batch) throws InvalidBatchException {
        // what one batch takes: decode it alone and read the allowance
        DecodingAllowance alone = DecodingAllowance.unbounded();
        RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, alone);
        return (int) alone.used();
    }

    @Test
    void acceptedBatchesTakeTheirRecordBytesAndAnOverheadEach() throws InvalidBatchException {
        List<LogRecord> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new LogRecord(T0, null, new byte[1000], List.of()));
        }
        ByteBuffer batch = KafkaRecords.produced(Compression.NONE, three);
        DecodingAllowance allowance = new DecodingAllowance(MIB);
        RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, allowance);
        int records = batch.remaining() - BatchLayout.HEADER_SIZE;
        assertEquals(records + 3L * OVERHEAD, allowance.used());
        RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, allowance);
        assertEquals(2 * (records + 3L * OVERHEAD), allowance.used(), "a second batch adds to the first");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void manyBatchesEachWithinThePerBatchBoundAreStoppedByTheRequestBound(Compression codec)
            throws InvalidBatchException {
        // each batch inflates to 3 MiB, within a 4 MiB per-batch bound; the request may hold 8 MiB
        ByteBuffer batch = zeros(codec, 3 * MIB);
        assertTrue(batch.remaining() < 512 * 1024, "compressed to " + batch.remaining());
        DecodingAllowance allowance = new DecodingAllowance(8L * MIB);
        RecordBatchDecoder.decode(batch, 4 * MIB, allowance);
        RecordBatchDecoder.decode(batch, 4 * MIB, allowance);
        long afterTwo = allowance.used();
        assertTrue(afterTwo > 6L * MIB && afterTwo <= 8L * MIB, "two batches took " + afterTwo);

        InvalidBatchException third = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(batch, 4 * MIB, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, third.error());
        assertTrue(third.getMessage().contains("pgkafka.produce.max.uncompressed.request.bytes"), third.getMessage());
        assertEquals(afterTwo, allowance.used(), "a refused batch takes nothing");

        // a small batch still fits in what is left
        RecordBatchDecoder.decode(zeros(codec, 1000), 4 * MIB, allowance);
    }

    @Test
    void thePerBatchBoundStillAppliesWithRoomInTheRequest() {
        DecodingAllowance allowance = new DecodingAllowance(1L << 40);
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(zeros(Compression.GZIP, 3 * MIB), 2 * MIB, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
        assertEquals(0, allowance.used());
    }

    @Test
    void manyTinyRecordsAreRefusedByTheirCountBeforeTheyAreRead() throws InvalidBatchException {
        // 10,000 empty records: about 80 kB on the wire, but 640 kB of objects once decoded
        List<LogRecord> tiny = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            tiny.add(new LogRecord(T0, null, null, List.of()));
        }
        ByteBuffer batch = KafkaRecords.produced(Compression.ZSTD, tiny);
        DecodingAllowance allowance = new DecodingAllowance(500_000);
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
        assertTrue(e.getMessage().contains("10000 records"), e.getMessage());
        assertEquals(0, allowance.used());
        assertEquals(10_000L * OVERHEAD + recordsSectionUncompressed(tiny), recordsSection(batch));
    }

    private static int recordsSectionUncompressed(List<LogRecord> records) {
        return KafkaRecords.produced(Compression.NONE, records).remaining() - BatchLayout.HEADER_SIZE;
    }

    @Test
    void anUncompressedBatchCountsToo() {
        ByteBuffer batch = zeros(Compression.NONE, 100_000);
        DecodingAllowance allowance = new DecodingAllowance(100_000);
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
    }

    @Test
    void aBombStopsInflatingAtWhatTheRequestHasLeft() {
        // 64 MiB of zeros, within the per-batch bound: the request's 16 MiB is what stops it
        ByteBuffer batch = KafkaRecords.produced(Compression.ZSTD,
                List.of(new LogRecord(T0, null, new byte[64 * MIB], List.of())));
        Runtime rt = Runtime.getRuntime();
        DecodingAllowance allowance = new DecodingAllowance(16L * MIB);
        long before = rt.totalMemory() - rt.freeMemory();
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(batch, RecordBatchDecoder.DEFAULT_MAX_UNCOMPRESSED_BYTES, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
        long grown = rt.totalMemory() - rt.freeMemory() - before;
        assertTrue(grown < 48L * MIB, "decoding took " + grown + " bytes of heap for a 16 MiB allowance");
    }
}
