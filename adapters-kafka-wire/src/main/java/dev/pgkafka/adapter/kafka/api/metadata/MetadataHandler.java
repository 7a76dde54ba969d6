package dev.pgkafka.adapter.kafka.api.metadata;

import java.util.Optional;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * Metadata: this broker as the only node and leader of every partition, topics by name or id,
 * auto-creation when the broker and the client allow it.
 */
public final class MetadataHandler implements ApiHandler {
    private final TopicsUseCase topics;
    private final ClusterUseCase cluster;
    private final BrokerEndpoint endpoint;

    public MetadataHandler(TopicsUseCase topics, ClusterUseCase cluster, BrokerEndpoint endpoint) {
        this.topics = topics;
        this.cluster = cluster;
        this.endpoint = endpoint;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        MetadataRequestData request = (MetadataRequestData) message;
        // the endpoint of the listener the client came in on
        BrokerEndpoint endpoint = context.advertised(this.endpoint);
        short version = context.apiVersion();
        // before v4 there was no flag and brokers auto-created when configured to
        boolean allowAutoCreate = version < 4 || request.allowAutoTopicCreation();
        boolean includeTopicOps = version >= 8 && request.includeTopicAuthorizedOperations();

        MetadataResponseData response = new MetadataResponseData()
                .setThrottleTimeMs(0)
                .setClusterId(cluster.clusterId())
                .setControllerId(endpoint.nodeId())
                .setClusterAuthorizedOperations(version >= 8 && version <= 10 && request.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.CLUSTER : AuthorizedOperations.NOT_REQUESTED);
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null));

        // null (v1+) means every topic; v0 used an empty list for that
        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            for (Topic t : topics.list()) {
                response.topics().add(describe(t, includeTopicOps));
            }
            return Response.of(response);
        }
        for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
            response.topics().add(lookup(requested, allowAutoCreate, includeTopicOps));
        }
        return Response.of(response);
    }

    private MetadataResponseData.MetadataResponseTopic lookup(MetadataRequestData.MetadataRequestTopic requested,
                                                              boolean allowAutoCreate, boolean includeTopicOps) {
        String name = requested.name();
        Uuid id = requested.topicId();
        // clients asking by id leave the name empty (not null): a non-zero id decides
        if (id != null && !Uuid.ZERO_UUID.equals(id)) {
            return topics.find(Uuids.fromKafka(id))
                    .map(t -> describe(t, includeTopicOps))
                    .orElseGet(() -> error(null, id, Errors.UNKNOWN_TOPIC_ID));
        }
        if (name == null) {
            return error(null, Uuid.ZERO_UUID, Errors.INVALID_REQUEST);
        }
        if (!TopicNames.isValid(name)) {
            return error(name, Uuid.ZERO_UUID, Errors.INVALID_TOPIC_EXCEPTION);
        }
        Optional<Topic> topic = topics.findOrAutoCreate(name, allowAutoCreate);
        return topic.map(t -> describe(t, includeTopicOps))
                .orElseGet(() -> error(name, Uuid.ZERO_UUID, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    private MetadataResponseData.MetadataResponseTopic describe(Topic topic, boolean includeTopicOps) {
        MetadataResponseData.MetadataResponseTopic t = new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(Uuids.toKafka(topic.id()))
                .setIsInternal(topic.isInternal())
                .setTopicAuthorizedOperations(includeTopicOps ? AuthorizedOperations.TOPIC
                        : AuthorizedOperations.NOT_REQUESTED);
        for (int p = 0; p < topic.partitionCount(); p++) {
            MetadataResponseData.MetadataResponsePartition partition = new MetadataResponseData.MetadataResponsePartition()
                    .setErrorCode(Errors.NONE.code())
                    .setPartitionIndex(p)
                    .setLeaderId(endpoint.nodeId())
                    .setLeaderEpoch(0);
            partition.replicaNodes().add(endpoint.nodeId());
            partition.isrNodes().add(endpoint.nodeId());
            t.partitions().add(partition);
        }
        return t;
    }

    private static MetadataResponseData.MetadataResponseTopic error(String name, Uuid id, Errors error) {
        return new MetadataResponseData.MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(id)
                .setIsInternal(false)
                .setTopicAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
    }
}
