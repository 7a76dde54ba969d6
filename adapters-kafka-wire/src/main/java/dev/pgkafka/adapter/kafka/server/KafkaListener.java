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

import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.application.port.in.AuthenticationUseCase;

/**
 * Accepts the Kafka client connections of one listener: a plain server socket with one virtual
 * thread per connection, which sets up TLS and SASL as the listener asks, then reads frames,
 * answers them in order, and writes the answers back.
 */
public final class KafkaListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);

    private final ServerSocketChannel server;
    private final KafkaListenerConfig config;
    private volatile ListenerRuntime runtime;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connection ids are unique across listeners: fetch sessions and logs key on them. */
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    private final Thread acceptor;
    private volatile boolean closing;

    private KafkaListener(ServerSocketChannel server, KafkaListenerConfig config) {
        this.server = server;
        this.config = config;
        this.acceptor = Thread.ofVirtual().name("kafka-acceptor-" + config.name()).unstarted(this::acceptLoop);
    }

    /**
     * Binds the listener's port (0 picks a free one) without accepting yet, so the bound port can be
     * advertised.
     *
     * @throws IOException when the address cannot be bound, with the listener and address named
     */
    public static KafkaListener bind(KafkaListenerConfig config) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        InetSocketAddress address = config.bindHost() == null || config.bindHost().isEmpty()
                ? new InetSocketAddress(config.port()) : new InetSocketAddress(config.bindHost(), config.port());
        try {
            server.bind(address, 1024);
        } catch (IOException e) {
            closeQuietly(server);
            throw new IOException("listener " + config.name() + " cannot bind " + address + ": " + e.getMessage(), e);
        }
        return new KafkaListener(server, config);
    }

    public KafkaListenerConfig config() {
        return config;
    }

    /**
     * Starts accepting connections; their requests go to {@code dispatcher}, and Metadata tells
     * them {@code endpoint}.
     */
    public void start(RequestDispatcher dispatcher, BrokerEndpoint endpoint, AuthenticationUseCase authentication) {
        this.runtime = new ListenerRuntime(config, endpoint, dispatcher, authentication);
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
                    // e.g. out of file descriptors: back off instead of spinning on a failing accept
                    LOG.warn("accept failed on listener {}: {}", config.name(), e.toString());
                    sleepQuietly(100);
                }
                continue;
            }
            ClientConnection connection;
            try {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                connection = new ClientConnection(CONNECTION_IDS.incrementAndGet(), channel, runtime, connections::remove);
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

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
