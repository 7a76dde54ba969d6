package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.protocol.ClientSession;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * One client connection. On a TLS listener it first completes the handshake (and takes the client
 * certificate's principal); on a SASL listener its {@link SaslAuthenticator} takes the frames until
 * the client authenticated. Then a reader reads length-prefixed frames into a short queue; the
 * connection's own thread takes what has arrived, hands it to the dispatcher and writes the
 * answers, in request order, before taking more. Requests a client pipelines (the Java producer
 * keeps up to five in flight) are thus answered together when they arrived together.
 */
final class ClientConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Frames read ahead: Kafka clients keep at most five requests in flight per connection. */
    private static final int READ_AHEAD = 5;
    /** Kafka's {@code sasl.server.max.receive.size}: the largest frame before a client authenticated. */
    static final int SASL_MAX_RECEIVE_BYTES = 512 * 1024;
    /** Marks the end of the reader's frames (end of stream, a refused frame, or a closed channel). */
    private static final ByteBuffer END = ByteBuffer.allocate(0);
    private static final long MAX_THROTTLE_STEP_NANOS = 100_000_000L;

    private final long id;
    private final SocketChannel channel;
    private final ListenerRuntime listener;
    private final Consumer<ClientConnection> onClose;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private final InetSocketAddress remote;
    private final BlockingQueue<ByteBuffer> frames = new ArrayBlockingQueue<>(READ_AHEAD + 1);
    private volatile Transport transport;
    private volatile ClientSession session;
    private SaslAuthenticator sasl;
    /** Whether the client may send frames up to socket.request.max.bytes (after SASL, if any). */
    private volatile boolean authenticated;
    private volatile boolean busy;
    private volatile boolean stopping;
    /** KIP-219: no request is taken before this (System.nanoTime) after a throttled answer. */
    private long mutedUntilNanos = System.nanoTime();

    ClientConnection(long id, SocketChannel channel, ListenerRuntime listener, Consumer<ClientConnection> onClose)
            throws IOException {
        this.id = id;
        this.channel = channel;
        this.listener = listener;
        this.onClose = onClose;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
    }

    long id() {
        return id;
    }

    private String description() {
        return remote + " (connection " + id + " on " + listener.config().name() + ")";
    }

    @Override
    public void run() {
        Thread reader = null;
        try {
            if (!open()) {
                return;
            }
            reader = Thread.ofVirtual().name("kafka-connection-" + id + "-reader").start(this::readLoop);
            List<ByteBuffer> batch = new ArrayList<>(READ_AHEAD);
            while (!stopping) {
                awaitThrottle();
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
            LOG.debug("connection {} failed: {}", description(), e.toString());
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.error("connection {} closed after an unexpected error", description(), e);
        } finally {
            close();
            if (reader != null) {
                reader.interrupt();
            }
        }
    }

    /**
     * Sets the connection up: the TLS handshake when the listener uses TLS, the principal of a
     * client certificate, the SASL authenticator when the listener uses SASL.
     *
     * @return false when the connection could not be set up and is closed
     */
    private boolean open() {
        KafkaListenerConfig config = listener.config();
        KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;
        if (config.tls() != null) {
            try {
                TlsTransport tls = TlsTransport.handshake(channel, config.tls());
                transport = tls;
                Optional<X509Certificate> certificate = tls.peerCertificate();
                if (certificate.isPresent()) {
                    String dn = certificate.get().getSubjectX500Principal().getName();
                    principal = KafkaPrincipal.user(config.tls().principalName().apply(dn));
                }
            } catch (IOException | RuntimeException e) {
                // a PLAINTEXT client, TLS garbage, a missing client certificate, a too slow client
                LOG.info("Failed authentication with {} (SSL handshake failed: {})", description(), e.getMessage());
                return false;
            }
        } else {
            transport = new PlainTransport(channel);
        }
        session = new ClientSession(config.name(), config.protocol(), principal, remote.getAddress(), listener.endpoint());
        if (config.protocol().usesSasl()) {
            sasl = new SaslAuthenticator(config.name(), remote.getAddress().getHostAddress(), description(),
                    listener.authentication(), config.maxReauthMs(), config.failedAuthenticationDelayMs());
        } else {
            authenticated = true;
        }
        return !stopping;
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
            LOG.debug("connection {} failed: {}", description(), e.toString());
        } catch (OutOfMemoryError e) {
            LOG.error("connection {}: no memory for a request", description(), e);
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
    private boolean handle(List<ByteBuffer> requests) throws IOException, InterruptedException {
        int i = 0;
        while (i < requests.size()) {
            if (sasl != null && sasl.wants(requests.get(i), System.nanoTime())) {
                SaslAuthenticator.Step step = sasl.handle(requests.get(i), System.nanoTime(),
                        frame -> listener.dispatcher().dispatch(id, remote, session, frame));
                if (step.authenticated() != null) {
                    session = session.withPrincipal(step.authenticated());
                    authenticated = true;
                }
                if (step.delayMs() > 0) {
                    Thread.sleep(step.delayMs()); // connection.failed.authentication.delay.ms slows password guessing
                }
                if (!emit(step.outcome())) {
                    return false;
                }
                i++;
                continue;
            }
            int j = i + 1;
            while (j < requests.size() && !(sasl != null && sasl.wants(requests.get(j), System.nanoTime()))) {
                j++;
            }
            for (Outcome outcome : listener.dispatcher().dispatchAll(id, remote, session, requests.subList(i, j))) {
                if (!emit(outcome)) {
                    return false;
                }
            }
            i = j;
        }
        return true;
    }

    /** Sends what an outcome says; @return false when the connection must close. */
    private boolean emit(Outcome outcome) throws IOException {
        switch (outcome) {
            case Outcome.Reply reply -> {
                transport.write(reply.bytes());
                mute(reply.throttleMs());
                return !reply.closeAfter();
            }
            case Outcome.NoReply none -> {
                mute(none.throttleMs());
                return !none.closeAfter();
            }
            case Outcome.Close close -> {
                LOG.warn("closing connection {}: {}", description(), close.reason());
                return false;
            }
        }
    }

    /**
     * A client over a quota was answered at once with the throttle time (KIP-219); Kafka then mutes its
     * channel for that long, so this connection takes no further request until it has passed.
     */
    private void mute(int throttleMs) {
        if (throttleMs > 0) {
            long until = System.nanoTime() + throttleMs * 1_000_000L;
            if (until - mutedUntilNanos > 0) {
                mutedUntilNanos = until;
            }
        }
    }

    /** Waits out a throttle, in short steps so that a closing connection does not wait for it. */
    private void awaitThrottle() throws InterruptedException {
        long remaining;
        while (!stopping && channel.isOpen() && (remaining = mutedUntilNanos - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(Math.min(remaining, MAX_THROTTLE_STEP_NANOS)));
        }
    }

    /** The next frame, or null at end of stream or on a frame that must close the connection. */
    private ByteBuffer readFrame() throws IOException {
        sizeBuffer.clear();
        if (!readFully(sizeBuffer)) {
            if (sizeBuffer.position() > 0) {
                LOG.warn("closing connection {}: connection ended inside a request size", description());
            }
            return null;
        }
        int size = sizeBuffer.getInt(0);
        int max = authenticated ? listener.config().maxRequestBytes() : SASL_MAX_RECEIVE_BYTES;
        if (size < 0 || size > max) {
            // checked before allocating: a hostile size must not cost memory
            LOG.warn("closing connection {}: request size {} is outside [0, {}] ({})", description(), size, max,
                    authenticated ? "socket.request.max.bytes" : "sasl.server.max.receive.size before authentication");
            return null;
        }
        ByteBuffer frame = ByteBuffer.allocate(size);
        if (!readFully(frame)) {
            LOG.warn("closing connection {}: connection ended after {} of a {}-byte request", description(),
                    frame.position(), size);
            return null;
        }
        frame.flip();
        return frame;
    }

    /** @return false when the stream ended before the buffer was full */
    private boolean readFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (transport.read(buffer) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Finish the requests in progress (if any), then close; an idle connection closes now. */
    void stopAfterCurrentRequest() {
        stopping = true;
        if (!busy) {
            close();
        }
    }

    void close() {
        Transport t = transport;
        if (t != null) {
            t.close();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        onClose.accept(this);
    }
}
