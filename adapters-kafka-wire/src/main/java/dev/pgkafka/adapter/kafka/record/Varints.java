package dev.pgkafka.adapter.kafka.record;

/**
 * The zig-zag varints of record fields (Protocol Buffers encoding, as Kafka's {@code ByteUtils}):
 * sizes and writing into byte arrays. Reading lives in {@link RecordCursor}, which knows its bounds.
 */
final class Varints {
    private Varints() {
    }

    static int sizeOfVarint(int value) {
        return sizeOfUnsigned(32 - Integer.numberOfLeadingZeros((value << 1) ^ (value >> 31)));
    }

    static int sizeOfVarlong(long value) {
        return sizeOfUnsigned(64 - Long.numberOfLeadingZeros((value << 1) ^ (value >> 63)));
    }

    private static int sizeOfUnsigned(int significantBits) {
        return significantBits == 0 ? 1 : (significantBits + 6) / 7;
    }

    /** Writes {@code value} at {@code at} and returns the position after it. */
    static int writeVarint(byte[] a, int at, int value) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & ~0x7F) != 0) {
            a[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        a[at++] = (byte) v;
        return at;
    }

    /** Writes {@code value} at {@code at} and returns the position after it. */
    static int writeVarlong(byte[] a, int at, long value) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & ~0x7FL) != 0) {
            a[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        a[at++] = (byte) v;
        return at;
    }
}
