package dev.pgkafka.domain.config;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.pgkafka.domain.config.ConfigValidator.AtLeast;

/**
 * The broker configs pgkafka shows under Kafka's names: the broker's own options (read-only, as
 * in Kafka: they change with a restart) and the cluster-wide defaults of topic configs, which can
 * be changed while the broker runs (dynamic, kept in storage) as Kafka's
 * {@code kafka-configs --entity-type brokers --entity-default} does.
 */
public final class BrokerConfigs {
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String BROKER_ID = "broker.id";
    public static final String NODE_ID = "node.id";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final String TRANSACTION_ABORT_CHECK_INTERVAL_MS =
            "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    public static final String MAX_CONNECTIONS = "max.connections";
    public static final String MAX_CONNECTIONS_PER_IP = "max.connections.per.ip";
    public static final String MAX_CONNECTIONS_PER_IP_OVERRIDES = "max.connections.per.ip.overrides";
    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    public static final String FETCH_MAX_WAIT_MS = "pgkafka.fetch.max.wait.ms";
    public static final String PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES = "pgkafka.produce.max.uncompressed.request.bytes";

    /** Topic-config synonyms that have no default of their own: a coarser synonym provides it. */
    private static final Set<String> NO_DEFAULT = Set.of("log.retention.ms", "log.roll.ms", "log.roll.jitter.ms",
            "log.flush.interval.ms");
    private static final String OPTION = " A pgkafka option; read-only while the broker runs.";
    private static final String FIXED = " Fixed in pgkafka; read-only.";

    private static final Map<String, ConfigDef> DEFS = new TreeMap<>();

