package dev.pgkafka.adapter.kafka.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.server.FrameReader.RefusedFrame;
import dev.pgkafka.adapter.kafka.server.FrameReader.RequestFrame;
import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Account;

/**
 * The frame codec byte by byte: frames arrive in pieces, their memory comes from the budget as the
 * bytes arrive (never from the size prefix alone), refused and cut-off frames give everything back.
 */
class FrameReaderTest {
    private static final int MAX = 100 * 1024 * 1024;

    /** Hands out the scripted pieces, one per read (split when the buffer is smaller), then end of stream. */
    private static final class Pieces implements Transport {
        private final Deque<byte[]> pieces = new ArrayDeque<>();
        private Runnable beforeEachRead = () -> { };
        private long delivered;

        Pieces add(byte[] piece) {
            pieces.add(piece);
            return this;
        }

        @Override
        public int read(ByteBuffer dst) {
            beforeEachRead.run();
            byte[] next = pieces.poll();
            if (next == null) {
                return -1;
            }
            int n = Math.min(next.length, dst.remaining());
            dst.put(next, 0, n);
            if (n < next.length) {
                pieces.addFirst(Arrays.copyOfRange(next, n, next.length));
            }
            delivered += n;
            return n;
        }

        @Override
        public void write(ByteBuffer src) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private final RequestMemoryBudget budget = new RequestMemoryBudget(64L * 1024 * 1024);
    private final Account account = budget.open();
    private final AtomicLong clock = new AtomicLong();
    private final ConnectionActivity activity = new ConnectionActivity(clock::get);

    private static byte[] size(int size) {
        return ByteBuffer.allocate(4).putInt(size).array();
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void framesArrivingInPiecesAreReadWholeWithExactlyTheirSize() throws Exception {
        byte[] small = randomBytes(300);
        byte[] large = randomBytes(200_000);
        Pieces in = new Pieces();
        byte[] both = new ByteArrayOutputStream() {
            {
                writeBytes(frame(small));
                writeBytes(frame(large));
            }
        }.toByteArray();
        for (int i = 0; i < both.length; i += 1_000) {
            in.add(Arrays.copyOfRange(both, i, Math.min(both.length, i + 1_000)));
        }
        FrameReader reader = new FrameReader(in, account, activity);

        RequestFrame first = reader.next(MAX, "socket.request.max.bytes");
        assertArrayEquals(small, first.buffer().array());
        assertEquals(300, first.reservation().held());
        RequestFrame second = reader.next(MAX, "socket.request.max.bytes");
        assertEquals(large.length, second.buffer().capacity());
        assertArrayEquals(large, second.buffer().array());
        assertEquals(300 + large.length, budget.used());
        assertNull(reader.next(MAX, "socket.request.max.bytes"), "end of stream between frames");
        first.release();
        second.release();
        assertEquals(0, budget.used());
    }

    @Test
    void nothingIsReservedUntilTheFirstByteAfterTheSizeArrives() throws Exception {
        Pieces in = new Pieces().add(size(MAX));
        long[] usedWhileWaiting = {-1};
        in.beforeEachRead = () -> {
            if (in.delivered == 4) {
                usedWhileWaiting[0] = budget.used();
            }
        };
        FrameReader reader = new FrameReader(in, account, activity);
        RefusedFrame e = assertThrows(RefusedFrame.class, () -> reader.next(MAX, "socket.request.max.bytes"));
        assertEquals("connection ended after 0 of a " + MAX + "-byte request", e.getMessage());
        assertEquals(0, usedWhileWaiting[0], "a client that announced 100 MiB and sent nothing holds nothing");
        assertEquals(0, budget.used());
    }

    @Test
    void aFrameHoldsAtMostAboutTwiceWhatArrived() throws Exception {
        int size = 1024 * 1024;
        Pieces in = new Pieces().add(size(size));
        for (int i = 0; i < size / 512; i++) {
            in.add(randomBytes(512));
        }
        long[] worst = {0};
        in.beforeEachRead = () -> {
            // the buffer doubles when full; between reads (not during the copy, which holds both) it is at
            // most twice what arrived
            long arrived = Math.max(0, in.delivered - 4);
            long allowed = Math.max(FrameReader.FIRST_CHUNK, 2 * arrived + FrameReader.ARRAY_OVERHEAD);
            worst[0] = Math.max(worst[0], budget.used() - allowed);
        };
        RequestFrame frame = new FrameReader(in, account, activity).next(MAX, "socket.request.max.bytes");
        assertEquals(size, frame.buffer().remaining());
        assertTrue(worst[0] <= 0, "held " + worst[0] + " bytes more than the bound at some point");
        assertEquals(size, budget.used());
    }

    @Test
    void aFrameCutOffHalfWayGivesItsMemoryBack() throws Exception {
        activity.authenticated();
        Pieces in = new Pieces().add(size(50_000)).add(randomBytes(20_000));
        RefusedFrame e = assertThrows(RefusedFrame.class,
                () -> new FrameReader(in, account, activity).next(MAX, "socket.request.max.bytes"));
        assertEquals("connection ended after 20000 of a 50000-byte request", e.getMessage());
        assertEquals(0, budget.used());
        assertEquals(ConnectionActivity.Expiry.NONE, activity.expiry(clock.get() + 60_000_000_000L,
                new ConnectionLimitsBuilder().readTimeoutMs(1_000).idleMs(-1).build()),
                "an abandoned frame is not a half-read frame for the read timeout");
    }

    @Test
    void sizesOutsideTheLimitAreRefusedBeforeAnythingIsReserved() throws Exception {
        for (int size : new int[] {-1, Integer.MIN_VALUE, 512 * 1024 + 1, Integer.MAX_VALUE}) {
            Pieces in = new Pieces().add(size(size)).add(randomBytes(100));
            in.beforeEachRead = () -> assertEquals(0, budget.used());
            RefusedFrame e = assertThrows(RefusedFrame.class, () -> new FrameReader(in, account, activity)
                    .next(512 * 1024, "sasl.server.max.receive.size"));
            assertEquals("request size " + size + " is outside [0, 524288] (sasl.server.max.receive.size)",
                    e.getMessage());
        }
    }

    @Test
    void aStreamEndingInsideTheSizePrefixIsRefused() {
        Pieces in = new Pieces().add(new byte[] {0, 0});
        RefusedFrame e = assertThrows(RefusedFrame.class,
                () -> new FrameReader(in, account, activity).next(MAX, "socket.request.max.bytes"));
        assertEquals("connection ended inside a request size", e.getMessage());
    }

    @Test
    void anEmptyFrameIsReadWithoutMemory() throws Exception {
        RequestFrame frame = new FrameReader(new Pieces().add(size(0)), account, activity)
                .next(MAX, "socket.request.max.bytes");
        assertEquals(0, frame.buffer().remaining());
        assertEquals(0, budget.used());
    }

    @Test
    void aConnectionClosedWhileItsFrameWaitsForMemoryStopsReading() {
        Pieces in = new Pieces().add(size(1_000)).add(randomBytes(1_000));
        account.close();
        assertThrows(ClosedChannelException.class,
                () -> new FrameReader(in, account, activity).next(MAX, "socket.request.max.bytes"));
        assertEquals(0, budget.used());
    }
}
