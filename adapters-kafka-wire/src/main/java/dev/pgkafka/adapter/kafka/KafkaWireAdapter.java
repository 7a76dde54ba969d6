package dev.pgkafka.adapter.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.api.acls.CreateAclsHandler;
import dev.pgkafka.adapter.kafka.api.acls.DeleteAclsHandler;
import dev.pgkafka.adapter.kafka.api.acls.DescribeAclsHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetCommitHandler;
import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.listener.RequestLimits;
import dev.pgkafka.adapter.kafka.api.commit.OffsetDeleteHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetFetchHandler;
import dev.pgkafka.adapter.kafka.api.coordinator.FindCoordinatorHandler;
import dev.pgkafka.adapter.kafka.api.cluster.DescribeClusterHandler;
import dev.pgkafka.adapter.kafka.api.configs.AlterConfigsHandler;
import dev.pgkafka.adapter.kafka.api.configs.DescribeConfigsHandler;
import dev.pgkafka.adapter.kafka.api.configs.IncrementalAlterConfigsHandler;
import dev.pgkafka.adapter.kafka.api.fetch.FetchHandler;
import dev.pgkafka.adapter.kafka.api.group.ConsumerGroupDescribeHandler;
import dev.pgkafka.adapter.kafka.api.group.ConsumerGroupHeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.DeleteGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.DescribeGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.HeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.JoinGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.LeaveGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.ListGroupsHandler;
import dev.pgkafka.adapter.kafka.api.group.SyncGroupHandler;
import dev.pgkafka.adapter.kafka.api.metadata.MetadataHandler;
import dev.pgkafka.adapter.kafka.api.offsets.ListOffsetsHandler;
import dev.pgkafka.adapter.kafka.api.produce.ProduceHandler;
import dev.pgkafka.adapter.kafka.api.producer.InitProducerIdHandler;
import dev.pgkafka.adapter.kafka.api.quotas.AlterClientQuotasHandler;
import dev.pgkafka.adapter.kafka.api.quotas.DescribeClientQuotasHandler;
import dev.pgkafka.adapter.kafka.api.records.DeleteRecordsHandler;
import dev.pgkafka.adapter.kafka.api.scram.AlterUserScramCredentialsHandler;
import dev.pgkafka.adapter.kafka.api.scram.DescribeUserScramCredentialsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreatePartitionsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreateTopicsHandler;
import dev.pgkafka.adapter.kafka.api.topics.DeleteTopicsHandler;
import dev.pgkafka.adapter.kafka.api.topics.DescribeTopicPartitionsHandler;
import dev.pgkafka.adapter.kafka.api.sasl.SaslAuthenticateHandler;
import dev.pgkafka.adapter.kafka.api.sasl.SaslHandshakeHandler;
import dev.pgkafka.adapter.kafka.api.txn.AddOffsetsToTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.AddPartitionsToTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.DescribeProducersHandler;
import dev.pgkafka.adapter.kafka.api.txn.DescribeTransactionsHandler;
import dev.pgkafka.adapter.kafka.api.txn.EndTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.ListTransactionsHandler;
import dev.pgkafka.adapter.kafka.api.txn.TxnOffsetCommitHandler;
import dev.pgkafka.adapter.kafka.api.versions.ApiVersionsHandler;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.adapter.kafka.server.BrokerConnections;
import dev.pgkafka.adapter.kafka.server.KafkaListener;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;