    static {
        // dynamic: the brokers' defaults for topic configs, with the topic config's type and rule
        for (ConfigDef topic : TopicConfigs.all()) {
            for (Synonym s : topic.synonyms()) {
                if (s.factor() == 1 && !DEFS.containsKey(s.name())) {
                    DEFS.put(s.name(), new ConfigDef(s.name(), topic.type(),
                            NO_DEFAULT.contains(s.name()) ? null : topic.defaultValue(), topic.validator(),
                            "The default of the topic config " + topic.name() + ". " + topic.documentation(),
                            List.of(), false));
                }
            }
        }
        readOnly("log.retention.minutes", ConfigType.INT, null, null,
                "Default retention.ms in minutes, when log.retention.ms is not set." + FIXED);
        readOnly("log.retention.hours", ConfigType.INT, "168", null,
                "Default retention.ms in hours, when log.retention.ms and log.retention.minutes are not set." + FIXED);
        readOnly("log.roll.hours", ConfigType.INT, "168", new AtLeast(1),
                "Default segment.ms in hours." + FIXED);
        readOnly("log.roll.jitter.hours", ConfigType.INT, "0", new AtLeast(0),
                "Default segment.jitter.ms in hours." + FIXED);
        readOnly(AUTO_CREATE_TOPICS_ENABLE, ConfigType.BOOLEAN, "true", null,
                "Create an unknown topic when a client asks for its metadata (--auto-create-topics)." + OPTION);
        readOnly(BROKER_ID, ConfigType.INT, "-1", null, "This broker's id, the same as node.id (--node-id)." + OPTION);
        readOnly(NODE_ID, ConfigType.INT, "-1", null, "This broker's node id (--node-id)." + OPTION);
        readOnly(NUM_PARTITIONS, ConfigType.INT, "1", new AtLeast(1),
                "Partitions of topics created without a count (--default-partitions)." + OPTION);
        readOnly("default.replication.factor", ConfigType.INT, "1", null,
                "Replication factor of topics created without one; pgkafka keeps one copy in PostgreSQL." + FIXED);
        readOnly("delete.topic.enable", ConfigType.BOOLEAN, "true", null, "Topics can be deleted." + FIXED);
        readOnly("log.cleaner.enable", ConfigType.BOOLEAN, "true", null,
                "The log cleaner (retention and compaction) runs." + FIXED);
        readOnly(SOCKET_REQUEST_MAX_BYTES, ConfigType.INT, "104857600", new AtLeast(1),
                "The largest request frame; larger ones close the connection (--max-request-bytes)." + OPTION);
        readOnly(LOG_RETENTION_CHECK_INTERVAL_MS, ConfigType.LONG, "300000", new AtLeast(1),
                "How often the log cleaner looks for records to remove (--log-retention-check-interval-ms)." + OPTION);
        readOnly(OFFSETS_RETENTION_MINUTES, ConfigType.INT, "10080", new AtLeast(1),
                "How long committed offsets of an empty group are kept (--offsets-retention-minutes)." + OPTION);
        readOnly(GROUP_INITIAL_REBALANCE_DELAY_MS, ConfigType.INT, "3000", new AtLeast(0),
                "How long a new group waits for more members before its first rebalance"
                        + " (--group-initial-rebalance-delay-ms)." + OPTION);
        readOnly(GROUP_MIN_SESSION_TIMEOUT_MS, ConfigType.INT, "6000", new AtLeast(0),
                "The shortest session timeout a group member may ask for (--group-min-session-timeout-ms)." + OPTION);
        readOnly(GROUP_MAX_SESSION_TIMEOUT_MS, ConfigType.INT, "1800000", new AtLeast(0),
                "The longest session timeout a group member may ask for (--group-max-session-timeout-ms)." + OPTION);
        readOnly(GROUP_CONSUMER_SESSION_TIMEOUT_MS, ConfigType.INT, "45000", new AtLeast(1),
                "How long a consumer group (KIP-848) member may stay silent before it is removed"
                        + " (--group-consumer-session-timeout-ms)." + OPTION);
        readOnly(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, ConfigType.INT, "5000", new AtLeast(1),
                "How often consumer group (KIP-848) members are told to heartbeat"
                        + " (--group-consumer-heartbeat-interval-ms)." + OPTION);
        readOnly(GROUP_MAX_SIZE, ConfigType.INT, String.valueOf(Integer.MAX_VALUE), new AtLeast(1),
                "The most members a classic group may have; a new one gets GROUP_MAX_SIZE_REACHED"
                        + " (--group-max-size)." + OPTION);
        readOnly(GROUP_CONSUMER_MAX_SIZE, ConfigType.INT, String.valueOf(Integer.MAX_VALUE), new AtLeast(1),
                "The most members a consumer group (KIP-848) may have; a new one gets GROUP_MAX_SIZE_REACHED"
                        + " (--group-consumer-max-size)." + OPTION);
        readOnly(TRANSACTION_MAX_TIMEOUT_MS, ConfigType.INT, "900000", new AtLeast(1),
                "The longest transaction timeout a producer may ask for (--transaction-max-timeout-ms)." + OPTION);
        readOnly(TRANSACTIONAL_ID_EXPIRATION_MS, ConfigType.INT, "604800000", new AtLeast(1),
                "How long an idle transactional id is remembered (--transactional-id-expiration-ms)." + OPTION);
        readOnly(PRODUCER_ID_EXPIRATION_MS, ConfigType.INT, "86400000", new AtLeast(1),
                "How long a producer that appends nothing to a partition (and has no open transaction there) is "
                        + "remembered for its sequence numbers; the log cleaner forgets it then." + FIXED);
        securityConfigs();
        quotaConfigs();
        connectionConfigs();
        requestConfigs();
        readOnly(TRANSACTION_ABORT_CHECK_INTERVAL_MS, ConfigType.INT, "10000", new AtLeast(1),
                "How often transactions past their timeout are aborted (--transaction-abort-check-interval-ms)."
                        + OPTION);
    }

    private BrokerConfigs() {
    }

