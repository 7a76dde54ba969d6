package dev.pgkafka.domain.log;

/**
 * The attributes a record batch carries. Stored per record (as Kafka's attribute bits) so that
 * fetch can rebuild batches that look like the ones the producer sent.
 */
public record BatchAttributes(Compression compression, TimestampType timestampType, boolean transactional,
                              boolean control) {

    public static final BatchAttributes PLAIN =
            new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, false, false);

    private static final int COMPRESSION_MASK = 0x07;
    private static final int TIMESTAMP_TYPE_BIT = 0x08;
    private static final int TRANSACTIONAL_BIT = 0x10;
    private static final int CONTROL_BIT = 0x20;

    /** Kafka's RecordBatch v2 attribute layout (without the delete-horizon bit). */
    public short toBits() {
        int bits = compression.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            bits |= TIMESTAMP_TYPE_BIT;
        }
        if (transactional) {
            bits |= TRANSACTIONAL_BIT;
        }
        if (control) {
            bits |= CONTROL_BIT;
        }
        return (short) bits;
    }

    public static BatchAttributes fromBits(int bits) {
        return new BatchAttributes(
                Compression.fromId(bits & COMPRESSION_MASK),
                (bits & TIMESTAMP_TYPE_BIT) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                (bits & TRANSACTIONAL_BIT) != 0,
                (bits & CONTROL_BIT) != 0);
    }

    public BatchAttributes withCompression(Compression c) {
        return new BatchAttributes(c, timestampType, transactional, control);
    }

    public BatchAttributes withTimestampType(TimestampType t) {
        return new BatchAttributes(compression, t, transactional, control);
    }
}
