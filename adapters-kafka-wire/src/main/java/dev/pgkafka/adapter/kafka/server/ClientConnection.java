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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.protocol.ClientSession;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher.Outcome;
import dev.pgkafka.adapter.kafka.server.FrameReader.RequestFrame;
import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Account;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * One client connection. On a TLS listener it first completes the handshake (and takes the client
 * certificate's principal); on a SASL listener its {@link SaslAuthenticator} takes the frames until
 * the client authenticated. Then a reader reads length-prefixed frames into a short queue, their
 * memory taken from the broker's request budget as their bytes arrive ({@link FrameReader}); the
 * connection's own thread takes what has arrived, hands it to the dispatcher and writes the
 * answers, in request order, before taking more, and gives the frames' memory back once they are
 * answered. Requests a client pipelines (the Java producer keeps up to five in flight) are thus
 * answered together when they arrived together. The {@link ConnectionWatchdog} closes the
 * connection when one of its timeouts passes; closing gives back all the memory it still holds.
 */
final class ClientConnection implements Runnable, ConnectionWatchdog.Watched {
    private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
    /** Frames read ahead: Kafka clients keep at most five requests in flight per connection. */
    private static final int READ_AHEAD = 5;
    /** Kafka's {@code sasl.server.max.receive.size}: the largest frame before a client authenticated. */
    static final int SASL_MAX_RECEIVE_BYTES = 512 * 1024;
    /** Marks the end of the reader's frames (end of stream, a refused frame, or a closed channel). */
    private static final RequestFrame END = new RequestFrame(ByteBuffer.allocate(0), null);
    private static final long MAX_THROTTLE_STEP_NANOS = 100_000_000L;

    private final long id;
    private final SocketChannel channel;
    private final ListenerRuntime listener;
    private final Consumer<ClientConnection> onClose;
    private final InetSocketAddress remote;
    private final BlockingQueue<RequestFrame> frames = new ArrayBlockingQueue<>(READ_AHEAD + 1);
    /** This connection's share of the request budget: closing it gives back every frame's memory. */
    private final Account memory;
    private final ConnectionActivity activity;
    private final AtomicBoolean closed = new AtomicBoolean();
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
        this.memory = listener.connections().memory().open();
        this.activity = new ConnectionActivity(listener.connections().clock());
    }

    long id() {
        return id;
    }

    @Override
    public String description() {
        return remote + " (connection " + id + " on " + listener.config().name() + ")";
    }

    @Override
    public ConnectionActivity activity() {
        return activity;
    }

    @Override
    public void run() {
        Thread reader = null;
        try {
            if (!open()) {
                return;
            }
            reader = Thread.ofVirtual().name("kafka-connection-" + id + "-reader").start(this::readLoop);
            List<RequestFrame> batch = new ArrayList<>(READ_AHEAD);
            while (!stopping) {
                awaitThrottle();
                batch.clear();
                batch.add(frames.take());
                frames.drainTo(batch, READ_AHEAD - 1);
                int end = endMarker(batch);
                List<RequestFrame> requests = end < 0 ? batch : batch.subList(0, end);
                busy = true;
                try {
                    if (!requests.isEmpty() && !handle(requests.stream().map(RequestFrame::buffer).toList())) {
                        break;
                    }
                } finally {
                    busy = false;
                    answered(requests);
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
                listener.connections().closes().info("tls-handshake", "Failed authentication with " + description()
                        + " (SSL handshake failed: " + e.getMessage() + ")");
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
            activity.authenticated();
        }
        return !stopping;
    }

    private void readLoop() {
        boolean processorGone = false;
        FrameReader reader = new FrameReader(transport, memory, activity);
        try {
            while (true) {
                // until the client authenticated, Kafka's sasl.server.max.receive.size keeps frames small
                RequestFrame frame = authenticated
                        ? reader.next(listener.config().maxRequestBytes(), "socket.request.max.bytes")
                        : reader.next(SASL_MAX_RECEIVE_BYTES, "sasl.server.max.receive.size before authentication");
                if (frame == null) {
                    break;
                }
                frames.put(frame); // blocks when the client runs too far ahead
            }
        } catch (InterruptedException e) {
            processorGone = true;
        } catch (FrameReader.RefusedFrame e) {
            listener.connections().closes().warn("refused-frame", "closing connection " + description() + ": "
                    + e.getMessage());
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
    private static int endMarker(List<RequestFrame> batch) {
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
                    activity.authenticated();
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
                activity.writeStarted();
                transport.write(reply.bytes());
                activity.writeFinished();
                mute(reply.throttleMs());
                return !reply.closeAfter();
            }
            case Outcome.NoReply none -> {
                mute(none.throttleMs());
                return !none.closeAfter();
            }
            case Outcome.Close close -> {
                listener.connections().closes().warn("request-close", "closing connection " + description() + ": "
                        + close.reason());
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

    /** The frames' memory goes back to the budget once their requests are answered (or dropped). */
    private void answered(List<RequestFrame> requests) {
        for (RequestFrame frame : requests) {
            frame.release();
        }
        activity.answered(requests.size());
    }

    /** Finish the requests in progress (if any), then close; an idle connection closes now. */
    void stopAfterCurrentRequest() {
        stopping = true;
        if (!busy) {
            close();
        }
    }

    /** Closes the socket first, so that not even a TLS goodbye can wait for a client that stopped reading. */
    @Override
    public void abort() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        close();
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        Transport t = transport;
        if (t != null) {
            t.close();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
        memory.close(); // also wakes the reader if it waits for the budget
        onClose.accept(this);
    }
}
