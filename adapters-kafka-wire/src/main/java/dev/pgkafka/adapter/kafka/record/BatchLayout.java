package dev.pgkafka.adapter.kafka.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Where the fields of a RecordBatch v2 header sit (Kafka's {@code DefaultRecordBatch}), and
 * big-endian access to them in a byte array.
 *
 * <pre>
 * baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
 * attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
 * producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32 | records
 * </pre>
 *
 * The CRC-32C covers everything from the attributes to the end of the batch.
 */
final class BatchLayout {
    static final int BASE_OFFSET = 0;
    static final int LENGTH = 8;
    static final int PARTITION_LEADER_EPOCH = 12;
    static final int MAGIC = 16;
    static final int CRC = 17;
    static final int ATTRIBUTES = 21;
    static final int LAST_OFFSET_DELTA = 23;
    static final int BASE_TIMESTAMP = 27;
    static final int MAX_TIMESTAMP = 35;
    static final int PRODUCER_ID = 43;
    static final int PRODUCER_EPOCH = 51;
    static final int BASE_SEQUENCE = 53;
    static final int RECORD_COUNT = 57;
    /** Size of the header, and so of a batch without records (Kafka's RECORD_BATCH_OVERHEAD). */
    static final int HEADER_SIZE = 61;

    /** baseOffset and batchLength: the bytes not counted in batchLength (Kafka's LOG_OVERHEAD). */
    static final int LOG_OVERHEAD = 12;
    /** Bytes needed to read the magic byte (Kafka's HEADER_SIZE_UP_TO_MAGIC). */
    static final int HEADER_SIZE_UP_TO_MAGIC = 17;
    /** The smallest batchLength any magic allows (Kafka's LegacyRecord.RECORD_OVERHEAD_V0). */
    static final int MIN_BATCH_LENGTH = 14;

    static final byte MAGIC_V2 = 2;
    static final int COMPRESSION_MASK = 0x07;
    static final int CONTROL_BIT = 0x20;

    /** Smallest v2 record: length, attributes, deltas, key and value lengths, header count. */
    static final int MIN_RECORD_SIZE = 7;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private BatchLayout() {
    }

    static short getShort(byte[] a, int at) {
        return (short) SHORT.get(a, at);
    }

    static int getInt(byte[] a, int at) {
        return (int) INT.get(a, at);
    }

    static long getLong(byte[] a, int at) {
        return (long) LONG.get(a, at);
    }

    static void putShort(byte[] a, int at, short v) {
        SHORT.set(a, at, v);
    }

    static void putInt(byte[] a, int at, int v) {
        INT.set(a, at, v);
    }

    static void putLong(byte[] a, int at, long v) {
        LONG.set(a, at, v);
    }
}