    /** How client quotas measure use (Kafka's names and defaults); read at start, as in Kafka. */
    private static void quotaConfigs() {
        String startup = " Read at start; read-only.";
        readOnly("quota.window.num", ConfigType.INT, "11", new AtLeast(1),
                "The number of samples client quotas (byte rates, request time) are measured over." + startup);
        readOnly("quota.window.size.seconds", ConfigType.INT, "1", new AtLeast(1),
                "The time span of each sample of client quotas." + startup);
        readOnly("controller.quota.window.num", ConfigType.INT, "11", new AtLeast(1),
                "The number of samples controller mutation quotas are measured over." + startup);
        readOnly("controller.quota.window.size.seconds", ConfigType.INT, "1", new AtLeast(1),
                "The time span of each sample of controller mutation quotas." + startup);
    }

    /** Listener, TLS, SASL and authorizer configs: read-only, passwords PASSWORD-typed so they are never shown. */
    private static void securityConfigs() {
        String startup = " Read at start.";
        readOnly("listeners", ConfigType.STRING, "PLAINTEXT://127.0.0.1:9092", null,
                "The listeners clients connect to: NAME://host:port, comma-separated." + startup);
        readOnly("advertised.listeners", ConfigType.STRING, null, null,
                "The addresses clients are told to use per listener, when not those of listeners." + startup);
        readOnly("listener.security.protocol.map", ConfigType.STRING,
                "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL", null,
                "The security protocol of each listener name." + startup);
        readOnly("sasl.enabled.mechanisms", ConfigType.LIST, "GSSAPI", null,
                "SASL mechanisms offered: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER (GSSAPI is not supported)."
                        + startup);
        readOnly("sasl.jaas.config", ConfigType.PASSWORD, null, null, "JAAS login context parameters." + startup);
        readOnly("connections.max.reauth.ms", ConfigType.LONG, "0", new AtLeast(0),
                "The longest SASL session before the client must re-authenticate; 0 for no limit." + startup);
        readOnly("connection.failed.authentication.delay.ms", ConfigType.INT, "100", new AtLeast(0),
                "How long a failed login waits before its answer and the close." + startup);
        readOnly("authorizer.class.name", ConfigType.STRING, "", null,
                "When set, ACLs are enforced (pgkafka's built-in authorizer, with Kafka's semantics)." + startup);
        readOnly("ssl.keystore.type", ConfigType.STRING, "JKS", null, "JKS, PKCS12 or PEM." + startup);
        readOnly("ssl.keystore.location", ConfigType.STRING, null, null, "The key store file." + startup);
        readOnly("ssl.keystore.password", ConfigType.PASSWORD, null, null, "The key store password." + startup);
        readOnly("ssl.key.password", ConfigType.PASSWORD, null, null, "The private key's password." + startup);
        readOnly("ssl.keystore.certificate.chain", ConfigType.PASSWORD, null, null,
                "PEM certificate chain (ssl.keystore.type=PEM)." + startup);
        readOnly("ssl.keystore.key", ConfigType.PASSWORD, null, null, "PEM private key (ssl.keystore.type=PEM)." + startup);
        readOnly("ssl.truststore.type", ConfigType.STRING, "JKS", null, "JKS, PKCS12 or PEM." + startup);
        readOnly("ssl.truststore.location", ConfigType.STRING, null, null, "The trust store file." + startup);
        readOnly("ssl.truststore.password", ConfigType.PASSWORD, null, null, "The trust store password." + startup);
        readOnly("ssl.truststore.certificates", ConfigType.PASSWORD, null, null,
                "PEM trusted certificates (ssl.truststore.type=PEM)." + startup);
        readOnly("ssl.client.auth", ConfigType.STRING, "none", null, "none, requested or required." + startup);
        readOnly("ssl.enabled.protocols", ConfigType.LIST, "TLSv1.2,TLSv1.3", null, "TLS versions offered." + startup);
        readOnly("ssl.protocol", ConfigType.STRING, "TLSv1.3", null, "The SSLContext protocol." + startup);
        readOnly("ssl.cipher.suites", ConfigType.LIST, "", null, "Cipher suites offered; empty for the JDK's." + startup);
        readOnly("ssl.principal.mapping.rules", ConfigType.STRING, "DEFAULT", null,
                "How a client certificate's distinguished name becomes a principal name." + startup);
        readOnly("sasl.oauthbearer.jwks.endpoint.url", ConfigType.STRING, null, null,
                "Where OAUTHBEARER token signing keys come from (https: or file:)." + startup);
        readOnly("sasl.oauthbearer.expected.audience", ConfigType.LIST, null, null,
                "Audiences an OAUTHBEARER token must name one of." + startup);
        readOnly("sasl.oauthbearer.expected.issuer", ConfigType.STRING, null, null,
                "The issuer an OAUTHBEARER token must name." + startup);
        readOnly("sasl.oauthbearer.sub.claim.name", ConfigType.STRING, "sub", null,
                "The claim naming the principal." + startup);
        readOnly("sasl.oauthbearer.scope.claim.name", ConfigType.STRING, "scope", null,
                "The claim holding the scopes." + startup);
        readOnly("sasl.oauthbearer.clock.skew.seconds", ConfigType.INT, "30", new AtLeast(0),
                "Clock difference tolerated when checking token times." + startup);
        readOnly("sasl.oauthbearer.jwks.endpoint.refresh.ms", ConfigType.LONG, "3600000", new AtLeast(0),
                "How often the signing keys are fetched again." + startup);
    }

