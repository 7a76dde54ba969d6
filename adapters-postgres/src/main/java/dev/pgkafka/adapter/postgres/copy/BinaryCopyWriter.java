package dev.pgkafka.adapter.postgres.copy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}):
 * a signature header, then per row a field count and each field as a length and its binary form
 * (length -1 for NULL), then a trailer. Only the types the records table needs.
 */
public final class BinaryCopyWriter {
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int TEXT_OID = 25;
    private static final int BYTEA_OID = 17;

    private byte[] buf;
    private int pos;
    private int rows;
    private boolean finished;

    public BinaryCopyWriter(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
        put(SIGNATURE, 0, SIGNATURE.length);
        putInt(0); // flags: no OIDs
        putInt(0); // header extension length
    }

    public BinaryCopyWriter startRow(int fieldCount) {
        checkOpen();
        putShort((short) fieldCount);
        rows++;
        return this;
    }

    public BinaryCopyWriter int2(short v) {
        putInt(2);
        putShort(v);
        return this;
    }

    public BinaryCopyWriter int4(int v) {
        putInt(4);
        putInt(v);
        return this;
    }

    public BinaryCopyWriter int8(long v) {
        putInt(8);
        putLong(v);
        return this;
    }

    public BinaryCopyWriter nullField() {
        putInt(-1);
        return this;
    }

    /** A bytea field; NULL when {@code v} is null. */
    public BinaryCopyWriter bytea(byte[] v) {
        if (v == null) {
            return nullField();
        }
        putInt(v.length);
        put(v, 0, v.length);
        return this;
    }

    /** A one-dimensional text[] field (UTF-8 elements, none null); NULL when {@code v} is null. */
    public BinaryCopyWriter textArray(String[] v) {
        if (v == null) {
            return nullField();
        }
        byte[][] utf8 = new byte[v.length][];
        for (int i = 0; i < v.length; i++) {
            utf8[i] = v[i].getBytes(StandardCharsets.UTF_8);
        }
        return array(TEXT_OID, utf8);
    }

    /** A one-dimensional bytea[] field whose elements may be null; NULL when {@code v} is null. */
    public BinaryCopyWriter byteaArray(byte[][] v) {
        if (v == null) {
            return nullField();
        }
        return array(BYTEA_OID, v);
    }

    private BinaryCopyWriter array(int elementOid, byte[][] elements) {
        boolean hasNull = false;
        int size = 12 + (elements.length > 0 ? 8 : 0);
        for (byte[] e : elements) {
            hasNull |= e == null;
            size += 4 + (e == null ? 0 : e.length);
        }
        putInt(size);
        if (elements.length == 0) {
            // array_send writes an empty array as zero dimensions
            putInt(0);
            putInt(0);
            putInt(elementOid);
            return this;
        }
        putInt(1);
        putInt(hasNull ? 1 : 0);
        putInt(elementOid);
        putInt(elements.length);
        putInt(1); // lower bound
        for (byte[] e : elements) {
            if (e == null) {
                putInt(-1);
            } else {
                putInt(e.length);
                put(e, 0, e.length);
            }
        }
        return this;
    }

    public int rowCount() {
        return rows;
    }

    /** Writes the trailer; the writer takes no more rows. */
    public BinaryCopyWriter finish() {
        checkOpen();
        putShort((short) -1);
        finished = true;
        return this;
    }

    /** The encoded bytes, valid in {@code [0, length())}; the array is shared, not copied. */
    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return pos;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the COPY stream is finished");
        }
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void putShort(short v) {
        ensure(2);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        buf[pos++] = (byte) (v >>> 24);
        buf[pos++] = (byte) (v >>> 16);
        buf[pos++] = (byte) (v >>> 8);
        buf[pos++] = (byte) v;
    }

    private void putLong(long v) {
        putInt((int) (v >>> 32));
        putInt((int) v);
    }
}
