package dev.pgkafka.adapter.kafka.api.topics;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicOutcome;

/** CreateTopics: names, partition counts and configs; each topic succeeds or fails on its own. */
public final class CreateTopicsHandler implements ApiHandler {
    private final TopicsUseCase topics;

    public CreateTopicsHandler(TopicsUseCase topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        CreateTopicsRequestData request = (CreateTopicsRequestData) message;
        CreateTopicsResponseData response = new CreateTopicsResponseData().setThrottleTimeMs(0);

        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        Set<String> answered = new HashSet<>();
        for (CreateTopicsRequestData.CreatableTopic t : request.topics()) {
            if (!answered.add(t.name())) {
                continue;
            }
            if (duplicated.contains(t.name())) {
                response.topics().add(failed(t.name(), Errors.INVALID_REQUEST,
                        "Create topics request from client `" + context.clientId()
                                + "` contains multiple entries for the following topics: " + t.name()));
                continue;
            }
            response.topics().add(create(t, request.validateOnly()));
        }
        return Response.of(response);
    }

    private CreateTopicsResponseData.CreatableTopicResult create(CreateTopicsRequestData.CreatableTopic t,
                                                                 boolean validateOnly) {
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
            partitions = t.assignments().size();
        }
        Map<String, String> configs = new LinkedHashMap<>();
        Map<String, Integer> configCount = new HashMap<>();
        for (CreateTopicsRequestData.CreatableTopicConfig c : t.configs()) {
            configs.put(c.name(), c.value());
            configCount.merge(c.name(), 1, Integer::sum);
        }
        for (Map.Entry<String, Integer> e : configCount.entrySet()) {
            if (e.getValue() > 1) {
                return failed(t.name(), Errors.INVALID_CONFIG, "Duplicate config " + e.getKey());
            }
        }
        CreateTopicOutcome outcome = topics.create(new CreateTopicCommand(t.name(), partitions, configs, validateOnly));
        if (!outcome.isSuccess()) {
            return failed(t.name(), ErrorCodes.toKafka(outcome.error()), outcome.errorMessage());
        }
        CreateTopicsResponseData.CreatableTopicResult result = new CreateTopicsResponseData.CreatableTopicResult()
                .setName(t.name())
                .setTopicId(validateOnly ? Uuid.ZERO_UUID : Uuids.toKafka(outcome.topic().id()))
                .setErrorCode(Errors.NONE.code())
                .setNumPartitions(outcome.topic().partitionCount())
                .setReplicationFactor((short) 1);
        for (Map.Entry<String, String> e : outcome.topic().configs().entrySet()) {
            result.configs().add(new CreateTopicsResponseData.CreatableTopicConfigs()
                    .setName(e.getKey())
                    .setValue(e.getValue())
                    .setReadOnly(false)
                    .setConfigSource((byte) 1) // DYNAMIC_TOPIC_CONFIG
                    .setIsSensitive(false));
        }
        return result;
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
