package dev.pgkafka.bootstrap.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pgkafka.domain.config.BrokerConfigs;

/**
 * Every config key the broker reads, under Kafka's broker property names where Kafka has one and
 * under {@code pgkafka.*} where it is ours, with the command-line flag and environment variable
 * that set it too. A {@code server.properties} written for Kafka works here: keys that only mean
 * something between Kafka brokers and controllers are accepted and ignored, unknown keys are
 * logged and ignored, as Kafka does.
 */
public final class ConfigKeys {
    public static final String DATABASE_URL = "pgkafka.database.url";
    public static final String DATA_DIR = "pgkafka.data.dir";
    public static final String DATABASE_POOL_SIZE = "pgkafka.database.pool.size";
    public static final String HTTP_PORT = "pgkafka.http.port";
    public static final String HTTP_HOST = "pgkafka.http.host";
    public static final String TRANSACTION_VERSION = "pgkafka.transaction.version";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    public static final String TRANSACTIONAL_IDS_MAX = "pgkafka.transactional.ids.max";
    public static final String GROUPS_MAX = "pgkafka.groups.max";

    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LISTENER_SECURITY_PROTOCOL_MAP = "listener.security.protocol.map";
    public static final String CONTROLLER_LISTENER_NAMES = "controller.listener.names";

    /** Limits of the client connections (ADR 15); {@code max.connections} also per listener. */
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String REQUEST_READ_TIMEOUT_MS = "pgkafka.request.read.timeout.ms";
    public static final String RESPONSE_WRITE_TIMEOUT_MS = "pgkafka.response.write.timeout.ms";
    public static final String AUTHENTICATION_TIMEOUT_MS = "pgkafka.authentication.timeout.ms";
    /** Bounds on what one request may make the broker do (ADR 16). */
    public static final String FETCH_MAX_BYTES = BrokerConfigs.FETCH_MAX_BYTES;
    public static final String FETCH_MAX_WAIT_MS = BrokerConfigs.FETCH_MAX_WAIT_MS;
    public static final String PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES =
            BrokerConfigs.PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES;
    static final Set<String> CONNECTION_KEYS = Set.of(QUEUED_MAX_REQUEST_BYTES, MAX_CONNECTIONS,
            MAX_CONNECTIONS_PER_IP, MAX_CONNECTIONS_PER_IP_OVERRIDES, CONNECTIONS_MAX_IDLE_MS, REQUEST_READ_TIMEOUT_MS,
            RESPONSE_WRITE_TIMEOUT_MS, AUTHENTICATION_TIMEOUT_MS, FETCH_MAX_BYTES, FETCH_MAX_WAIT_MS,
            PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES);

    /**
     * One option: its config key, the flag ({@code --flag}) and environment variable
     * ({@code PGKAFKA_FLAG}) that set it too, its default, and what it means.
     */
    public record Option(String key, String flag, String defaultValue, String description) {
        public String envName() {
            return "PGKAFKA_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
        }
    }

