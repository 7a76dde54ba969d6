package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.api.configs.ConfigTranslation;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase.MutationQuota;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicOutcome;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * CreateTopics: names, partition counts and configs (validated as Kafka does); each topic succeeds
 * or fails on its own. Any positive replication factor is accepted and a manual replica assignment
 * may name this broker only: there is one copy of every partition, in PostgreSQL, whose own
 * durability (and replication, if any) stands in for Kafka's. Topics report a replication factor of 1.
 *
 * <p>As Kafka's controller: a topic needs CREATE on the cluster or on the topic (refused ones answer
 * TOPIC_AUTHORIZATION_FAILED "Authorization failed.", after the others); a created topic's configs,
 * partition count and replication factor are only told with DESCRIBE_CONFIGS on it, else its
 * {@code topic_config_error_code} is TOPIC_AUTHORIZATION_FAILED.
 *
 * <p>The client's {@code controller_mutation_rate} counts each created topic's partitions (validate only
 * too, as in Kafka); from v6 it is strict: once exhausted, valid topics answer THROTTLING_QUOTA_EXCEEDED
 * (KIP-599), older versions create them and throttle the client after.
 */
public final class CreateTopicsHandler implements ApiHandler {
    private final TopicsUseCase topics;
    private final ConfigsUseCase configs;
    private final int nodeId;
    private final AuthHelper auth;
    private final ThrottlingUseCase throttling;

    /** Without client quotas. */
    public CreateTopicsHandler(TopicsUseCase topics, ConfigsUseCase configs, int nodeId, AuthHelper auth) {
        this(topics, configs, nodeId, auth, ThrottlingUseCase.UNLIMITED);
    }

    public CreateTopicsHandler(TopicsUseCase topics, ConfigsUseCase configs, int nodeId, AuthHelper auth,
                               ThrottlingUseCase throttling) {
        this.topics = topics;
        this.configs = configs;
        this.nodeId = nodeId;
        this.auth = auth;
        this.throttling = throttling;
    }