    /** Limits of the client connections (docs/adr/0015-bounded-connections.md): read-only, read at start. */
    private static void connectionConfigs() {
        String startup = " Read at start.";
        readOnly(QUEUED_MAX_REQUEST_BYTES, ConfigType.LONG, "-1", null,
                "Bytes that requests read but not yet answered may hold, over all connections; readers wait when "
                        + "they are spent. -1 for no bound; when not set, a quarter of the heap, at most 1 GiB."
                        + startup);
        readOnly(MAX_CONNECTIONS, ConfigType.INT, String.valueOf(Integer.MAX_VALUE), new AtLeast(0),
                "The most connections the broker keeps open; at the limit it stops accepting until one closes. "
                        + "listener.name.<listener>.max.connections limits one listener." + startup);
        readOnly(MAX_CONNECTIONS_PER_IP, ConfigType.INT, String.valueOf(Integer.MAX_VALUE), new AtLeast(0),
                "The most connections from one address; more are closed at once." + startup);
        readOnly(MAX_CONNECTIONS_PER_IP_OVERRIDES, ConfigType.STRING, "", null,
                "Other per-address limits, e.g. \"hostName:100,127.0.0.1:200\"." + startup);
        readOnly(CONNECTIONS_MAX_IDLE_MS, ConfigType.LONG, "600000", null,
                "Connections with no request for this long are closed; negative for never." + startup);
    }

    /** Bounds on what one request may make the broker do (docs/adr/0016-request-limits.md): read at start. */
    private static void requestConfigs() {
        String startup = " Read at start.";
        readOnly(FETCH_MAX_BYTES, ConfigType.INT, "57671680", new AtLeast(1024),
                "The most record bytes one fetch answers, whatever the client asks for; a first record batch larger "
                        + "than it is still returned, so consumers make progress." + startup);
        readOnly(FETCH_MAX_WAIT_MS, ConfigType.LONG, "30000", new AtLeast(0),
                "The longest a fetch is held waiting for data, whatever its max_wait_ms (Kafka has no such bound)."
                        + OPTION);
        readOnly(PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES, ConfigType.LONG, "268435456", new AtLeast(1),
                "The memory the decoded records of one produce request may take: their uncompressed bytes plus 64 "
                        + "bytes a record; batches beyond it answer MESSAGE_TOO_LARGE (Kafka has no such bound)."
                        + OPTION);
    }

    private static void readOnly(String name, ConfigType type, String defaultValue, ConfigValidator validator, String doc) {
        DEFS.put(name, new ConfigDef(name, type, defaultValue, validator, doc, List.of(), true));
    }

    public static Optional<ConfigDef> find(String name) {
        return Optional.ofNullable(DEFS.get(name));
    }

    /** Every broker config pgkafka shows, in name order. */
    public static Collection<ConfigDef> all() {
        return DEFS.values();
    }
}
