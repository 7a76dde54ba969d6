package dev.pgkafka.adapter.kafka.api.metadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * Metadata: this broker as the only node and leader of every partition, topics by name or id,
 * auto-creation when the broker and the client allow it. As Kafka: named topics the client may not
 * DESCRIBE answer TOPIC_AUTHORIZATION_FAILED (without disclosing whether they exist), a listing of
 * all topics leaves them out, and a missing topic is auto-created only with CREATE on the cluster or
 * on the topic. Topics come back in Kafka's order: unknown ids, described topics, topics refused
 * creation, topics refused description.
 */
public final class MetadataHandler implements ApiHandler {
    private final TopicsUseCase topics;
    private final ClusterUseCase cluster;
    private final BrokerEndpoint endpoint;
    private final AuthHelper auth;

    public MetadataHandler(TopicsUseCase topics, ClusterUseCase cluster, BrokerEndpoint endpoint, AuthHelper auth) {
        this.topics = topics;
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    /** The answer's topics in Kafka's order. */
    private static final class Answer {
        final List<MetadataResponseTopic> unknownIds = new ArrayList<>();
        final List<MetadataResponseTopic> described = new ArrayList<>();
        final List<MetadataResponseTopic> notCreatable = new ArrayList<>();
        final List<MetadataResponseTopic> notDescribable = new ArrayList<>();
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
                .setClusterAuthorizedOperations(clusterOperations(context, request));
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null));

        Answer answer = new Answer();
        // null (v1+) means every topic; v0 used an empty list for that
        boolean allTopics = request.topics() == null || (version == 0 && request.topics().isEmpty());
        if (allTopics) {
            Map<String, Topic> byName = new LinkedHashMap<>();
            topics.list().forEach(t -> byName.put(t.name(), t));
            // not asked for by name: leaving a topic out is no denial worth logging
            Set<String> visible = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                    byName.keySet(), true, false);
            for (String name : visible) {
                answer.described.add(describe(byName.get(name)));
            }
        } else {
            lookup(context, request.topics(), allowAutoCreate, answer);
        }
        if (includeTopicOps) {
            for (MetadataResponseTopic t : answer.described) {
                if (t.name() != null) {
                    t.setTopicAuthorizedOperations(auth.authorizedOperations(context, ResourceType.TOPIC, t.name()));
                }
            }
        }
        response.topics().addAll(answer.unknownIds);
        response.topics().addAll(answer.described);
        response.topics().addAll(answer.notCreatable);
        response.topics().addAll(answer.notDescribable);
        return Response.of(response);
    }

    /** KIP-430 (v8-v10): the cluster's operations when asked, 0 without DESCRIBE on the cluster. */
    private int clusterOperations(RequestContext context, MetadataRequestData request) {
        short version = context.apiVersion();
        if (version < 8 || version > 10 || !request.includeClusterAuthorizedOperations()) {
            return AuthHelper.NOT_REQUESTED;
        }
        return auth.authorizeCluster(context, AclOperation.DESCRIBE)
                ? auth.authorizedOperations(context, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) : 0;
    }

    private void lookup(RequestContext context, List<MetadataRequestData.MetadataRequestTopic> requested,
                        boolean allowAutoCreate, Answer answer) {
        // resolve ids first (unknown ids are no secret), then ask once for every name
        List<Object> resolved = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (MetadataRequestData.MetadataRequestTopic r : requested) {
            Uuid id = r.topicId();
            // clients asking by id leave the name empty (not null): a non-zero id decides
            if (id != null && !Uuid.ZERO_UUID.equals(id)) {
                Optional<Topic> topic = topics.find(Uuids.fromKafka(id));
                if (topic.isEmpty()) {
                    answer.unknownIds.add(error(null, id, false, Errors.UNKNOWN_TOPIC_ID));
                } else {
                    resolved.add(topic.get());
                    names.add(topic.get().name());
                }
            } else if (r.name() == null) {
                answer.described.add(error(null, Uuid.ZERO_UUID, false, Errors.INVALID_REQUEST));
            } else {
                resolved.add(r.name());
                names.add(r.name());
            }
        }
        Set<String> describable = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, names);
        Map<String, Optional<Topic>> existing = new LinkedHashMap<>();
        for (Object r : resolved) {
            if (r instanceof String name && describable.contains(name)) {
                existing.computeIfAbsent(name, topics::find);
            }
        }
        boolean autoCreate = allowAutoCreate && topics.autoCreatesTopics();
        Set<String> creatable = autoCreate ? creatable(context, existing) : Set.of();
        for (Object r : resolved) {
            if (r instanceof Topic topic) {
                if (describable.contains(topic.name())) {
                    answer.described.add(describe(topic));
                } else {
                    // topic ids are not secret: Kafka names the id it refuses
                    answer.notDescribable.add(error(null, Uuids.toKafka(topic.id()), false,
                            Errors.TOPIC_AUTHORIZATION_FAILED));
                }
            } else if (r instanceof String name) {
                if (!describable.contains(name)) {
                    // no topic id: the client may not learn whether the topic exists
                    answer.notDescribable.add(error(name, Uuid.ZERO_UUID, false, Errors.TOPIC_AUTHORIZATION_FAILED));
                } else if (existing.get(name).isPresent()) {
                    answer.described.add(describe(existing.get(name).get()));
                } else if (autoCreate && !creatable.contains(name)) {
                    answer.notCreatable.add(error(name, Uuid.ZERO_UUID,
                            org.apache.kafka.common.internals.Topic.isInternal(name), Errors.TOPIC_AUTHORIZATION_FAILED));
                } else {
                    answer.described.add(findOrCreate(name, autoCreate));
                }
            }
        }
    }

    /** The missing topics the client may have auto-created: CREATE on the cluster (asked quietly, as Kafka) or on each. */
    private Set<String> creatable(RequestContext context, Map<String, Optional<Topic>> existing) {
        List<String> missing = new ArrayList<>();
        existing.forEach((name, topic) -> {
            if (topic.isEmpty()) {
                missing.add(name);
            }
        });
        if (missing.isEmpty() || auth.authorizeCluster(context, AclOperation.CREATE, true, false)) {
            return Set.copyOf(missing);
        }
        return auth.filterByAuthorized(context, AclOperation.CREATE, ResourceType.TOPIC, missing);
    }

    private MetadataResponseTopic findOrCreate(String name, boolean autoCreate) {
        if (!TopicNames.isValid(name)) {
            return error(name, Uuid.ZERO_UUID, false, Errors.INVALID_TOPIC_EXCEPTION);
        }
        return topics.findOrAutoCreate(name, autoCreate)
                .map(this::describe)
                .orElseGet(() -> error(name, Uuid.ZERO_UUID, false, Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    private MetadataResponseTopic describe(Topic topic) {
        MetadataResponseTopic t = new MetadataResponseTopic()
                .setErrorCode(Errors.NONE.code())
                .setName(topic.name())
                .setTopicId(Uuids.toKafka(topic.id()))
                .setIsInternal(topic.isInternal())
                .setTopicAuthorizedOperations(AuthHelper.NOT_REQUESTED);
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

    private static MetadataResponseTopic error(String name, Uuid id, boolean internal, Errors error) {
        return new MetadataResponseTopic()
                .setErrorCode(error.code())
                .setName(name)
                .setTopicId(id)
                .setIsInternal(internal)
                .setTopicAuthorizedOperations(AuthHelper.NOT_REQUESTED);
    }
}