/** The Kafka listeners with every API handler wired to its use case. */
public final class KafkaWireAdapter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWireAdapter.class);

    private final List<KafkaListener> listeners;
    private final List<BrokerEndpoint> endpoints;
    private final BrokerConnections connections;

    private KafkaWireAdapter(List<KafkaListener> listeners, List<BrokerEndpoint> endpoints,
                             BrokerConnections connections) {
        this.listeners = listeners;
        this.endpoints = endpoints;
        this.connections = connections;
    }

    public static KafkaWireAdapter start(KafkaListenerConfig config, KafkaUseCases useCases) throws IOException {
        return start(List.of(config), ConnectionLimits.defaults(), useCases);
    }

    /**
     * Binds every listener, then starts accepting on all of them. Each listener advertises its own
     * endpoint; requests that name the broker (Metadata, FindCoordinator, ...) answer with the
     * endpoint of the listener the client came in on, as Kafka does.
     *
     * The connections of all listeners share {@code limits}: one memory budget for their requests,
     * the connection counts, and the timeouts.
     *
     * @throws IOException when a listener cannot bind (the ones bound before are closed)
     */
    public static KafkaWireAdapter start(List<KafkaListenerConfig> configs, ConnectionLimits limits,
                                         KafkaUseCases useCases) throws IOException {
        return start(configs, limits, RequestLimits.defaults(), useCases);
    }

    /** As {@link #start(List, ConnectionLimits, KafkaUseCases)}, with the given bounds on requests' work. */
    public static KafkaWireAdapter start(List<KafkaListenerConfig> configs, ConnectionLimits limits,
                                         RequestLimits requestLimits, KafkaUseCases useCases) throws IOException {
        List<KafkaListener> bound = new ArrayList<>();
        try {
            for (KafkaListenerConfig config : configs) {
                bound.add(KafkaListener.bind(config));
            }
        } catch (IOException e) {
            bound.forEach(l -> l.shutdown(Duration.ZERO));
            throw e;
        }
        List<BrokerEndpoint> endpoints = new ArrayList<>();
        for (KafkaListener listener : bound) {
            KafkaListenerConfig config = listener.config();
            int port = config.advertisedPort() > 0 ? config.advertisedPort() : listener.address().getPort();
            endpoints.add(new BrokerEndpoint(useCases.cluster().nodeId(), config.advertisedHost(), port));
        }
        // handlers that need "the" endpoint outside a request get the first listener's
        BrokerEndpoint endpoint = endpoints.getFirst();

        RequestDispatcher dispatcher = new RequestDispatcher(handlers(useCases, endpoint, requestLimits),
                useCases.quotas().throttling());
        BrokerConnections connections = BrokerConnections.start(limits);
        for (int i = 0; i < bound.size(); i++) {
            KafkaListener listener = bound.get(i);
            BrokerEndpoint advertised = endpoints.get(i);
            listener.start(dispatcher, advertised, useCases.security().authentication(), connections,
                    useCases.quotas().throttling());
            KafkaListenerConfig config = listener.config();
            LOG.info("Kafka listener {} ({}) on {} (advertised as {}:{}, node {}, max request {} bytes)", config.name(),
                    config.protocol(), listener.address(), advertised.host(), advertised.port(), advertised.nodeId(),
                    config.maxRequestBytes());
        }
        LOG.info("Kafka connections: {} for requests in progress (queued.max.request.bytes), max.connections {}, "
                + "connections.max.idle.ms {}", limits.queuedMaxRequestBytes() < 0 ? "no bound"
                : limits.queuedMaxRequestBytes() + " bytes", limits.maxConnections(), limits.idleMs());
        warnIfRequestsCanFillTheHeap(limits, configs, Runtime.getRuntime().maxMemory());
        return new KafkaWireAdapter(List.copyOf(bound), List.copyOf(endpoints), connections);
    }

    /**
     * Requests may hold the budget plus one frame overdrawing it (half as much again while its buffer
     * grows): said at start when that would take most of the heap, before a large request finds out.
     */
    static boolean warnIfRequestsCanFillTheHeap(ConnectionLimits limits, List<KafkaListenerConfig> configs,
                                                long maxHeapBytes) {
        long largestFrame = configs.stream().mapToLong(KafkaListenerConfig::maxRequestBytes).max().orElse(0);
        long worst = limits.queuedMaxRequestBytes() < 0 ? Long.MAX_VALUE
                : limits.queuedMaxRequestBytes() + largestFrame + largestFrame / 2;
        if (worst <= maxHeapBytes / 10 * 8) {
            return false;
        }
        LOG.warn("Requests may hold {} of the {}-byte heap: queued.max.request.bytes ({}) plus one request of "
                + "socket.request.max.bytes ({}) growing; lower them or give the broker more heap (-Xmx)",
                worst == Long.MAX_VALUE ? "all" : worst + " bytes", maxHeapBytes, limits.queuedMaxRequestBytes(),
                largestFrame);
        return true;
    }

    /** Every API handler, each asking the configured authorizer what Kafka's KafkaApis asks. */
    static List<ApiHandler> handlers(KafkaUseCases useCases, BrokerEndpoint endpoint) {
        return handlers(useCases, endpoint, RequestLimits.defaults());
    }

    static List<ApiHandler> handlers(KafkaUseCases useCases, BrokerEndpoint endpoint, RequestLimits requestLimits) {
        AuthHelper auth = new AuthHelper(useCases.security().authorization());
        List<ApiHandler> handlers = new ArrayList<>(List.of(
                new MetadataHandler(useCases.topics(), useCases.cluster(), endpoint, auth),
                new CreateTopicsHandler(useCases.topics(), useCases.admin().configs(), endpoint.nodeId(), auth,
                        useCases.quotas().throttling()),
                new ProduceHandler(useCases.produce(), useCases.topics(), auth,
                        requestLimits.produceMaxUncompressedRequestBytes()),
                new FetchHandler(useCases.fetch(), useCases.topics(), auth, useCases.quotas().throttling()),
                new ListOffsetsHandler(useCases.listOffsets(), useCases.topics(), auth),
                new InitProducerIdHandler(useCases.producerIds(), auth)));
        // consumer groups (classic protocol) and their offsets
        handlers.addAll(List.of(
                new FindCoordinatorHandler(endpoint, auth),
                new JoinGroupHandler(useCases.groupMembership(), auth),
                new SyncGroupHandler(useCases.groupMembership(), auth),
                new HeartbeatHandler(useCases.groupMembership(), auth),
                new LeaveGroupHandler(useCases.groupMembership(), auth),
                new DescribeGroupsHandler(useCases.groups(), auth),
                new ListGroupsHandler(useCases.groups(), auth),
                new DeleteGroupsHandler(useCases.groups(), auth),
                new OffsetCommitHandler(useCases.groupOffsets(), useCases.topics(), auth),
                new OffsetFetchHandler(useCases.groupOffsets(), useCases.topics(), auth),
                new OffsetDeleteHandler(useCases.groupOffsets(), useCases.topics(), auth),
                new ConsumerGroupHeartbeatHandler(useCases.consumerGroups(), auth),
                new ConsumerGroupDescribeHandler(useCases.consumerGroups(), useCases.topics(), auth)));
        handlers.addAll(adminHandlers(useCases, endpoint, auth));
        handlers.addAll(transactionHandlers(useCases, auth));
        handlers.addAll(scramHandlers(useCases.security()));
        handlers.addAll(aclHandlers(useCases));
        handlers.addAll(quotaHandlers(useCases.quotas(), auth));
        // SASL's requests on listeners without SASL (SASL listeners' connections answer them themselves)
        handlers.add(new SaslHandshakeHandler());
        handlers.add(new SaslAuthenticateHandler());
        Set<ApiKeys> apis = new HashSet<>();
        handlers.forEach(h -> apis.add(h.apiKey()));
        apis.add(ApiKeys.API_VERSIONS);
        handlers.add(new ApiVersionsHandler(apis, useCases.transactions().transactionVersion()));
        return handlers;
    }

    /** Topic and config administration, DeleteRecords, DescribeCluster (docs/adr/0008-retention-layout.md). */
    private static List<ApiHandler> adminHandlers(KafkaUseCases useCases, BrokerEndpoint endpoint, AuthHelper auth) {
        AdminUseCases admin = useCases.admin();
        return List.of(
                new DeleteTopicsHandler(admin.topicAdmin(), useCases.topics(), auth, useCases.quotas().throttling()),
                new CreatePartitionsHandler(admin.topicAdmin(), useCases.topics(), auth, useCases.quotas().throttling()),
                new DescribeTopicPartitionsHandler(useCases.topics(), endpoint, auth),
                new DescribeConfigsHandler(admin.configs(), auth),
                new AlterConfigsHandler(admin.configs(), auth),
                new IncrementalAlterConfigsHandler(admin.configs(), auth),
                new DeleteRecordsHandler(admin.deleteRecords(), useCases.topics(), auth),
                new DescribeClusterHandler(useCases.cluster(), endpoint, auth));
    }

    /** Transactions and exactly-once (docs/adr/0011-transactions.md). */
    private static List<ApiHandler> transactionHandlers(KafkaUseCases useCases, AuthHelper auth) {
        TransactionsUseCase txn = useCases.transactions();
        return List.of(
                new AddPartitionsToTxnHandler(txn, useCases.topics(), auth),
                new AddOffsetsToTxnHandler(txn, auth),
                new EndTxnHandler(txn, auth),
                new TxnOffsetCommitHandler(txn, useCases.topics(), auth),
                new ListTransactionsHandler(txn, auth),
                new DescribeTransactionsHandler(txn, useCases.topics(), auth),
                new DescribeProducersHandler(txn, useCases.topics(), auth));
    }

    /** SCRAM users (Admin.describeUserScramCredentials/alterUserScramCredentials), when the broker keeps them. */
    private static List<ApiHandler> scramHandlers(SecurityUseCases security) {
        ScramCredentialsUseCase scram = security.scramCredentials();
        if (scram == null) {
            return List.of();
        }
        AuthHelper auth = new AuthHelper(security.authorization());
        return List.of(
                new DescribeUserScramCredentialsHandler(scram, auth),
                new AlterUserScramCredentialsHandler(scram, auth));
    }

    /** CreateAcls, DescribeAcls, DeleteAcls: offered even without an authorizer (docs/adr/0012-acls.md). */
    private static List<ApiHandler> aclHandlers(KafkaUseCases useCases) {
        AuthHelper auth = new AuthHelper(useCases.security().authorization());
        return List.of(
                new DescribeAclsHandler(auth, useCases.security().acls()),
                new CreateAclsHandler(auth, useCases.security().acls()),
                new DeleteAclsHandler(auth, useCases.security().acls()));
    }

    /** DescribeClientQuotas and AlterClientQuotas, when the broker keeps client quotas (docs/adr/0018-client-quotas.md). */
    private static List<ApiHandler> quotaHandlers(QuotaUseCases quotas, AuthHelper auth) {
        if (quotas.admin() == null) {
            return List.of();
        }
        return List.of(
                new DescribeClientQuotasHandler(quotas.admin(), auth),
                new AlterClientQuotasHandler(quotas.admin(), auth));
    }

    /** The first listener's bound address. */
    public InetSocketAddress address() {
        return listeners.getFirst().address();
    }

    /** The bound address of the listener with this name (upper case), if there is one. */
    public Optional<InetSocketAddress> address(String listenerName) {
        return listeners.stream().filter(l -> l.config().name().equals(listenerName)).findFirst()
                .map(KafkaListener::address);
    }

    /** The host and port clients are told to connect to, of the first listener. */
    public String advertisedAddress() {
        return endpoints.getFirst().host() + ":" + endpoints.getFirst().port();
    }

    /** Each listener as "NAME (PROTOCOL) bound-address advertised host:port", for the start-up log. */
    public List<String> describeListeners() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < listeners.size(); i++) {
            KafkaListener l = listeners.get(i);
            out.add(l.config().name() + " (" + l.config().protocol() + ") on " + l.address() + " advertised as "
                    + endpoints.get(i).host() + ":" + endpoints.get(i).port());
        }
        return out;
    }

    public int connectionCount() {
        return listeners.stream().mapToInt(KafkaListener::connectionCount).sum();
    }

    /** Bytes held now by requests read and not yet answered, over all listeners (at most the budget plus one frame). */
    public long requestBytesInUse() {
        return connections.requestBytesInUse();
    }

    /** Stops accepting, answers requests in progress (up to {@code grace}), closes every connection. */
    public void shutdown(Duration grace) {
        // stop accepting everywhere first, then drain each listener within what is left of the grace
        long deadline = System.nanoTime() + grace.toNanos();
        for (KafkaListener l : listeners) {
            l.shutdown(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        connections.close();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
