package dev.pgkafka.bootstrap;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The broker's options. Each is a command-line flag and an environment variable
 * ({@code --kafka-port} / {@code PGKAFKA_KAFKA_PORT}); the flag wins.
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
        int groupConsumerHeartbeatIntervalMs) {

    public BrokerOptions {
        if (groupConsumerHeartbeatIntervalMs >= groupConsumerSessionTimeoutMs) {
            throw new IllegalArgumentException("--group-consumer-heartbeat-interval-ms (" + groupConsumerHeartbeatIntervalMs
                    + ") must be lower than --group-consumer-session-timeout-ms (" + groupConsumerSessionTimeoutMs + ")");
        }
    }

    /** The options of the broker core, with Kafka's defaults for the rest. */
    public BrokerOptions(int kafkaPort, int httpPort, String host, String advertisedHost, Optional<String> databaseUrl,
                         Path dataDir, boolean autoCreateTopics, int defaultPartitions, int nodeId, int maxRequestBytes,
                         int databasePoolSize) {
        this(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics, defaultPartitions, nodeId,
                maxRequestBytes, databasePoolSize, 3000, 6000, 1_800_000, 10_080, 300_000, 900_000, 604_800_000L, 10_000L, 2,
                45_000, 5_000);
    }

    /** These options with other group coordinator settings (tests shorten the delays). */
    public BrokerOptions withGroups(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs,
                                    int retentionMinutes) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, initialRebalanceDelayMs, minSessionTimeoutMs,
                maxSessionTimeoutMs, retentionMinutes, logRetentionCheckIntervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion, groupConsumerSessionTimeoutMs,
                groupConsumerHeartbeatIntervalMs);
    }

    /** These options with other consumer group (KIP-848) session and heartbeat settings (tests shorten them). */
    public BrokerOptions withConsumerGroups(int sessionTimeoutMs, int heartbeatIntervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, offsetsRetentionMinutes, logRetentionCheckIntervalMs,
                transactionMaxTimeoutMs, transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                sessionTimeoutMs, heartbeatIntervalMs);
    }

    /** These options with another Kafka port (tests restart a broker on the port clients know). */
    public BrokerOptions withKafkaPort(int port) {
        return new BrokerOptions(port, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, offsetsRetentionMinutes, logRetentionCheckIntervalMs,
                transactionMaxTimeoutMs, transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs);
    }

    /** These options with another log cleaner interval (tests run the cleaner by hand). */
    public BrokerOptions withLogRetentionCheckIntervalMs(long intervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, offsetsRetentionMinutes, intervalMs, transactionMaxTimeoutMs,
                transactionalIdExpirationMs, transactionAbortCheckIntervalMs, transactionVersion,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs);
    }

    /** These options with other transaction coordinator settings (tests abort timed-out transactions sooner). */
    public BrokerOptions withTransactions(int maxTimeoutMs, long idExpirationMs, long abortCheckIntervalMs) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, offsetsRetentionMinutes, logRetentionCheckIntervalMs,
                maxTimeoutMs, idExpirationMs, abortCheckIntervalMs, transactionVersion, groupConsumerSessionTimeoutMs,
                groupConsumerHeartbeatIntervalMs);
    }

    /** These options with another {@code transaction.version} for clients (1 or 2). */
    public BrokerOptions withTransactionVersion(int version) {
        return new BrokerOptions(kafkaPort, httpPort, host, advertisedHost, databaseUrl, dataDir, autoCreateTopics,
                defaultPartitions, nodeId, maxRequestBytes, databasePoolSize, groupInitialRebalanceDelayMs,
                groupMinSessionTimeoutMs, groupMaxSessionTimeoutMs, offsetsRetentionMinutes, logRetentionCheckIntervalMs,
                transactionMaxTimeoutMs, transactionalIdExpirationMs, transactionAbortCheckIntervalMs, version,
                groupConsumerSessionTimeoutMs, groupConsumerHeartbeatIntervalMs);
    }

    /** Every option with its default and meaning, in --help order. */
    static final List<Option> OPTIONS = List.of(
            new Option("kafka-port", "9092", "port of the Kafka listener (0 picks a free one)"),
            new Option("http-port", "8080", "port of the HTTP admin API (0 picks a free one)"),
            new Option("host", "0.0.0.0", "address both listeners bind to"),
            new Option("advertised-host", null,
                    "host clients are told to connect to (default: --host, or localhost when --host is a wildcard)"),
            new Option("database-url", null,
                    "JDBC URL of the PostgreSQL database (jdbc:postgresql://host:5432/db?user=..&password=..); "
                            + "when absent an embedded PostgreSQL is started in --data-dir"),
            new Option("data-dir", "~/.pgkafka", "where the embedded PostgreSQL keeps its data"),
            new Option("auto-create-topics", "true", "auto.create.topics.enable: create unknown topics on metadata requests"),
            new Option("default-partitions", "1", "num.partitions: partitions of auto-created topics"),
            new Option("node-id", "1", "this broker's node id"),
            new Option("max-request-bytes", String.valueOf(100 * 1024 * 1024),
                    "socket.request.max.bytes: larger requests close the connection"),
            new Option("database-pool-size", "16", "connections to PostgreSQL"),
            new Option("group-initial-rebalance-delay-ms", "3000",
                    "group.initial.rebalance.delay.ms: how long the first rebalance of an empty group waits for members"),
            new Option("group-min-session-timeout-ms", "6000",
                    "group.min.session.timeout.ms: shorter consumer session timeouts are refused"),
            new Option("group-max-session-timeout-ms", "1800000",
                    "group.max.session.timeout.ms: longer consumer session timeouts are refused"),
            new Option("offsets-retention-minutes", "10080",
                    "offsets.retention.minutes: how long an empty group keeps its committed offsets"),
            new Option("log-retention-check-interval-ms", "300000",
                    "log.retention.check.interval.ms: how often the log cleaner applies retention and compaction"),
            new Option("transaction-max-timeout-ms", "900000",
                    "transaction.max.timeout.ms: longer transaction timeouts are refused (INVALID_TRANSACTION_TIMEOUT)"),
            new Option("transactional-id-expiration-ms", "604800000",
                    "transactional.id.expiration.ms: how long an idle transactional id is remembered"),
            new Option("transaction-abort-check-interval-ms", "10000",
                    "transaction.abort.timed.out.transaction.cleanup.interval.ms: how often timed-out transactions are "
                            + "aborted"),
            new Option("transaction-version", "2",
                    "the transaction.version feature clients use: 2 (KIP-890: no AddPartitionsToTxn, an epoch bump per "
                            + "transaction; Kafka 4's default) or 1"),
            new Option("group-consumer-session-timeout-ms", "45000",
                    "group.consumer.session.timeout.ms: consumer group (KIP-848) members silent this long are removed"),
            new Option("group-consumer-heartbeat-interval-ms", "5000",
                    "group.consumer.heartbeat.interval.ms: how often consumer group (KIP-848) members heartbeat"));

    record Option(String name, String defaultValue, String description) {
        String envName() {
            return "PGKAFKA_" + name.toUpperCase().replace('-', '_');
        }
    }

    /** The user asked for --help. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    /**
     * @throws IllegalArgumentException on an unknown flag or a bad value, with a message for the user
     */
    static BrokerOptions parse(String[] args, Map<String, String> env) throws HelpRequested {
        Map<String, String> values = new LinkedHashMap<>();
        for (Option o : OPTIONS) {
            String fromEnv = env.get(o.envName());
            values.put(o.name(), fromEnv != null && !fromEnv.isBlank() ? fromEnv : o.defaultValue());
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            values.put(name, value);
        }

        String host = values.get("host");
        String advertised = values.get("advertised-host");
        if (advertised == null || advertised.isBlank()) {
            advertised = isWildcard(host) ? "localhost" : host;
        }
        String url = values.get("database-url");
        if (url != null && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database-url must be a PostgreSQL JDBC URL (jdbc:postgresql://...), was "
                    + url);
        }
        return new BrokerOptions(
                port(values, "kafka-port"),
                port(values, "http-port"),
                host,
                advertised,
                Optional.ofNullable(url).filter(u -> !u.isBlank()),
                dataDir(values.get("data-dir")),
                bool(values, "auto-create-topics"),
                positive(values, "default-partitions"),
                nonNegative(values, "node-id"),
                positive(values, "max-request-bytes"),
                positive(values, "database-pool-size"),
                nonNegative(values, "group-initial-rebalance-delay-ms"),
                nonNegative(values, "group-min-session-timeout-ms"),
                atLeast(values, "group-max-session-timeout-ms", integer(values, "group-min-session-timeout-ms")),
                positive(values, "offsets-retention-minutes"),
                positiveLong(values, "log-retention-check-interval-ms"),
                positive(values, "transaction-max-timeout-ms"),
                positiveLong(values, "transactional-id-expiration-ms"),
                positiveLong(values, "transaction-abort-check-interval-ms"),
                transactionVersion(values),
                positive(values, "group-consumer-session-timeout-ms"),
                positive(values, "group-consumer-heartbeat-interval-ms"));
    }

    static String usage() {
        StringBuilder b = new StringBuilder();
        b.append("pgkafka: a Kafka-compatible broker that keeps everything in PostgreSQL\n\n");
        b.append("usage: java -jar pgkafka.jar [options]\n\n");
        b.append("Every option can also be set with the environment variable shown; the flag wins.\n\n");
        for (Option o : OPTIONS) {
            b.append(String.format("  --%-22s %s%n", o.name() + " <value>", o.description()));
            b.append(String.format("  %-24s env %s%s%n", "", o.envName(),
                    o.defaultValue() == null ? "" : ", default " + o.defaultValue()));
        }
        b.append(String.format("  --%-22s %s%n", "help", "print this help"));
        return b.toString();
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

    private static int transactionVersion(Map<String, String> values) {
        int version = integer(values, "transaction-version");
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("--transaction-version must be 1 or 2, was " + version);
        }
        return version;
    }

    private static int port(Map<String, String> values, String name) {
        int port = integer(values, name);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--" + name + " must be a port between 0 and 65535, was " + port);
        }
        return port;
    }

    private static int positive(Map<String, String> values, String name) {
        int value = integer(values, name);
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static long positiveLong(Map<String, String> values, String name) {
        String raw = values.get(name);
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + raw + "'");
        }
        if (value < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static int nonNegative(Map<String, String> values, String name) {
        int value = integer(values, name);
        if (value < 0) {
            throw new IllegalArgumentException("--" + name + " must be at least 0, was " + value);
        }
        return value;
    }

    private static int atLeast(Map<String, String> values, String name, int minimum) {
        int value = integer(values, name);
        if (value < minimum) {
            throw new IllegalArgumentException("--" + name + " must be at least " + minimum + ", was " + value);
        }
        return value;
    }

    private static int integer(Map<String, String> values, String name) {
        String raw = values.get(name);
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + raw + "'");
        }
    }

    private static boolean bool(Map<String, String> values, String name) {
        String raw = values.get(name).trim().toLowerCase();
        return switch (raw) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("--" + name + " must be true or false, was '" + raw + "'");
        };
    }
}