    /** The options that have a flag, in --help order. */
    public static final List<Option> OPTIONS = List.of(
            new Option(DATABASE_URL, "database-url", null,
                    "PostgreSQL to use: a JDBC URL (jdbc:postgresql://host:5432/db?user=..&password=..) or "
                            + "postgres://user:password@host:5432/db; without it an embedded PostgreSQL runs in --data-dir"),
            new Option(DATA_DIR, "data-dir", "~/.pgkafka", "where the embedded PostgreSQL keeps its data"),
            new Option(HTTP_PORT, "http-port", "8080", "port of the HTTP admin API (0 picks a free one)"),
            new Option(HTTP_HOST, "http-host", null,
                    "address the HTTP admin API binds to (default: --host, else 127.0.0.1)"),
            new Option("auto.create.topics.enable", "auto-create-topics", "true",
                    "create an unknown topic when a client asks for its metadata"),
            new Option("num.partitions", "default-partitions", "1", "partitions of auto-created topics"),
            new Option("node.id", "node-id", "1", "this broker's node id"),
            new Option("socket.request.max.bytes", "max-request-bytes", String.valueOf(100 * 1024 * 1024),
                    "larger requests close the connection"),
            new Option(DATABASE_POOL_SIZE, "database-pool-size", "16",
                    "connections to PostgreSQL, split between the data path, the coordinators and background work"),
            new Option("group.initial.rebalance.delay.ms", "group-initial-rebalance-delay-ms", "3000",
                    "how long the first rebalance of an empty group waits for members"),
            new Option("group.min.session.timeout.ms", "group-min-session-timeout-ms", "6000",
                    "shorter consumer session timeouts are refused"),
            new Option("group.max.session.timeout.ms", "group-max-session-timeout-ms", "1800000",
                    "longer consumer session timeouts are refused"),
            new Option("offsets.retention.minutes", "offsets-retention-minutes", "10080",
                    "how long an empty group keeps its committed offsets"),
            new Option("log.retention.check.interval.ms", "log-retention-check-interval-ms", "300000",
                    "how often the log cleaner applies retention and compaction"),
            new Option("transaction.max.timeout.ms", "transaction-max-timeout-ms", "900000",
                    "longer transaction timeouts are refused (INVALID_TRANSACTION_TIMEOUT)"),
            new Option("transactional.id.expiration.ms", "transactional-id-expiration-ms", "604800000",
                    "how long an idle transactional id is remembered"),
            new Option("transaction.abort.timed.out.transaction.cleanup.interval.ms",
                    "transaction-abort-check-interval-ms", "10000", "how often timed-out transactions are aborted"),
            new Option(TRANSACTION_VERSION, "transaction-version", "2",
                    "the transaction.version feature clients use: 2 (KIP-890: no AddPartitionsToTxn, an epoch bump per "
                            + "transaction; Kafka 4's default) or 1"),
            new Option("group.consumer.session.timeout.ms", "group-consumer-session-timeout-ms", "45000",
                    "consumer group (KIP-848) members silent this long are removed"),
            new Option("group.consumer.heartbeat.interval.ms", "group-consumer-heartbeat-interval-ms", "5000",
                    "how often consumer group (KIP-848) members heartbeat"),
            new Option(GROUP_MAX_SIZE, "group-max-size", String.valueOf(Integer.MAX_VALUE),
                    "the most members of a classic group; more get GROUP_MAX_SIZE_REACHED"),
            new Option(GROUP_CONSUMER_MAX_SIZE, "group-consumer-max-size", String.valueOf(Integer.MAX_VALUE),
                    "the most members of a consumer group (KIP-848); more get GROUP_MAX_SIZE_REACHED"),
            new Option(TRANSACTIONAL_IDS_MAX, "transactional-ids-max", "100000",
                    "the most transactional ids remembered; InitProducerId for a new one gets POLICY_VIOLATION"),
            new Option(GROUPS_MAX, "groups-max", "100000",
                    "the most groups (classic, consumer and offsets-only); a JoinGroup, ConsumerGroupHeartbeat or "
                            + "offset commit that would create one more gets GROUP_MAX_SIZE_REACHED"));

    /** Shorthands that make the single PLAINTEXT listener when {@code listeners} is not set. */
    public static final Option KAFKA_PORT = new Option("", "kafka-port", "9092",
            "port of the PLAINTEXT listener when 'listeners' is not set (0 picks a free one)");
    public static final Option HOST = new Option("", "host", "127.0.0.1",
            "address the PLAINTEXT listener (and the HTTP admin API) binds to when 'listeners' is not set");
    public static final Option ADVERTISED_HOST = new Option("", "advertised-host", null,
            "host clients are told to connect to when 'advertised.listeners' is not set "
                    + "(default: --host, or localhost for a wildcard)");

    /** Security and listener keys the broker reads (each may also carry a {@code listener.name.<l>.} prefix). */
    static final Set<String> SECURITY_KEYS = Set.of(
            "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.password", "ssl.key.password",
            "ssl.keystore.certificate.chain", "ssl.keystore.key", "ssl.truststore.type", "ssl.truststore.location",
            "ssl.truststore.password", "ssl.truststore.certificates", "ssl.enabled.protocols", "ssl.protocol",
            "ssl.cipher.suites", "ssl.client.auth", "ssl.principal.mapping.rules", "ssl.keymanager.algorithm",
            "ssl.trustmanager.algorithm", "ssl.endpoint.identification.algorithm", "ssl.secure.random.implementation",
            "ssl.provider", "ssl.engine.factory.class",
            "sasl.enabled.mechanisms", "sasl.jaas.config", "sasl.server.callback.handler.class",
            "sasl.oauthbearer.jwks.endpoint.url", "sasl.oauthbearer.jwks.endpoint.refresh.ms",
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms", "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
            "sasl.oauthbearer.expected.audience", "sasl.oauthbearer.expected.issuer",
            "sasl.oauthbearer.scope.claim.name", "sasl.oauthbearer.sub.claim.name",
            "sasl.oauthbearer.clock.skew.seconds",
            "connections.max.reauth.ms", "connection.failed.authentication.delay.ms",
            "authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found", "principal.builder.class",
            LISTENERS, ADVERTISED_LISTENERS, LISTENER_SECURITY_PROTOCOL_MAP, CONTROLLER_LISTENER_NAMES);

