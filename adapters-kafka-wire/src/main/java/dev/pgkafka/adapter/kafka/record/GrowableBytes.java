package dev.pgkafka.adapter.kafka.record;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A byte array that grows up to a hard limit: the output of decompression, where the limit is what
 * stops a small "zip bomb" from taking the broker's heap, and the output of batch encoding.
 */
final class GrowableBytes {
    /** The largest array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    byte[] array;
    int size;
    final int limit;

    GrowableBytes(int initialCapacity, int limit) {
        this.limit = limit;
        this.array = new byte[Math.max(0, Math.min(initialCapacity, limit))];
    }

    /** Makes room for {@code n} more bytes. */
    void ensureFree(int n) {
        long needed = (long) size + n;
        if (needed > limit) {
            throw new LimitExceeded(limit);
        }
        if (needed > array.length) {
            long doubled = Math.max(1024L, (long) array.length * 2);
            array = Arrays.copyOf(array, (int) Math.min(limit, Math.max(needed, doubled)));
        }
    }

    void write(byte[] src, int off, int len) {
        ensureFree(len);
        System.arraycopy(src, off, array, size, len);
        size += len;
    }

    /** Appends everything {@code in} yields, refusing to hold more than the limit. */
    void readFully(InputStream in) throws IOException {
        while (true) {
            if (size == array.length) {
                if (size >= limit) {
                    if (in.read() < 0) {
                        return;
                    }
                    throw new LimitExceeded(limit);
                }
                ensureFree(1);
            }
            int n = in.read(array, size, array.length - size);
            if (n < 0) {
                return;
            }
            size += n;
        }
    }

    /** More bytes than the limit were about to be held. */
    static final class LimitExceeded extends RuntimeException {
        LimitExceeded(int limit) {
            super("more than " + limit + " bytes", null, false, false);
        }
    }
}
