package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;

/**
 * Accepts Kafka client connections: a plain server socket with one virtual thread per connection,
 * each reading frames, answering them in order, and writing the answers back.
 */
public final class KafkaListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);

    private final ServerSocketChannel server;
    private final int maxRequestBytes;
    private volatile RequestDispatcher dispatcher;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong connectionIds = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closing;

    private KafkaListener(ServerSocketChannel server, int maxRequestBytes) {
        this.server = server;
        this.maxRequestBytes = maxRequestBytes;
        this.acceptor = Thread.ofVirtual().name("kafka-acceptor").unstarted(this::acceptLoop);
    }

    /** Binds the port (0 picks a free one) without accepting yet, so the bound port can be advertised. */
    public static KafkaListener bind(String host, int port, int maxRequestBytes) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(host, port), 1024);
        return new KafkaListener(server, maxRequestBytes);
    }

    /** Starts accepting connections; their requests go to {@code requestDispatcher}. */
    public void start(RequestDispatcher requestDispatcher) {
        this.dispatcher = requestDispatcher;
        acceptor.start();
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) server.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int connectionCount() {
        return connections.size();
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closing) {
                    LOG.warn("accept failed: {}", e.toString());
                }
                continue;
            }
            ClientConnection connection;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connection = new ClientConnection(connectionIds.incrementAndGet(), channel, dispatcher, maxRequestBytes,
                        connections::remove);
            } catch (IOException e) {
                LOG.warn("could not set up an accepted connection: {}", e.toString());
                closeQuietly(channel);
                continue;
            }
            connections.add(connection);
            if (closing) {
                connection.close();
                continue;
            }
            Thread.ofVirtual().name("kafka-connection-" + connection.id()).start(connection);
        }
    }

    /**
     * Stops accepting, lets requests in progress finish and answer (up to {@code grace}), then closes
     * every connection.
     */
    public void shutdown(Duration grace) {
        closing = true;
        closeQuietly(server);
        for (ClientConnection c : connections) {
            c.stopAfterCurrentRequest();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (ClientConnection c : connections) {
            c.close();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
