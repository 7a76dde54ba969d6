package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.protocol.ClientSession;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;

/**
 * One client connection. A reader reads length-prefixed frames into a short queue; the connection's
 * own thread takes what has arrived, hands it to the dispatcher and writes the answers, in request
 * order, before taking more. Requests a client pipelines (the Java producer keeps up to five in
 * flight) are thus answered together when they arrived together.
 */
final class ClientConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Frames read ahead: Kafka clients keep at most five requests in flight per connection. */
    private static final int READ_AHEAD = 5;
    /** Marks the end of the reader's frames (end of stream, a refused frame, or a closed channel). */
    private static final ByteBuffer END = ByteBuffer.allocate(0);

    private final long id;
    private final SocketChannel channel;
    private final RequestDispatcher dispatcher;
    private final int maxRequestBytes;
    private final Consumer<ClientConnection> onClose;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private final SocketAddress remote;
    private final ClientSession session;
    private final BlockingQueue<ByteBuffer> frames = new ArrayBlockingQueue<>(READ_AHEAD + 1);
    private volatile boolean busy;
    private volatile boolean stopping;

    ClientConnection(long id, SocketChannel channel, RequestDispatcher dispatcher, int maxRequestBytes,
                     Consumer<ClientConnection> onClose) throws IOException {
        this.id = id;
        this.channel = channel;
        this.dispatcher = dispatcher;
        this.maxRequestBytes = maxRequestBytes;
        this.onClose = onClose;
        this.remote = channel.getRemoteAddress();
        this.session = ClientSession.anonymous((InetSocketAddress) remote);
    }

    long id() {
        return id;
    }

    @Override
    public void run() {
        Thread reader = Thread.ofVirtual().name("kafka-connection-" + id + "-reader").start(this::readLoop);
        try {
            List<ByteBuffer> batch = new ArrayList<>(READ_AHEAD);
            while (!stopping) {
                batch.clear();
                batch.add(frames.take());
                frames.drainTo(batch, READ_AHEAD - 1);
                int end = endMarker(batch);
                List<ByteBuffer> requests = end < 0 ? batch : batch.subList(0, end);
                busy = true;
                try {
                    if (!requests.isEmpty() && !handle(requests)) {
                        break;
                    }
                } finally {
                    busy = false;
                }
                if (end >= 0) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ClosedChannelException e) {
            // closed by shutdown or by the other side
        } catch (IOException e) {
            LOG.debug("connection {} from {} failed: {}", id, remote, e.toString());
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("connection {} from {} closed after an unexpected error", id, remote, e);
        } finally {
            close();
            reader.interrupt();
        }
    }

    private void readLoop() {
        boolean processorGone = false;
        try {
            while (true) {
                ByteBuffer frame = readFrame();
                if (frame == null) {
                    break;
                }
                frames.put(frame); // blocks when the client runs too far ahead
            }
        } catch (InterruptedException e) {
            processorGone = true;
        } catch (ClosedChannelException e) {
            // the connection is closing
        } catch (IOException e) {
            LOG.debug("connection {} from {} failed: {}", id, remote, e.toString());
        } catch (OutOfMemoryError e) {
            LOG.error("connection {} from {}: no memory for a request", id, remote, e);
        } finally {
            if (!processorGone) {
                try {
                    frames.put(END); // after the frames still queued: they are answered first
                } catch (InterruptedException e) {
                    // the processor is gone
                }
            }
        }
    }

    /** Index of the end marker (by identity: an empty request frame is not the end), or -1. */
    private static int endMarker(List<ByteBuffer> batch) {
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i) == END) {
                return i;
            }
        }
        return -1;
    }

    /** @return false when the connection must close */
    private boolean handle(List<ByteBuffer> requests) throws IOException {
        for (Outcome outcome : dispatcher.dispatchAll(id, remote, session, requests)) {
            switch (outcome) {
                case Outcome.Reply reply -> {
                    writeFully(reply.bytes());
                    if (reply.closeAfter()) {
                        return false;
                    }
                }
                case Outcome.NoReply none -> {
                    if (none.closeAfter()) {
                        return false;
                    }
                }
                case Outcome.Close close -> {
                    LOG.warn("closing connection {} from {}: {}", id, remote, close.reason());
                    return false;
                }
            }
        }
        return true;
    }

    /** The next frame, or null at end of stream or on a frame that must close the connection. */
    private ByteBuffer readFrame() throws IOException {
        sizeBuffer.clear();
        if (!readFully(sizeBuffer)) {
            if (sizeBuffer.position() > 0) {
                LOG.warn("closing connection {} from {}: connection ended inside a request size", id, remote);
            }
            return null;
        }
        int size = sizeBuffer.getInt(0);
        if (size < 0 || size > maxRequestBytes) {
            // checked before allocating: a hostile size must not cost memory
            LOG.warn("closing connection {} from {}: request size {} is outside [0, {}] (socket.request.max.bytes)",
                    id, remote, size, maxRequestBytes);
            return null;
        }
        ByteBuffer frame = ByteBuffer.allocate(size);
        if (!readFully(frame)) {
            LOG.warn("closing connection {} from {}: connection ended after {} of a {}-byte request", id, remote,
                    frame.position(), size);
            return null;
        }
        frame.flip();
        return frame;
    }

    /** @return false when the stream ended before the buffer was full */
    private boolean readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** Finish the requests in progress (if any), then close; an idle connection closes now. */
    void stopAfterCurrentRequest() {
        stopping = true;
        if (!busy) {
            close();
        }
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        onClose.accept(this);
    }
}
