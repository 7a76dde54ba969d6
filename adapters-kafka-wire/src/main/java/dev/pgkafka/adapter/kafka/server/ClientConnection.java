package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;

/**
 * One client connection: reads length-prefixed frames, hands each to the dispatcher and writes the
 * answer before reading the next, so answers go back in request order (as Kafka, which mutes a
 * connection while its request is in progress). Clients that pipeline requests simply find the next
 * one waiting in the socket buffer.
 */
final class ClientConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);

    private final long id;
    private final SocketChannel channel;
    private final RequestDispatcher dispatcher;
    private final int maxRequestBytes;
    private final Consumer<ClientConnection> onClose;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private final SocketAddress remote;
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
    }

    long id() {
        return id;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                ByteBuffer frame = readFrame();
                if (frame == null) {
                    break;
                }
                busy = true;
                try {
                    if (!handle(frame)) {
                        break;
                    }
                } finally {
                    busy = false;
                }
            }
        } catch (ClosedChannelException e) {
            // closed by shutdown or by the other side
        } catch (IOException e) {
            LOG.debug("connection {} from {} failed: {}", id, remote, e.toString());
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("connection {} from {} closed after an unexpected error", id, remote, e);
        } finally {
            close();
        }
    }

    /** @return false when the connection must close */
    private boolean handle(ByteBuffer frame) throws IOException {
        Outcome outcome = dispatcher.dispatch(id, remote, frame);
        switch (outcome) {
            case Outcome.Reply reply -> {
                writeFully(reply.bytes());
                return !reply.closeAfter();
            }
            case Outcome.NoReply none -> {
                return !none.closeAfter();
            }
            case Outcome.Close close -> {
                LOG.warn("closing connection {} from {}: {}", id, remote, close.reason());
                return false;
            }
        }
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

    /** Finish the request in progress (if any), then close; an idle connection closes now. */
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
