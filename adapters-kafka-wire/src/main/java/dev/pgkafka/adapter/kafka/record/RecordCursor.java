package dev.pgkafka.adapter.kafka.record;

import java.util.Arrays;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * Reads the records section of a batch from a byte array, never past {@code end}. Running out of
 * bytes or a malformed varint is Kafka's InvalidRecordException ("Found invalid record structure"),
 * so INVALID_RECORD.
 */
final class RecordCursor {
    private final byte[] a;
    int pos;
    int end;

    RecordCursor(byte[] a, int pos, int end) {
        this.a = a;
        this.pos = pos;
        this.end = end;
    }

    byte[] array() {
        return a;
    }

    int remaining() {
        return end - pos;
    }

    byte readByte() throws InvalidBatchException {
        if (pos >= end) {
            throw structure("premature end of the record");
        }
        return a[pos++];
    }

    int readVarint() throws InvalidBatchException {
        int raw = 0;
        int shift = 0;
        byte b;
        while (((b = readByte()) & 0x80) != 0) {
            raw |= (b & 0x7F) << shift;
            shift += 7;
            if (shift > 28) {
                throw structure("varint is longer than 5 bytes");
            }
        }
        raw |= b << shift;
        return (raw >>> 1) ^ -(raw & 1);
    }

    long readVarlong() throws InvalidBatchException {
        long raw = 0;
        int shift = 0;
        byte b;
        while (((b = readByte()) & 0x80) != 0) {
            raw |= (long) (b & 0x7F) << shift;
            shift += 7;
            if (shift > 63) {
                throw structure("varlong is longer than 10 bytes");
            }
        }
        raw |= (long) b << shift;
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** A copy of the next {@code length} bytes. */
    byte[] readBytes(int length) throws InvalidBatchException {
        require(length);
        byte[] copy = Arrays.copyOfRange(a, pos, pos + length);
        pos += length;
        return copy;
    }

    void require(int length) throws InvalidBatchException {
        if (length > end - pos) {
            throw structure("a field of " + length + " bytes runs past the record, " + (end - pos) + " bytes left");
        }
    }

    static InvalidBatchException structure(String detail) {
        return new InvalidBatchException(ErrorCode.INVALID_RECORD, "Found invalid record structure: " + detail);
    }
}
