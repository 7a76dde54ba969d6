package dev.pgkafka.bootstrap;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.pgkafka.adapter.http.HttpAdminServer;
import dev.pgkafka.adapter.kafka.AdminUseCases;
import dev.pgkafka.adapter.kafka.KafkaUseCases;
import dev.pgkafka.adapter.kafka.KafkaWireAdapter;
import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.regex.Re2jRegexEngine;
import dev.pgkafka.adapter.kafka.listener.RequestLimits;
import dev.pgkafka.adapter.postgres.EmbeddedDatabase;
import dev.pgkafka.adapter.postgres.PostgresStorage;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.service.BrokerConfigService;
import dev.pgkafka.application.service.BrokerSettings;
import dev.pgkafka.application.service.ClusterService;
import dev.pgkafka.application.service.ConfigService;
import dev.pgkafka.application.service.DeleteRecordsService;
import dev.pgkafka.application.service.FetchService;
import dev.pgkafka.application.service.HealthService;
import dev.pgkafka.application.service.ListOffsetsService;
import dev.pgkafka.application.service.LogCleaner;
import dev.pgkafka.application.service.PartitionActivity;
import dev.pgkafka.application.service.ProduceService;
import dev.pgkafka.application.service.ProducerIdService;
import dev.pgkafka.application.service.TopicAdminService;
import dev.pgkafka.application.service.TopicService;
import dev.pgkafka.application.service.group.ConsumerGroupCoordinator;
import dev.pgkafka.application.service.group.GroupCoordinator;
import dev.pgkafka.application.service.group.GroupSettings;
import dev.pgkafka.application.service.quota.QuotaSettings;
import dev.pgkafka.application.service.txn.TransactionCoordinator;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.tls.ReloadingSslContext;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.config.BrokerConfigs;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.security.SslPrincipalMapper;

/**
 * The composition root: starts the database (embedded when no URL is given), the storage adapter,
 * the services, the Kafka listener and the HTTP admin API, and stops them in reverse order.
 */
