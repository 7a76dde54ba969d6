package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Account;
import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Reservation;

/**
 * Reads one connection's frames (Kafka's framing: an int32 size, then that many bytes), taking
 * each frame's memory from the request budget as its bytes arrive, never from the size prefix
 * alone: nothing is reserved until the first byte after the prefix arrived, the buffer starts at
 * about 8 KiB ({@link #FIRST_CHUNK}) and doubles (up to the announced size) each time it is full, so
 * a frame holds at most about twice what its client actually sent. A client that announces 100 MiB and
 * sends nothing costs no memory; one that stops half-way is closed by the read timeout
 * ({@link ConnectionActivity}).
 */
final class FrameReader {
    /**
     * Room left in each buffer for the array's own header, so that buffers (8 KiB, 16 KiB, ... minus
     * this) fill whole heap regions: G1 gives a large array whole regions, and a power of two plus a
     * header would take twice the memory it holds.
     */
    static final int ARRAY_OVERHEAD = 64;
    /** The first buffer of a frame: most requests other than Produce fit into it. */
    static final int FIRST_CHUNK = 8 * 1024 - ARRAY_OVERHEAD;

    /** A frame that closes the connection, with the reason to log. */
    static final class RefusedFrame extends IOException {
        RefusedFrame(String message) {
            super(message);
        }
    }

    private final Transport transport;
    private final Account memory;
    private final ConnectionActivity activity;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private final ByteBuffer firstByte = ByteBuffer.allocate(1);

    FrameReader(Transport transport, Account memory, ConnectionActivity activity) {
        this.transport = transport;
        this.memory = memory;
        this.activity = activity;
    }

    /**
     * The next frame; its reservation is the caller's to release once the request is answered.
     *
     * @param maxBytes the largest size accepted, checked before anything is reserved
     * @param limitName the setting behind {@code maxBytes}, for the log
     * @return null at the end of the stream between two frames
     * @throws RefusedFrame when the size is out of range or the stream ends inside a frame
     * @throws ClosedChannelException when the connection closed while the frame waited for memory
     */
    RequestFrame next(int maxBytes, String limitName) throws IOException, InterruptedException {
        int size = readSize();
        if (size == -1 && sizeBuffer.position() == 0) {
            return null;
        }
        if (sizeBuffer.hasRemaining()) {
            activity.frameAbandoned();
            throw new RefusedFrame("connection ended inside a request size");
        }
        if (size < 0 || size > maxBytes) {
            activity.frameAbandoned();
            throw new RefusedFrame("request size " + size + " is outside [0, " + maxBytes + "] (" + limitName + ")");
        }
        Reservation reservation = memory.reserve();
        try {
            ByteBuffer body = readBody(size, reservation);
            activity.frameRead();
            return new RequestFrame(body, reservation);
        } catch (IOException | InterruptedException | RuntimeException e) {
            reservation.release();
            activity.frameAbandoned();
            throw e;
        }
    }

    /** The size prefix; -1 with an incomplete {@link #sizeBuffer} when the stream ended. */
    private int readSize() throws IOException {
        sizeBuffer.clear();
        while (sizeBuffer.hasRemaining()) {
            int n = transport.read(sizeBuffer);
            if (n < 0) {
                return -1;
            }
            if (n > 0 && sizeBuffer.position() == n) {
                activity.frameStarted();
            }
        }
        return sizeBuffer.getInt(0);
    }

    private ByteBuffer readBody(int size, Reservation reservation) throws IOException, InterruptedException {
        if (size == 0) {
            return ByteBuffer.allocate(0);
        }
        // wait for the client's first byte before taking any memory
        firstByte.clear();
        while (firstByte.hasRemaining()) {
            if (transport.read(firstByte) < 0) {
                throw new RefusedFrame("connection ended after 0 of a " + size + "-byte request");
            }
        }
        int capacity = Math.min(size, FIRST_CHUNK);
        reserve(reservation, capacity);
        ByteBuffer body = ByteBuffer.allocate(capacity);
        body.put(firstByte.flip());
        while (body.position() < size) {
            if (!body.hasRemaining()) {
                body = grow(body, size, reservation);
            }
            if (transport.read(body) < 0) {
                throw new RefusedFrame("connection ended after " + body.position() + " of a " + size
                        + "-byte request");
            }
        }
        return body.flip();
    }

    /** Doubles the buffer (at most to the frame's size); both buffers count while the bytes are copied. */
    private ByteBuffer grow(ByteBuffer full, int size, Reservation reservation) throws IOException, InterruptedException {
        int capacity = (int) Math.min(size, 2L * (full.capacity() + ARRAY_OVERHEAD) - ARRAY_OVERHEAD);
        reserve(reservation, (long) full.capacity() + capacity);
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        bigger.put(full.flip());
        reservation.shrinkTo(capacity);
        return bigger;
    }

    private void reserve(Reservation reservation, long total) throws IOException, InterruptedException {
        activity.awaitingMemory();
        boolean granted;
        try {
            granted = reservation.growTo(total);
        } finally {
            activity.gotMemory();
        }
        if (!granted) {
            throw new ClosedChannelException();
        }
    }

    /** A frame read from the client, and the memory it holds until its request is answered. */
    record RequestFrame(ByteBuffer buffer, Reservation reservation) {
        void release() {
            if (reservation != null) {
                reservation.release();
            }
        }
    }
}
