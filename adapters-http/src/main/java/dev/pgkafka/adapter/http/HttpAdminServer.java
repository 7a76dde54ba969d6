package dev.pgkafka.adapter.http;

import java.lang.System.Logger.Level;

import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * The HTTP admin API: health probes, topics with their partitions' watermarks, and cluster
 * identity, as JSON. Handlers block on the use cases; Helidon runs each request on a virtual thread.
 */
public final class HttpAdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpAdminServer.class.getName());

    private final WebServer server;

    private HttpAdminServer(WebServer server) {
        this.server = server;
    }

    /**
     * Starts listening and returns once the port is bound.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static HttpAdminServer start(String host, int port, HealthUseCase health, TopicsUseCase topics,
                                        ClusterUseCase cluster) {
        return start(host, port, health, topics, cluster, null);
    }

    /**
     * Starts listening, with {@code /api/v1/groups} when {@code groups} is given.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static HttpAdminServer start(String host, int port, HealthUseCase health, TopicsUseCase topics,
                                        ClusterUseCase cluster, GroupsUseCase groups) {
        return start(host, port, health, topics, cluster, groups, null);
    }

    /**
     * Starts listening, with {@code /api/v1/groups} and {@code /api/v1/transactions} when their use
     * cases are given.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static HttpAdminServer start(String host, int port, HealthUseCase health, TopicsUseCase topics,
                                        ClusterUseCase cluster, GroupsUseCase groups, TransactionsUseCase transactions) {
        WebServer server = WebServer.builder()
                .host(host)
                .port(port)
                // the bootstrap decides the shutdown order (stop serving before closing storage)
                .shutdownHook(false)
                .routing(routing -> routing(routing, health, topics, cluster, groups, transactions))
                .build()
                .start();
        if (!server.isRunning() || server.port() < 0) {
            // Helidon logs a failed bind and carries on without a listener; a broker must not
            server.stop();
            throw new IllegalStateException("the HTTP admin API could not listen on " + host + ":" + port
                    + " (is the port in use? see --http-port)");
        }
        // concatenated, not a {0} pattern, so the port is not printed with a grouping separator
        LOG.log(Level.INFO, "HTTP admin listening on " + host + ":" + server.port());
        return new HttpAdminServer(server);
    }

    /** The whole routing; route tests build their server from it too. */
    static void routing(HttpRouting.Builder routing, HealthUseCase health, TopicsUseCase topics,
                        ClusterUseCase cluster) {
        routing(routing, health, topics, cluster, null);
    }

    /** The whole routing with consumer groups (when {@code groups} is not null). */
    static void routing(HttpRouting.Builder routing, HealthUseCase health, TopicsUseCase topics,
                        ClusterUseCase cluster, GroupsUseCase groups) {
        routing(routing, health, topics, cluster, groups, null);
    }

    /** The whole routing with consumer groups and transactions (each when not null). */
    static void routing(HttpRouting.Builder routing, HealthUseCase health, TopicsUseCase topics,
                        ClusterUseCase cluster, GroupsUseCase groups, TransactionsUseCase transactions) {
        if (transactions != null) {
            routing.register("/api/v1/transactions", new TransactionsResource(transactions, topics));
        }
        routing.register("/health", new HealthResource(health))
                .register("/api/v1/topics", new TopicsResource(topics))
                .register("/api/v1/cluster", new ClusterResource(cluster));
        if (groups != null) {
            routing.register("/api/v1/groups", new GroupsResource(groups, topics));
        }
        JsonResponses.register(routing);
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