    /** KIP-599: the mutation quota refuses instead of throttling from this version on. */
    private static final short STRICT_QUOTA_SINCE = 6;

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);

        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        Set<String> unique = new LinkedHashSet<>(seen);
        unique.removeAll(duplicated);
        boolean clusterCreate = auth.authorizeCluster(context, AclOperation.CREATE, true, false);
        Set<String> creatable = clusterCreate ? unique
                : auth.filterByAuthorized(context, AclOperation.CREATE, ResourceType.TOPIC, unique);
        // asked of every topic, creatable or not, as Kafka's controller asks; a refusal only hides configs
        Set<String> describable = auth.filterByAuthorized(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC,
                unique, true, false);
        List<CreateTopicsResponseData.CreatableTopicResult> refused = new ArrayList<>();
        Set<String> answered = new HashSet<>();
        MutationQuota quota = throttling.mutations(context.quotaClient(), context.apiVersion() >= STRICT_QUOTA_SINCE);
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (!answered.add(t.name())) {
                continue;
            }
            if (duplicated.contains(t.name())) {
                response.topics().add(failed(t.name(), Errors.INVALID_REQUEST,
                        "Create topics request from client `" + context.clientId()
                                + "` contains multiple entries for the following topics: " + t.name()));
            } else if (!creatable.contains(t.name())) {
                refused.add(new CreateTopicsResponseData.CreatableTopicResult()
                        .setName(t.name())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("Authorization failed."));
            } else {
                response.topics().add(create(t, request.validateOnly(), describable.contains(t.name()), quota));
            }
        }
        response.topics().addAll(refused);
        return Response.of(response).withThrottle(quota.throttleMs());
    }

    private CreateTopicsResponseData.CreatableTopicResult create(CreateTopicsRequestData.CreatableTopic t,
                                                                 boolean validateOnly, boolean showConfigs,
                                                                 MutationQuota quota) {
        if (t.replicationFactor() < -1 || t.replicationFactor() == 0) {
            return failed(t.name(), Errors.INVALID_REPLICATION_FACTOR, "Replication factor must be larger than 0, or -1 to use the default value.");
        }
        if (t.numPartitions() == 0 || t.numPartitions() < -1) {
            return failed(t.name(), Errors.INVALID_PARTITIONS, "Number of partitions must be larger than 0, or -1 to use the default value.");
        }
        int partitions = t.numPartitions();
        if (!t.assignments().isEmpty()) {
            // replica placement is PostgreSQL's business: the assignment only tells us how many partitions
            if (t.numPartitions() != -1 || t.replicationFactor() != -1) {
                return failed(t.name(), Errors.INVALID_REQUEST,
                        "Both numPartitions or replicationFactor and replicasAssignments were set. Both cannot be used at the same time.");
            }
            String problem = assignmentProblem(t.assignments());
            if (problem != null) {
                return failed(t.name(), Errors.INVALID_REPLICA_ASSIGNMENT, problem);
            }
            partitions = t.assignments().size();
        }
        Map<String, String> configs = new LinkedHashMap<>();
        Map<String, Integer> configCount = new HashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
            if (c.value() == null) {
                return failed(t.name(), Errors.INVALID_CONFIG, "Null value not supported for topic configs: " + c.name());
            }
            configs.put(c.name(), c.value());
            configCount.merge(c.name(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : configCount.entrySet()) {
            if (e.getValue() > 1) {
                return failed(t.name(), Errors.INVALID_CONFIG, "Duplicate config " + e.getKey());
            }
        }
        if (!quota.admits()) {
            // Kafka checks the topic before the quota: what is wrong with it is said first
            CreateTopicOutcome check = topics.create(new CreateTopicCommand(t.name(), partitions, configs, true));
            return check.isSuccess()
                    ? failed(t.name(), Errors.THROTTLING_QUOTA_EXCEEDED, Errors.THROTTLING_QUOTA_EXCEEDED.message())
                    : failed(t.name(), ErrorCodes.toKafka(check.error()), check.errorMessage());
        }
        CreateTopicOutcome outcome = topics.create(new CreateTopicCommand(t.name(), partitions, configs, validateOnly));
        if (!outcome.isSuccess()) {
            return failed(t.name(), ErrorCodes.toKafka(outcome.error()), outcome.errorMessage());
        }
        quota.record(outcome.topic().partitionCount());
        CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                .setName(t.name())
                .setTopicId(validateOnly ? Uuid.ZERO_UUID : Uuids.toKafka(outcome.topic().id()))
                .setErrorCode(Errors.NONE.code());
        if (!showConfigs) {
            return result.setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
        }
        result.setNumPartitions(outcome.topic().partitionCount()).setReplicationFactor((short) 1);
        for (ConfigEntry e : this.configs.topicConfigs(outcome.topic())) {
            result.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                    .setName(e.name())
                    .setValue(e.value())
                    .setReadOnly(e.readOnly())
                    .setConfigSource(ConfigTranslation.source(e.source()))
                    .setIsSensitive(e.sensitive()));
        }
        return result;
    }

    /** Why a manual assignment cannot be honoured (Kafka's words), or null: partitions 0..n-1, each on this broker. */
    private String assignmentProblem(CreateTopicsRequestData.CreatableReplicaAssignmentCollection assignments) {
        Set<Integer> indexes = new HashSet<>();
        for (CreateTopicsRequestData.CreatableReplicaAssignment a : assignments) {
            indexes.add(a.partitionIndex());
            if (a.brokerIds().isEmpty()) {
                return "The manual partition assignment includes an empty replica list.";
            }
            Set<Integer> brokers = new HashSet<>();
            for (int broker : a.brokerIds()) {
                if (!brokers.add(broker)) {
                    return "The manual partition assignment includes the broker " + broker + " more than once.";
                }
                if (broker != nodeId) {
                    return "The manual partition assignment includes broker " + broker + ", but no such broker is registered.";
                }
            }
        }
        for (int p = 0; p < assignments.size(); p++) {
            if (!indexes.contains(p)) {
                return "Partitions should be a consecutive 0-based integer sequence, but partition " + p + " is missing.";
            }
        }
        return null;
    }

    private static CreateTopicsResponseData.CreatableTopicResult failed(String name, Errors error, String message) {
        return new CreateTopicsResponseData.CreatableTopicResult()
                .setName(name)
                .setTopicId(Uuid.ZERO_UUID)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setNumPartitions(-1)
                .setReplicationFactor((short) -1)
                .setConfigs(null)
                .setTopicConfigErrorCode(Errors.NONE.code());
    }
}
