package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.HashSet;
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
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase.CreatePartitionsResult;

/** CreatePartitions: raise topics' partition counts (validate only, replica assignments checked). */
public final class CreatePartitionsHandler implements ApiHandler {
    private final TopicAdminUseCase topics;

    public CreatePartitionsHandler(TopicAdminUseCase topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_PARTITIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        CreatePartitionsRequestData request = (CreatePartitionsRequestData) message;
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic t : request.topics()) {
            if (!seen.add(t.name())) {
                duplicated.add(t.name());
            }
        }
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
