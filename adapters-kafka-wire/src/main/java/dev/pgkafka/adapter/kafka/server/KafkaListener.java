package dev.pgkafka.adapter.kafka.server;

import java.io.IOException;
import java.net.InetAddress;
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
import dev.pgkafka.application.port.in.ThrottlingUseCase;

/**
 * Accepts the Kafka client connections of one listener: a plain server socket with one virtual
 * thread per connection, which sets up TLS and SASL as the listener asks, then reads frames,
 * answers them in order, and writes the answers back. Connection limits are Kafka's: at
 * {@code max.connections} the listener stops accepting until a connection closes, and a connection
 * from an address over {@code max.connections.per.ip} is closed at once.
 */
public final class KafkaListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaListener.class);
    /** A flood of refused connections is one log line per 10 s, with a count. */
    private static final long REFUSAL_LOG_INTERVAL_MS = 10_000;

    private final ServerSocketChannel server;
    private final KafkaListenerConfig config;
    private volatile ListenerRuntime runtime;
    private volatile ThrottlingUseCase throttling = ThrottlingUseCase.UNLIMITED;
    private final Set<ClientConnection> connections = ConcurrentHashMap.newKeySet();
    /** Connection ids are unique across listeners: fetch sessions and logs key on them. */
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    private final Thread acceptor;
    private final ThrottledLog refusals = new ThrottledLog(LOG, REFUSAL_LOG_INTERVAL_MS, System::nanoTime);
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
     * them {@code endpoint}. {@code connections} counts them, and bounds their memory and time,
     * together with the other listeners' connections.
     */
    public void start(RequestDispatcher dispatcher, BrokerEndpoint endpoint, AuthenticationUseCase authentication,
                      BrokerConnections connections) {
        start(dispatcher, endpoint, authentication, connections, ThrottlingUseCase.UNLIMITED);
    }

    /** As above, with {@code connection_creation_rate} quotas (KIP-612) counted for each new connection. */
    public void start(RequestDispatcher dispatcher, BrokerEndpoint endpoint, AuthenticationUseCase authentication,
                      BrokerConnections connections, ThrottlingUseCase throttling) {
        this.runtime = new ListenerRuntime(config, endpoint, dispatcher, authentication, connections);
        this.throttling = throttling;
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
        ConnectionSlots slots = runtime.connections().slots();
        while (!closing) {
            try {
                if (!slots.awaitSlot(config.name(), this::logFull)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException e) {
                slots.giveBack(config.name());
                return;
            } catch (IOException e) {
                slots.giveBack(config.name());
                if (!closing) {
                    // e.g. out of file descriptors: back off instead of spinning on a failing accept
                    LOG.warn("accept failed on listener {}: {}", config.name(), e.toString());
                    sleepQuietly(100);
                }
                continue;
            }
            InetAddress address = channel.socket().getInetAddress();
            if (address == null) { // already gone
                slots.giveBack(config.name());
                closeQuietly(channel);
                continue;
            }
            String exceeded = slots.admit(config.name(), address);
            if (exceeded != null) {
                refusals.info("per-ip", "Rejected connection from " + address.getHostAddress() + " on listener "
                        + config.name() + ": the address already has the configured maximum of connections ("
                        + exceeded + ")");
                closeQuietly(channel);
                continue;
            }
            int throttleMs = throttling.recordConnection(address.getHostAddress());
            if (throttleMs > 0) {
                refuseLater(channel, address, throttleMs);
                continue;
            }
            serve(channel, address);
        }
    }

    /**
     * An address over its {@code connection_creation_rate}: as Kafka (KIP-612) the connection is
     * closed after the quota's delay, so a client that reconnects at once does not spin; it holds no
     * slot meanwhile and is never read.
     */
    private void refuseLater(SocketChannel channel, InetAddress address, int delayMs) {
        runtime.connections().slots().closed(config.name(), address);
        refusals.info("rate", "Rejected connection from " + address.getHostAddress() + " on listener " + config.name()
                + ": over its connection_creation_rate quota; closing it in " + delayMs + " ms");
        Thread.ofVirtual().name("kafka-refused-connection").start(() -> {
            sleepQuietly(delayMs);
            closeQuietly(channel);
        });
    }

    /** The connection gets its own virtual thread; closing it gives its slot back. */
    private void serve(SocketChannel channel, InetAddress address) {
        BrokerConnections shared = runtime.connections();
        ClientConnection connection;
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connection = new ClientConnection(CONNECTION_IDS.incrementAndGet(), channel, runtime, c -> {
                connections.remove(c);
                shared.watchdog().forget(c);
                shared.slots().closed(config.name(), address);
            });
        } catch (IOException e) {
            LOG.warn("could not set up an accepted connection: {}", e.toString());
            closeQuietly(channel);
            shared.slots().closed(config.name(), address);
            return;
        }
        connections.add(connection);
        shared.watchdog().watch(connection);
        if (closing) {
            connection.close();
            return;
        }
        Thread.ofVirtual().name("kafka-connection-" + connection.id()).start(connection);
    }

    private void logFull(String limit) {
        refusals.warn("full", "Listener " + config.name() + " reached " + limit + ": new connections wait in the "
                + "accept backlog until one closes");
    }

    /**
     * Stops accepting, lets requests in progress finish and answer (up to {@code grace}), then closes
     * every connection.
     */
    public void shutdown(Duration grace) {
        closing = true;
        closeQuietly(server);
        acceptor.interrupt(); // it may wait for a connection slot
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
