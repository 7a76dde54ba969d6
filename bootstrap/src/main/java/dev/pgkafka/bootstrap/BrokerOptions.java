package dev.pgkafka.bootstrap;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.listener.RequestLimits;
import dev.pgkafka.application.service.FetchService;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ConfigKeys;
import dev.pgkafka.bootstrap.config.ConfigLoader;
import dev.pgkafka.bootstrap.config.DatabaseUrls;
import dev.pgkafka.bootstrap.config.ListenerSpec;
import dev.pgkafka.bootstrap.config.Secrets;
import dev.pgkafka.bootstrap.config.ServerProperties;
import dev.pgkafka.domain.config.BrokerConfigs;

/**
 * The broker's options: typed values of the settings the core needs, plus every property under
 * Kafka's names ({@link #properties}) for listeners, TLS, SASL and authorization. Built from a
 * {@code server.properties} file, {@code PGKAFKA_*} variables, flags and {@code --override}s
 * ({@link ConfigLoader}); tests build them directly.
 *
 * @param addScram {@code --add-scram} entries: SCRAM users created or updated at start (secrets)
 */
public record BrokerOptions(
        int kafkaPort,
        int httpPort,
        String host,
        String advertisedHost,
        Optional<String> databaseUrl,
        Path dataDir,
        boolean autoCreateTopics,
        int defaultPartitions,
        int nodeId,
        int maxRequestBytes,
        int databasePoolSize,
        int groupInitialRebalanceDelayMs,
        int groupMinSessionTimeoutMs,
        int groupMaxSessionTimeoutMs,
        int offsetsRetentionMinutes,
        long logRetentionCheckIntervalMs,
        int transactionMaxTimeoutMs,
        long transactionalIdExpirationMs,
        long transactionAbortCheckIntervalMs,
        int transactionVersion,
        int groupConsumerSessionTimeoutMs,
        int groupConsumerHeartbeatIntervalMs,
        ServerProperties properties,
        List<String> addScram) {

    public BrokerOptions {
        if (groupConsumerHeartbeatIntervalMs >= groupConsumerSessionTimeoutMs) {
            throw new ConfigException("group.consumer.heartbeat.interval.ms (--group-consumer-heartbeat-interval-ms, "
                    + groupConsumerHeartbeatIntervalMs + ") must be lower than group.consumer.session.timeout.ms "
                    + "(--group-consumer-session-timeout-ms, " + groupConsumerSessionTimeoutMs + ")");
        }
        addScram = List.copyOf(addScram);
    }

    /** The options of the broker core, with Kafka's defaults for the rest. */
    public BrokerOptions(int kafkaPort, int httpPort, String host, String advertisedHost, Optional<String> databaseUrl,
                         Path dataDir, boolean autoCreateTopics, int defaultPartitions, int nodeId, int maxRequestBytes,
                         int databasePoolSize) {
        this(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics, defaultPartitions, nodeId,
                maxRequestBytes, databasePoolSize, 3000, 6000, 1_800_000, 10_080, 300_000, 900_000, 604_800_000L, 10_000L, 2,
                45_000, 5_000, ServerProperties.empty(), List.of());
    }

    /** These options with other group coordinator settings (tests shorten the delays). */
    public BrokerOptions withGroups(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                    int retentionMinutes) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, retentionMinutes,
                logRetentionCheckIntervalMs, transactionMaxTimeoutMs, transactionalIdExpirationMs,
                transactionAbortCheckIntervalMs, transactionVersion, groupConsumerSessionTimeoutMs,
                groupConsumerHeartbeatIntervalMs, properties, addScram);
    }

    /** These options with other consumer group (KIP-848) session and heartbeat settings (tests shorten them). */
    public BrokerOptions withConsumerGroups(int sessionTimeoutMs, int heartbeatIntervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                sessionTimeoutMs, heartbeatIntervalMs, properties, addScram);
    }

    /** These options with another Kafka port (tests restart a broker on the port clients know). */
    public BrokerOptions withKafkaPort(int port) {
        return new BrokerOptions(port, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs, properties,
                addScram);
    }

    /** These options with another log cleaner interval (tests run the cleaner by hand). */
    public BrokerOptions withLogRetentionCheckIntervalMs(long intervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, intervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs, properties,
                addScram);
    }

    /** These options with other transaction coordinator settings (tests abort timed-out transactions sooner). */
    public BrokerOptions withTransactions(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, maxTimeoutMs, idExpirationMs,
                abortCheckIntervalMs, transactionVersion, groupConsumerSessionTimeoutMs,
                groupConsumerHeartbeatIntervalMs, properties, addScram);
    }

    /** These options with another {@code transaction.version} for clients (1 or 2). */
    public BrokerOptions withTransactionVersion(int version) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, version,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs, properties,
                addScram);
    }

    /** These options with more properties under Kafka's names ({@code listeners}, {@code ssl.*}, {@code sasl.*}, ...) on top. */
    public BrokerOptions withProperties(Map<String, String> more) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs,
                properties.with(more), addScram);
    }

    /** These options with SCRAM users to create at start ({@code --add-scram} entries). */
    public BrokerOptions withAddScram(List<String> entries) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize,
                groupInitialRebalanceDelayMs, groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs,
                offsetsRetentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs, properties,
                List.copyOf(entries));
    }

    /** The Kafka listeners these options configure (one PLAINTEXT listener unless {@code listeners} is set). */
    public List<ListenerSpec> listeners() {
        return ListenerSpec.parse(properties, host, kafkaPort, advertisedHost);
    }

    /**
     * The limits of the Kafka client connections: {@code queued.max.request.bytes} (a quarter of
     * this JVM's heap, at most 1 GiB, when not set), {@code max.connections} and the rest (ADR 15).
     */
    ConnectionLimits connectionLimits() {
        return KafkaConnections.limits(properties, listeners(), Runtime.getRuntime().maxMemory());
    }

    /** {@code group.max.size}: the most members of a classic group (Kafka's default: no limit). */
    public int groupMaxSize() {
        return integer(properties, ConfigKeys.GROUP_MAX_SIZE, 1);
    }

    /** {@code group.consumer.max.size}: the most members of a consumer group (KIP-848; Kafka's default: no limit). */
    public int groupConsumerMaxSize() {
        return integer(properties, ConfigKeys.GROUP_CONSUMER_MAX_SIZE, 1);
    }

    /** {@code pgkafka.transactional.ids.max}: the most transactional ids remembered (Kafka has no limit). */
    public int transactionalIdsMax() {
        return integer(properties, ConfigKeys.TRANSACTIONAL_IDS_MAX, 1);
    }

    /** {@code pgkafka.groups.max}: the most groups of every type together (Kafka has no limit). */
    public int groupsMax() {
        return integer(properties, ConfigKeys.GROUPS_MAX, 1);
    }

    /** The bound on a produce request's decoded records, {@code pgkafka.produce.max.uncompressed.request.bytes} (ADR 16). */
    RequestLimits requestLimits() {
        return new RequestLimits(properties.longValue(ConfigKeys.PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES,
                String.valueOf(RequestLimits.DEFAULT_PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES), 1));
    }

    /** The bounds on a fetch: Kafka's {@code fetch.max.bytes} and our {@code pgkafka.fetch.max.wait.ms} (ADR 16). */
    FetchService.Limits fetchLimits() {
        return new FetchService.Limits(
                properties.integer(ConfigKeys.FETCH_MAX_BYTES, String.valueOf(FetchService.Limits.DEFAULT_MAX_BYTES),
                        1024),
                properties.longValue(ConfigKeys.FETCH_MAX_WAIT_MS,
                        String.valueOf(FetchService.Limits.DEFAULT_MAX_WAIT_MS), 0));
    }

    /** Where the HTTP admin API binds: {@code pgkafka.http.host}, else the PLAINTEXT shorthand's host. */
    public String httpHost() {
        return properties.get(ConfigKeys.HTTP_HOST).filter(h -> !h.isBlank()).orElse(host);
    }

    /** Secrets stay out of logs: the database URL's password and the SCRAM entries are hidden. */
    @Override
    public String toString() {
        return "BrokerOptions[listeners=" + properties.get(ConfigKeys.LISTENERS).orElse(host + ":" + kafkaPort)
                + ", httpPort=" + httpPort + ", database=" + databaseUrl.map(Secrets::redactUrl).orElse("embedded in "
                + dataDir) + ", nodeId=" + nodeId + ", addScram=" + addScram.size() + " entries]";
    }

    /**
     * @throws ConfigLoader.HelpRequested when the user asked for --help
     * @throws ConfigException            on an unknown flag or a bad value, naming the key
     */
    static BrokerOptions parse(String[] args, Map<String, String> env) throws ConfigLoader.HelpRequested {
        return from(ConfigLoader.load(args, env));
    }

    /** The typed options of what the command line and environment said; every value is checked. */
    static BrokerOptions from(ConfigLoader.Loaded loaded) {
        ServerProperties p = loaded.properties();
        if (p.contains(ConfigKeys.LISTENERS) && (loaded.kafkaPort().isPresent() || loaded.host().isPresent())) {
            throw new ConfigException("--kafka-port and --host are shorthands for a single PLAINTEXT listener; "
                    + "they cannot be combined with 'listeners' (" + p.get(ConfigKeys.LISTENERS).orElseThrow() + ")");
        }
        int kafkaPort = port("--kafka-port", loaded.kafkaPort().orElse("9092"));
        String host = loaded.host().orElse("127.0.0.1");
        String advertised = loaded.advertisedHost().filter(h -> !h.isBlank()).orElse(null);
        Optional<String> url = p.get(ConfigKeys.DATABASE_URL).filter(u -> !u.isBlank()).map(DatabaseUrls::toJdbc);
        int minSession = integer(p, "group.min.session.timeout.ms", 0);
        int transactionVersion = integer(p, ConfigKeys.TRANSACTION_VERSION, 1);
        if (transactionVersion != 1 && transactionVersion != 2) {
            throw ConfigException.invalid(label(ConfigKeys.TRANSACTION_VERSION), String.valueOf(transactionVersion),
                    "must be 1 or 2");
        }
        BrokerOptions options = new BrokerOptions(
                kafkaPort,
                port(label(ConfigKeys.HTTP_PORT), value(p, ConfigKeys.HTTP_PORT)),
                host,
                advertised == null ? (isWildcard(host) ? "localhost" : host) : advertised,
                url,
                dataDir(value(p, ConfigKeys.DATA_DIR)),
                bool(p, "auto.create.topics.enable"),
                integer(p, "num.partitions", 1),
                integer(p, "node.id", 0),
                integer(p, "socket.request.max.bytes", 1),
                integer(p, ConfigKeys.DATABASE_POOL_SIZE, 1),
                integer(p, "group.initial.rebalance.delay.ms", 0),
                minSession,
                integer(p, "group.max.session.timeout.ms", minSession),
                integer(p, "offsets.retention.minutes", 1),
                longValue(p, "log.retention.check.interval.ms", 1),
                integer(p, "transaction.max.timeout.ms", 1),
                longValue(p, "transactional.id.expiration.ms", 1),
                longValue(p, "transaction.abort.timed.out.transaction.cleanup.interval.ms", 1),
                transactionVersion,
                integer(p, "group.consumer.session.timeout.ms", 1),
                integer(p, "group.consumer.heartbeat.interval.ms", 1),
                p,
                loaded.addScram());
        options.listeners(); // checks listeners, advertised.listeners and the protocol map now, not at bind time
        options.connectionLimits();
        options.groupMaxSize();
        options.groupConsumerMaxSize();
        options.transactionalIdsMax();
        options.groupsMax();
        options.requestLimits();
        options.fetchLimits();
        DatabaseOptions.settings(options); // and the database timeouts and pool split
        // broker configs Kafka defines (log.retention.hours, message.max.bytes, ...) follow Kafka's rules
        p.asMap().forEach((key, value) -> BrokerConfigs.find(key).flatMap(def -> def.problem(value)).ifPresent(problem -> {
            throw new ConfigException(Secrets.isSensitive(key) ? "Invalid value " + Secrets.HIDDEN
                    + " for configuration " + key : problem);
        }));
        return options;
    }

    /** The value of a key, or its default. */
    private static String value(ServerProperties p, String key) {
        return p.get(key).orElseGet(() -> ConfigKeys.byKey(key).map(ConfigKeys.Option::defaultValue).orElse(null));
    }

    /** A key as error messages name it: with its flag, so either spelling is found. */
    private static String label(String key) {
        return ConfigKeys.byKey(key).map(o -> key + " (--" + o.flag() + ")").orElse(key);
    }

    static String usage() {
        return ConfigLoader.usage();
    }

    private static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") || host.isBlank();
    }

    private static Path dataDir(String value) {
        if (value.equals("~") || value.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), value.substring(1).replaceFirst("^/", ""));
        }
        return Path.of(value);
    }

    private static int port(String name, String raw) {
        int port;
        try {
            port = Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(name, raw, "Not a number of type INT");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.invalid(name, raw, "must be a port between 0 and 65535");
        }
        return port;
    }

    private static int integer(ServerProperties p, String key, int min) {
        String raw = value(p, key);
        int v;
        try {
            v = Integer.parseInt(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ConfigException.invalid(label(key), raw, "Not a number of type INT");
        }
        if (v < min) {
            throw ConfigException.invalid(label(key), raw, "Value must be at least " + min);
        }
        return v;
    }

    private static long longValue(ServerProperties p, String key, long min) {
        String raw = value(p, key);
        long v;
        try {
            v = Long.parseLong(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ConfigException.invalid(label(key), raw, "Not a number of type LONG");
        }
        if (v < min) {
            throw ConfigException.invalid(label(key), raw, "Value must be at least " + min);
        }
        return v;
    }

    /** Booleans the way both Kafka (true/false) and our older flags (yes/no/1/0) spell them. */
    private static boolean bool(ServerProperties p, String key) {
        String raw = value(p, key);
        String v = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw ConfigException.invalid(label(key), raw, "Expected value to be either true or false");
        };
    }
}
