package dev.pgkafka.adapter.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.pgkafka.adapter.kafka.api.commit.OffsetCommitHandler;
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
import dev.pgkafka.adapter.kafka.api.records.DeleteRecordsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreatePartitionsHandler;
import dev.pgkafka.adapter.kafka.api.topics.CreateTopicsHandler;
import dev.pgkafka.adapter.kafka.api.topics.DeleteTopicsHandler;
import dev.pgkafka.adapter.kafka.api.topics.DescribeTopicPartitionsHandler;
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
import dev.pgkafka.adapter.kafka.server.KafkaListener;
import dev.pgkafka.application.port.in.TransactionsUseCase;

/** The Kafka listener with every API handler wired to its use case. */
public final class KafkaWireAdapter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWireAdapter.class);

    private final KafkaListener listener;
    private final BrokerEndpoint endpoint;

    private KafkaWireAdapter(KafkaListener listener, BrokerEndpoint endpoint) {
        this.listener = listener;
        this.endpoint = endpoint;
    }

    public static KafkaWireAdapter start(KafkaListenerConfig config, KafkaUseCases useCases) throws IOException {
        KafkaListener listener = KafkaListener.bind(config.bindHost(), config.port(), config.maxRequestBytes());
        int port = config.advertisedPort() > 0 ? config.advertisedPort() : listener.address().getPort();
        BrokerEndpoint endpoint = new BrokerEndpoint(useCases.cluster().nodeId(), config.advertisedHost(), port);

        listener.start(new RequestDispatcher(handlers(useCases, endpoint)));
        LOG.info("Kafka listener on {} (advertised as {}:{}, node {}, max request {} bytes)",
                listener.address(), endpoint.host(), endpoint.port(), endpoint.nodeId(), config.maxRequestBytes());
        return new KafkaWireAdapter(listener, endpoint);
    }

    /** Every API handler, each asking the configured authorizer what Kafka's KafkaApis asks. */
    static List<ApiHandler> handlers(KafkaUseCases useCases, BrokerEndpoint endpoint) {
        AuthHelper auth = new AuthHelper(useCases.security().authorization());
        List<ApiHandler> handlers = new ArrayList<>(List.of(
                new MetadataHandler(useCases.topics(), useCases.cluster(), endpoint, auth),
                new CreateTopicsHandler(useCases.topics(), useCases.admin().configs(), endpoint.nodeId(), auth),
                new ProduceHandler(useCases.produce(), useCases.topics(), auth),
                new FetchHandler(useCases.fetch(), useCases.topics(), auth),
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
                new DeleteTopicsHandler(admin.topicAdmin(), useCases.topics(), auth),
                new CreatePartitionsHandler(admin.topicAdmin(), auth),
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

    public InetSocketAddress address() {
        return listener.address();
    }

    /** The host and port clients are told to connect to. */
    public String advertisedAddress() {
        return endpoint.host() + ":" + endpoint.port();
    }

    public int connectionCount() {
        return listener.connectionCount();
    }

    /** Stops accepting, answers requests in progress (up to {@code grace}), closes every connection. */
    public void shutdown(Duration grace) {
        listener.shutdown(grace);
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }
}