public final class Broker implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Broker.class.getName());
    /** How long requests in progress get to answer at shutdown. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final EmbeddedDatabase embedded;
    private final PostgresStorage storage;
    private final FetchService fetch;
    private final GroupCoordinator groups;
    private final ConsumerGroupCoordinator consumerGroups;
    private final KafkaWireAdapter kafka;
    private final HttpAdminServer http;
    private final LogCleaner cleaner;
    private final TopicAdminService topicAdmin;
    private final TransactionCoordinator transactions;
    private final KafkaListeners listeners;
    private final BrokerSecurity security;
    private final BrokerQuotas quotas;
    private final java.util.Optional<ReloadingSslContext> httpTls;
    private final HealthService health;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    private Broker(EmbeddedDatabase embedded, PostgresStorage storage, FetchService fetch, GroupCoordinator groups,
                   ConsumerGroupCoordinator consumerGroups, KafkaWireAdapter kafka, HttpAdminServer http,
                   LogCleaner cleaner, TopicAdminService topicAdmin, TransactionCoordinator transactions,
                   KafkaListeners listeners, BrokerSecurity security, BrokerQuotas quotas,
                   java.util.Optional<ReloadingSslContext> httpTls, HealthService health) {
        this.embedded = embedded;
        this.storage = storage;
        this.fetch = fetch;
        this.groups = groups;
        this.consumerGroups = consumerGroups;
        this.kafka = kafka;
        this.http = http;
        this.cleaner = cleaner;
        this.topicAdmin = topicAdmin;
        this.transactions = transactions;
        this.listeners = listeners;
        this.security = security;
        this.quotas = quotas;
        this.httpTls = httpTls;
        this.health = health;
    }

    public static Broker start(BrokerOptions options) throws IOException {
        return start(options, Clock.systemUTC());
    }

    /** With a given clock: tests move time to make retention and compaction happen. */
    public static Broker start(BrokerOptions options, Clock clock) throws IOException {
        EmbeddedDatabase embedded = null;
        PostgresStorage storage = null;
        GroupCoordinator groups = null;
        ConsumerGroupCoordinator consumerGroups = null;
        KafkaWireAdapter kafka = null;
        KafkaListeners listeners = null;
        BrokerSecurity security = null;
        BrokerQuotas quotas = null;
        java.util.Optional<ReloadingSslContext> httpTls = java.util.Optional.empty();
        LogCleaner cleaner = null;
        TransactionCoordinator transactions = null;
        try {
            // TLS material and logins first: a bad keystore or JAAS config must stop the start before the
            // database is touched
            listeners = KafkaListeners.create(options, Broker::principalMapper);
            BrokerSecurity.Settings securitySettings = BrokerSecurity.settings(options);
            QuotaSettings quotaSettings = BrokerQuotas.settings(options);
            String url;
            if (options.databaseUrl().isPresent()) {
                url = options.databaseUrl().get();
            } else {
                embedded = EmbeddedDatabase.start(options.dataDir());
                url = embedded.jdbcUrl();
            }
            storage = PostgresStorage.open(url, DatabaseOptions.settings(options));

            BrokerSettings settings = new BrokerSettings(options.nodeId(), options.autoCreateTopics(),
                    options.defaultPartitions());
            PartitionActivity activity = new PartitionActivity();
            BrokerConfigService brokerConfigs = new BrokerConfigService(storage.brokerConfigs(), options.nodeId(),
                    staticConfigs(options));
            TopicService topics = new TopicService(storage.topics(), storage.log(), settings, brokerConfigs);
            cleaner = new LogCleaner(topics, storage.log(), storage.cleaner(), clock, LogCleaner.Settings.DEFAULTS);
            TopicAdminService topicAdmin = new TopicAdminService(topics, storage.topics(), settings, cleaner::wakeUp);
            ClusterService cluster = new ClusterService(storage.cluster(), settings);
            FetchService fetch = new FetchService(storage.log(), activity, clock, options.fetchLimits());
            groups = GroupCoordinator.start(storage.groups(), storage.offsets(), storage.log(), topics,
                    groupSettings(options), clock);
            // consumer groups (KIP-848) share the group id space and front the classic coordinator
            consumerGroups = ConsumerGroupCoordinator.start(groups, storage.consumerGroups(), storage.offsets(), topics,
                    new ConsumerGroupConfig(options.groupConsumerSessionTimeoutMs(),
                            options.groupConsumerHeartbeatIntervalMs(), options.groupConsumerMaxSize()),
                    PartitionAssignors.builtIn(), Re2jRegexEngine.INSTANCE, clock, true);
            // committed offsets go with their topic (PostgreSQL's cascade does it too; other storages may not)
            OffsetStorePort offsets = storage.offsets();
            topicAdmin.onTopicDeleted(topic -> offsets.deleteTopic(topic.id()));
            transactions = new TransactionCoordinator(storage.transactions(), storage.log(), storage.producerIds(),
                    new ProducerIdService(storage.producerIds()), consumerGroups, activity, clock,
                    transactionSettings(options));
            transactions.recover();
            security = BrokerSecurity.start(securitySettings, storage, clock);
            quotas = BrokerQuotas.start(quotaSettings, storage, clock);
            KafkaUseCases useCases = new KafkaUseCases(
                    cluster,
                    topics,
                    new ProduceService(topics, storage.log(), activity, clock, transactions),
                    fetch,
                    new ListOffsetsService(storage.log()),
                    transactions,
                    consumerGroups,
                    consumerGroups,
                    consumerGroups,
                    consumerGroups,
                    new AdminUseCases(new ConfigService(topics), topicAdmin,
                            new DeleteRecordsService(topics, storage.log(), storage.cleaner(), cleaner::wakeUp)),
                    transactions,
                    security.useCases(),
                    quotas.useCases());

            kafka = KafkaWireAdapter.start(listeners.configs(), options.connectionLimits(), options.requestLimits(),
                    useCases);
            httpTls = HttpAdmin.tls(options);
            HealthService health = new HealthService(storage.health(), clock);
            // the HTTP admin API works on the background pool: a busy dashboard cannot take producers' connections
            PostgresStorage background = storage;
            HttpAdminServer http = HttpAdminServer.start(HttpAdmin.settings(options, httpTls, security),
                    BackgroundWork.of(HealthUseCase.class, health, background),
                    BackgroundWork.of(TopicsUseCase.class, topics, background),
                    BackgroundWork.of(ClusterUseCase.class, cluster, background),
                    BackgroundWork.of(GroupsUseCase.class, consumerGroups, background),
                    BackgroundWork.of(TransactionsUseCase.class, transactions, background));
            cleaner.start(Duration.ofMillis(options.logRetentionCheckIntervalMs()));
            transactions.start();
            LOG.log(Level.INFO, "pgkafka started: Kafka listeners {0}; HTTP admin on {1}:{2}; cluster {3}, storage {4}",
                    String.join("; ", kafka.describeListeners()), options.httpHost(), String.valueOf(http.port()),
                    cluster.clusterId(), storage.health().describe());
            return new Broker(embedded, storage, fetch, groups, consumerGroups, kafka, http, cleaner, topicAdmin,
                    transactions, listeners, security, quotas, httpTls, health);
        } catch (IOException | RuntimeException e) {
            if (cleaner != null) {
                cleaner.close();
            }
            if (transactions != null) {
                transactions.close();
            }
            if (kafka != null) {
                kafka.shutdown(Duration.ZERO);
            }
            if (listeners != null) {
                listeners.close();
            }
            if (security != null) {
                security.close();
            }
            if (quotas != null) {
                quotas.close();
            }
            httpTls.ifPresent(ReloadingSslContext::close);
            if (consumerGroups != null) {
                consumerGroups.close();
            }
            if (groups != null) {
                groups.close();
            }
            if (storage != null) {
                storage.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** The certificate-DN-to-principal-name mapping of {@code ssl.principal.mapping.rules}. */
    static java.util.function.Function<String, String> principalMapper(String rules) {
        try {
            return SslPrincipalMapper.fromRules(rules)::principalName;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for configuration ssl.principal.mapping.rules: " + e.getMessage());
        }
    }

    private static GroupSettings groupSettings(BrokerOptions options) {
        return GroupSettings.defaults()
                .withInitialRebalanceDelayMs(options.groupInitialRebalanceDelayMs())
                .withSessionTimeoutBounds(options.groupMinSessionTimeoutMs(), options.groupMaxSessionTimeoutMs())
                .withOffsetsRetentionMs(Duration.ofMinutes(options.offsetsRetentionMinutes()).toMillis())
                .withMaxSize(options.groupMaxSize())
                .withMaxGroups(options.groupsMax());
    }

    private static TransactionCoordinator.Settings transactionSettings(BrokerOptions options) {
        return new TransactionCoordinator.Settings(options.transactionMaxTimeoutMs(), options.transactionalIdExpirationMs(),
                options.transactionAbortCheckIntervalMs(), options.transactionVersion(), options.transactionalIdsMax());
    }

    /** The transaction coordinator: tests run its timeout pass with {@link TransactionCoordinator#runOnce()}. */
    public TransactionCoordinator transactions() {
        return transactions;
    }

    /**
     * The broker's configs under Kafka's names that its options and its server.properties set
     * (read-only, as in Kafka: they change with a restart): every property Kafka defines as a broker
     * config, then the typed options on top. Passwords among them are never shown (PASSWORD type).
     */
    static Map<String, String> staticConfigs(BrokerOptions options) {
        Map<String, String> all = new java.util.TreeMap<>();
        options.properties().asMap().forEach((k, v) -> {
            if (BrokerConfigs.find(k).isPresent()) {
                all.put(k, v);
            }
        });
        all.putAll(typedConfigs(options));
        return all;
    }

    private static Map<String, String> typedConfigs(BrokerOptions options) {
        Map<String, String> typed = new java.util.HashMap<>(coreConfigs(options));
        typed.putAll(connectionConfigs(options.connectionLimits()));
        typed.putAll(requestConfigs(options.requestLimits(), options.fetchLimits()));
        return typed;
    }

    /** The bounds on requests' work in force (ADR 16). */
    private static Map<String, String> requestConfigs(RequestLimits limits, FetchService.Limits fetch) {
        return Map.of(
                BrokerConfigs.FETCH_MAX_BYTES, String.valueOf(fetch.maxBytes()),
                BrokerConfigs.FETCH_MAX_WAIT_MS, String.valueOf(fetch.maxWaitMs()),
                BrokerConfigs.PRODUCE_MAX_UNCOMPRESSED_REQUEST_BYTES,
                String.valueOf(limits.produceMaxUncompressedRequestBytes()));
    }

    /** The connection limits in force, under Kafka's names (the request budget as computed when not set). */
    private static Map<String, String> connectionConfigs(ConnectionLimits limits) {
        StringBuilder overrides = new StringBuilder();
        limits.maxConnectionsPerIpOverrides().forEach((address, max) -> overrides
                .append(overrides.isEmpty() ? "" : ",").append(address.getHostAddress()).append(':').append(max));
        return Map.of(
                BrokerConfigs.QUEUED_MAX_REQUEST_BYTES, String.valueOf(limits.queuedMaxRequestBytes()),
                BrokerConfigs.MAX_CONNECTIONS, String.valueOf(limits.maxConnections()),
                BrokerConfigs.MAX_CONNECTIONS_PER_IP, String.valueOf(limits.maxConnectionsPerIp()),
                BrokerConfigs.MAX_CONNECTIONS_PER_IP_OVERRIDES, overrides.toString(),
                BrokerConfigs.CONNECTIONS_MAX_IDLE_MS, String.valueOf(limits.idleMs()));
    }

    private static Map<String, String> coreConfigs(BrokerOptions options) {
        return Map.ofEntries(
                Map.entry(BrokerConfigs.NODE_ID, String.valueOf(options.nodeId())),
                Map.entry(BrokerConfigs.BROKER_ID, String.valueOf(options.nodeId())),
                Map.entry(BrokerConfigs.AUTO_CREATE_TOPICS_ENABLE, String.valueOf(options.autoCreateTopics())),
                Map.entry(BrokerConfigs.NUM_PARTITIONS, String.valueOf(options.defaultPartitions())),
                Map.entry(BrokerConfigs.SOCKET_REQUEST_MAX_BYTES, String.valueOf(options.maxRequestBytes())),
                Map.entry(BrokerConfigs.LOG_RETENTION_CHECK_INTERVAL_MS, String.valueOf(options.logRetentionCheckIntervalMs())),
                Map.entry(BrokerConfigs.GROUP_INITIAL_REBALANCE_DELAY_MS, String.valueOf(options.groupInitialRebalanceDelayMs())),
                Map.entry(BrokerConfigs.GROUP_MIN_SESSION_TIMEOUT_MS, String.valueOf(options.groupMinSessionTimeoutMs())),
                Map.entry(BrokerConfigs.GROUP_MAX_SESSION_TIMEOUT_MS, String.valueOf(options.groupMaxSessionTimeoutMs())),
                Map.entry(BrokerConfigs.OFFSETS_RETENTION_MINUTES, String.valueOf(options.offsetsRetentionMinutes())),
                Map.entry(BrokerConfigs.GROUP_CONSUMER_SESSION_TIMEOUT_MS,
                        String.valueOf(options.groupConsumerSessionTimeoutMs())),
                Map.entry(BrokerConfigs.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS,
                        String.valueOf(options.groupConsumerHeartbeatIntervalMs())),
                Map.entry(BrokerConfigs.GROUP_MAX_SIZE, String.valueOf(options.groupMaxSize())),
                Map.entry(BrokerConfigs.GROUP_CONSUMER_MAX_SIZE, String.valueOf(options.groupConsumerMaxSize())),
                Map.entry(BrokerConfigs.TRANSACTION_MAX_TIMEOUT_MS, String.valueOf(options.transactionMaxTimeoutMs())),
                Map.entry(BrokerConfigs.TRANSACTIONAL_ID_EXPIRATION_MS, String.valueOf(options.transactionalIdExpirationMs())),
                Map.entry(BrokerConfigs.TRANSACTION_ABORT_CHECK_INTERVAL_MS,
                        String.valueOf(options.transactionAbortCheckIntervalMs())));
    }

    /** The log cleaner (retention and compaction): tests run passes with {@link LogCleaner#runOnce()}. */
    public LogCleaner logCleaner() {
        return cleaner;
    }

    /** Topic deletion: features that keep state per topic register a {@code TopicDeletionListener} here. */
    public TopicAdminService topicAdmin() {
        return topicAdmin;
    }

    public InetSocketAddress kafkaAddress() {
        return kafka.address();
    }

    /**
     * Checks the TLS files of every listener now instead of at the next check interval (tests).
     *
     * @return how many listeners took new certificates
     */
    public int reloadCertificates() {
        return listeners.reloadNow();
    }

    /** The port of the first listener. */
    public int kafkaPort() {
        return kafka.address().getPort();
    }

    /** The bound port of a listener by name (PLAINTEXT, SASL_SSL, ...). */
    public int kafkaPort(String listenerName) {
        return kafka.address(listenerName).orElseThrow(() -> new IllegalArgumentException("no listener " + listenerName))
                .getPort();
    }

    public int httpPort() {
        return http.port();
    }

    /** Open Kafka client connections, over all listeners. */
    public int kafkaConnectionCount() {
        return kafka.connectionCount();
    }

    /** Bytes held by requests read and not yet answered (queued.max.request.bytes is their budget). */
    public long requestBytesInUse() {
        return kafka.requestBytesInUse();
    }

    /** "host:port" for a client's bootstrap.servers. */
    public String bootstrapServers() {
        return "localhost:" + kafkaPort();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops cleanly: readiness goes DOWN first (load balancers and orchestrators stop sending work; the
     * HTTP admin API keeps answering until the end), then held fetches answer now, requests in progress
     * are answered, connections close, then the HTTP server, the connection pools and the embedded
     * database stop.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        health.shuttingDown();
        LOG.log(Level.INFO, "pgkafka shutting down: readiness is DOWN, answering the requests in progress");
        fetch.releaseWaiting();
        // parked JoinGroup/SyncGroup calls answer NOT_COORDINATOR now, so connections need not wait for them
        groups.releaseParkedCalls();
        kafka.shutdown(SHUTDOWN_GRACE);
        listeners.close();
        security.close();
        quotas.close();
        cleaner.close();
        transactions.close();
        consumerGroups.close();
        groups.close();
        http.close();
        httpTls.ifPresent(ReloadingSslContext::close);
        storage.close();
        if (embedded != null) {
            embedded.close();
        }
        LOG.log(Level.INFO, "pgkafka stopped");
        stopped.countDown();
    }
}
