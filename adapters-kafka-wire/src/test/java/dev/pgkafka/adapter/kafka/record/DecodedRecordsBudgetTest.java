package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The broker-wide budget of decoded records: requests that each stay within their own bound cannot
 * together hold more than it. A batch that finds it spent gets a retriable error (the producer retries
 * it) and takes nothing; what a request took comes back when it releases.
 */
class DecodedRecordsBudgetTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final int MIB = 1024 * 1024;

    private static ByteBuffer zeros(Compression codec, int valueBytes) {
        return KafkaRecords.produced(codec, List.of(new LogRecord(T0, null, new byte[valueBytes], List.of())));
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void requestsWithinTheirOwnBoundStillShareTheBrokersBudget(Compression codec) throws InvalidBatchException {
        DecodedRecordsBudget broker = new DecodedRecordsBudget(8L * MIB);
        DecodingAllowance first = new DecodingAllowance(6L * MIB, broker);
        DecodingAllowance second = new DecodingAllowance(6L * MIB, broker);
        RecordBatchDecoder.decode(zeros(codec, 5 * MIB), 16 * MIB, first);
        assertTrue(broker.available() < 3L * MIB, "the first request holds its records: " + broker.available());

        InvalidBatchException busy = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(zeros(codec, 4 * MIB), 16 * MIB, second));
        assertEquals(ErrorCode.REQUEST_TIMED_OUT, busy.error(), "retriable: the batch fits its own bound");
        assertEquals(0, second.used(), "a refused batch takes nothing");

        first.release();
        assertEquals(8L * MIB, broker.available(), "released when the first request's append is answered");
        RecordBatchDecoder.decode(zeros(codec, 4 * MIB), 16 * MIB, second);
        second.release();
        assertEquals(8L * MIB, broker.available());
    }

    @Test
    void aBatchOverItsRequestsOwnBoundIsStillTooLarge() {
        DecodedRecordsBudget broker = new DecodedRecordsBudget(64L * MIB);
        DecodingAllowance allowance = new DecodingAllowance(2L * MIB, broker);
        InvalidBatchException e = assertThrows(InvalidBatchException.class,
                () -> RecordBatchDecoder.decode(zeros(Compression.GZIP, 4 * MIB), 16 * MIB, allowance));
        assertEquals(ErrorCode.MESSAGE_TOO_LARGE, e.error());
        assertEquals(64L * MIB, broker.available(), "nothing taken");
    }

    @Test
    void theDefaultIsAQuarterOfTheHeapAndAtLeastOneRequest() {
        assertEquals(1L << 30, DecodedRecordsBudget.forHeap(4L << 30, 256L * MIB).capacity());
        assertEquals(256L * MIB, DecodedRecordsBudget.forHeap(512L * MIB, 256L * MIB).capacity());
    }
}
