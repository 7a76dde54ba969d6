package dev.pgkafka.adapter.http;

import java.lang.System.Logger.Level;
import java.util.Objects;

import javax.net.ssl.SSLContext;

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
 * Over HTTP or HTTPS, open or with every request authenticated and shown only what its principal may
 * DESCRIBE ({@link HttpAdminSettings}).
 */
public final class HttpAdminServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HttpAdminServer.class.getName());

    private final WebServer server;
    private final PerConnectionTls tls;

    private HttpAdminServer(WebServer server, PerConnectionTls tls) {
        this.server = server;
        this.tls = tls;
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
     * Starts listening over plain HTTP without authentication, everything visible, with
     * {@code /api/v1/groups} and {@code /api/v1/transactions} when their use cases are given.
     *
     * @param port 0 picks a free port; {@link #port()} tells which
     */
    public static HttpAdminServer start(String host, int port, HealthUseCase health, TopicsUseCase topics,
                                        ClusterUseCase cluster, GroupsUseCase groups, TransactionsUseCase transactions) {
        return start(HttpAdminSettings.plain(host, port), health, topics, cluster, groups, transactions);
    }

    /**
     * Starts listening as the settings say (HTTPS, authentication, authorization), with
     * {@code /api/v1/groups} and {@code /api/v1/transactions} when their use cases are given.
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    public static HttpAdminServer start(HttpAdminSettings settings, HealthUseCase health, TopicsUseCase topics,
                                        ClusterUseCase cluster, GroupsUseCase groups, TransactionsUseCase transactions) {
        PerConnectionTls tls = settings.isHttps() ? new PerConnectionTls(settings.tls().context()) : null;
        var builder = WebServer.builder()
                .host(settings.host())
                .port(settings.port())
                // the bootstrap decides the shutdown order (stop serving before closing storage)
                .shutdownHook(false)
                .routing(routing -> routing(routing, settings, health, topics, cluster, groups, transactions));
        if (tls != null) {
            builder.tls(tls.helidonTls(settings.tls()));
        }
        WebServer server = builder.build().start();
        String where = settings.host() + ":" + settings.port();
        if (!server.isRunning() || server.port() < 0) {
            // Helidon logs a failed bind and carries on without a listener; a broker must not
            server.stop();
            throw new IllegalStateException("the HTTP admin API could not listen on " + where
                    + " (is the port in use? see --http-port)");
        }
        // concatenated, not a {0} pattern, so the port is not printed with a grouping separator
        LOG.log(Level.INFO, "HTTP admin listening on " + (tls != null ? "https://" : "http://") + settings.host() + ":"
                + server.port() + (settings.authenticationRequired() ? ", authentication required" : ""));
        return new HttpAdminServer(server, tls);
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
        routing(routing, HttpAdminSettings.plain("localhost", 0), health, topics, cluster, groups, transactions);
    }

    /**
     * The whole routing as the settings secure it: who asks is found out before any route runs;
     * each resource shows what that principal may DESCRIBE. (Cluster identity needs no more than an
     * authenticated principal, as Kafka's DescribeCluster needs no ACL.)
     */
    static void routing(HttpRouting.Builder routing, HttpAdminSettings settings, HealthUseCase health,
                        TopicsUseCase topics, ClusterUseCase cluster, GroupsUseCase groups,
                        TransactionsUseCase transactions) {
        routing.addFilter(new AuthenticationFilter(settings));
        var authorization = settings.authorization();
        if (transactions != null) {
            routing.register("/api/v1/transactions", new TransactionsResource(transactions, topics, authorization));
        }
        routing.register("/health", new HealthResource(health, settings.authenticationRequired()))
                .register("/api/v1/topics", new TopicsResource(topics, authorization))
                .register("/api/v1/cluster", new ClusterResource(cluster));
        if (groups != null) {
            routing.register("/api/v1/groups", new GroupsResource(groups, topics, authorization));
        }
        JsonResponses.register(routing);
    }

    /** The port actually bound. */
    public int port() {
        return server.port();
    }

    /** Whether the listener serves HTTPS. */
    public boolean isHttps() {
        return tls != null;
    }

    /**
     * Serves new connections with {@code context} from now on; open connections keep the session they
     * negotiated. Needed only for a fixed context: a settings' context supplier is asked at every
     * accepted connection anyway. Hand this method to whatever notices new certificates (for the
     * bootstrap's reloading context, {@code onReload(server::reloadTls)}).
     *
     * @throws IllegalStateException when the listener serves plain HTTP
     */
    public void reloadTls(SSLContext context) {
        Objects.requireNonNull(context, "context");
        if (tls == null) {
            throw new IllegalStateException("the HTTP admin API serves plain HTTP; there is no TLS to reload");
        }
        tls.reload(context);
        LOG.log(Level.INFO, "HTTP admin: new HTTPS connections use the reloaded certificates");
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
