package dev.pgkafka.domain.txn;

import java.nio.ByteBuffer;

/**
 * A commit or abort marker as Kafka writes it: one control record in a batch of its own (transactional
 * and control bits set, the producer's id and epoch, no sequence). Its key is the control record key
 * (int16 version 0, int16 type), its value Kafka's EndTransactionMarker (int16 version 0, int32
 * coordinator epoch). Consumers never see it as a record, but it occupies one offset.
 */
public record TransactionMarker(ControlRecordType type, int coordinatorEpoch) {
    private static final short VERSION = 0;

    public byte[] key() {
        return ByteBuffer.allocate(4).putShort(VERSION).putShort(type.id()).array();
    }

    public byte[] value() {
        return ByteBuffer.allocate(6).putShort(VERSION).putInt(coordinatorEpoch).array();
    }

    /** Reads a marker's key and value; fails on anything that is not one. */
    public static TransactionMarker parse(byte[] key, byte[] value) {
        if (key == null || key.length < 4 || value == null || value.length < 6) {
            throw new IllegalArgumentException("not a transaction marker");
        }
        ByteBuffer k = ByteBuffer.wrap(key);
        k.getShort();
        short type = k.getShort();
        ByteBuffer v = ByteBuffer.wrap(value);
        v.getShort();
        int epoch = v.getInt();
        return switch (type) {
            case 0 -> new TransactionMarker(ControlRecordType.ABORT, epoch);
            case 1 -> new TransactionMarker(ControlRecordType.COMMIT, epoch);
            default -> throw new IllegalArgumentException("unknown control record type " + type);
        };
    }
}