    /**
     * Kafka keys that only mean something between Kafka brokers and controllers, or for Kafka's own
     * files and threads: accepted and ignored, so an existing server.properties can be reused.
     */
    static final Set<String> IGNORED_KAFKA_KEYS = Set.of(
            "process.roles", "controller.quorum.voters", "controller.quorum.bootstrap.servers",
            "inter.broker.listener.name", "security.inter.broker.protocol", "sasl.mechanism.inter.broker.protocol",
            "sasl.mechanism.controller.protocol", "inter.broker.protocol.version", "log.dirs", "log.dir",
            "metadata.log.dir", "num.network.threads", "num.io.threads", "num.recovery.threads.per.data.dir",
            "num.replica.fetchers", "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
            "offsets.topic.replication.factor", "offsets.topic.num.partitions", "transaction.state.log.replication.factor",
            "transaction.state.log.min.isr", "transaction.state.log.num.partitions",
            "share.coordinator.state.topic.replication.factor", "share.coordinator.state.topic.min.isr",
            "broker.rack", "cluster.id", "replica.lag.time.max.ms", "replica.fetch.max.bytes",
            "unclean.leader.election.enable", "zookeeper.connect", "zookeeper.connection.timeout.ms",
            "early.start.listeners", "group.coordinator.rebalance.protocols", "metadata.max.retention.bytes");

    /** Our keys without a flag: HTTP authentication and HTTPS, and how often certificate files are checked. */
    static final String HTTP_PREFIX = "pgkafka.http.";
    static final Set<String> OUR_OTHER_KEYS = Set.of("pgkafka.http.authentication",
            "pgkafka.ssl.reload.check.interval.ms");

    /** Keys whose values configure other keys (Kafka's config providers). */
    static boolean isConfigProviderKey(String key) {
        return key.equals("config.providers") || key.startsWith("config.providers.");
    }

    private static final Map<String, Option> BY_FLAG = new LinkedHashMap<>();
    private static final Map<String, Option> BY_KEY = new LinkedHashMap<>();

    static {
        for (Option o : OPTIONS) {
            BY_FLAG.put(o.flag(), o);
            BY_KEY.put(o.key(), o);
        }
        for (Option o : List.of(KAFKA_PORT, HOST, ADVERTISED_HOST)) {
            BY_FLAG.put(o.flag(), o);
        }
    }

    private ConfigKeys() {
    }

    static Optional<Option> byFlag(String flag) {
        return Optional.ofNullable(BY_FLAG.get(flag));
    }

    public static Optional<Option> byKey(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    static Iterable<Option> flagOptions() {
        return BY_FLAG.values();
    }

    /** Whether the broker reads this key (or knowingly ignores it); unknown keys are logged. */
    static boolean isKnown(String key) {
        if (BY_KEY.containsKey(key) || SECURITY_KEYS.contains(key) || IGNORED_KAFKA_KEYS.contains(key)
                || isConfigProviderKey(key) || BrokerConfigs.find(key).isPresent() || OUR_OTHER_KEYS.contains(key)
                || CONNECTION_KEYS.contains(key) || DatabaseKeys.isKnown(key)) {
            return true;
        }
        if (key.startsWith(HTTP_PREFIX)) {
            return SECURITY_KEYS.contains(key.substring(HTTP_PREFIX.length())) && key.contains(".ssl.");
        }
        if (key.startsWith("listener.name.")) {
            String rest = key.substring("listener.name.".length());
            int dot = rest.indexOf('.');
            if (dot <= 0) {
                return false;
            }
            String suffix = rest.substring(dot + 1);
            if (SECURITY_KEYS.contains(suffix) || suffix.equals(MAX_CONNECTIONS)) {
                return true;
            }
            // listener.name.<l>.<mechanism>.sasl.jaas.config and friends
            int mechanismDot = suffix.indexOf('.');
            return mechanismDot > 0 && SECURITY_KEYS.contains(suffix.substring(mechanismDot + 1));
        }
        return false;
    }

    static boolean isIgnored(String key) {
        return IGNORED_KAFKA_KEYS.contains(key);
    }
}
