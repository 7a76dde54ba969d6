package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase.CreatePartitionsResult;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * CreatePartitions: raise topics' partition counts (validate only, replica assignments checked). Each
 * topic needs ALTER: refused ones answer TOPIC_AUTHORIZATION_FAILED without a message, whether or not
 * they exist, as Kafka's controller does.
 */
public final class CreatePartitionsHandler implements ApiHandler {
    private final TopicAdminUseCase topics;
    private final AuthHelper auth;

    public CreatePartitionsHandler(TopicAdminUseCase topics, AuthHelper auth) {
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) message;
        Set<String> seen = new LinkedHashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
        Set<String> unique = new LinkedHashSet<>(seen);
        unique.removeAll(duplicated);
        Set<String> alterable = auth.filterByAuthorized(context, AclOperation.ALTER, ResourceType.TOPIC, unique);
        CreatePartitionsResponseData response = new CreatePartitionsResponseData().setThrottleTimeMs(0);
        Set<String> answered = new HashSet<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : request.topics()) {
            if (!answered.add(t.name())) {
                continue;
            }
            CreatePartitionsResponseData.CreatePartitionsTopicResult result =
                    new CreatePartitionsResponseData.CreatePartitionsTopicResult().setName(t.name());
            if (duplicated.contains(t.name())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Duplicate topic in the request");
            } else if (!alterable.contains(t.name())) {
                result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()).setErrorMessage(null);
            } else {
                List<List<Integer>> assignments = null;
                if (t.assignments() != null) {
                    assignments = new ArrayList<>();
                    for (CreatePartitionsRequestData.CreatePartitionsAssignment a : t.assignments()) {
                        assignments.add(List.copyOf(a.brokerIds()));
                    }
                }
                CreatePartitionsResult outcome = topics.createPartitions(t.name(), t.count(), assignments,
                        request.validateOnly());
                result.setErrorCode(ErrorCodes.code(outcome.error())).setErrorMessage(outcome.errorMessage());
            }
            response.results().add(result);
        }
        return Response.of(response);
    }
}
