package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase.DeleteTopicResult;
import dev.pgkafka.domain.error.ErrorCode;

/** DeleteTopics: by name (v1+) or by topic id (v6); each topic succeeds or fails on its own. */
public final class DeleteTopicsHandler implements ApiHandler {
    private final TopicAdminUseCase topics;

    public DeleteTopicsHandler(TopicAdminUseCase topics) {
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_TOPICS;
    }

    private record Target(String name, Uuid id) {
        boolean byId() {
            return id != null && !Uuid.ZERO_UUID.equals(id);
        }

        String key() {
            return byId() ? "id:" + id : "name:" + name;
        }
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DeleteTopicsRequestData request = (DeleteTopicsRequestData) message;
        List<Target> targets = new ArrayList<>();
        if (context.apiVersion() >= 6) {
            request.topics().forEach(t -> targets.add(new Target(t.name(), t.topicId())));
        } else {
            request.topicNames().forEach(n -> targets.add(new Target(n, Uuid.ZERO_UUID)));
        }
        Set<String> seen = new HashSet<>();
        Set<String> duplicated = new HashSet<>();
        for (Target t : targets) {
            if (!seen.add(t.key())) {
                duplicated.add(t.key());
            }
        }
        DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        Set<String> answered = new HashSet<>();
        for (Target t : targets) {
            if (!answered.add(t.key())) {
                continue;
            }
            DeleteTopicsResponseData.DeletableTopicResult result = new DeleteTopicsResponseData.DeletableTopicResult()
                    .setName(t.name())
                    .setTopicId(t.byId() ? t.id() : Uuid.ZERO_UUID);
            if (duplicated.contains(t.key())) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Duplicate topic in the request");
            } else if (t.byId() && t.name() != null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code())
                        .setErrorMessage("Topic name and topic id cannot both be given");
            } else if (!t.byId() && t.name() == null) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Neither topic name nor topic id given");
            } else {
                DeleteTopicResult outcome = t.byId() ? topics.deleteTopic(Uuids.fromKafka(t.id())) : topics.deleteTopic(t.name());
                result.setErrorCode(ErrorCodes.code(outcome.error()))
                        .setErrorMessage(outcome.error() == ErrorCode.NONE ? null : outcome.errorMessage());
                if (outcome.topic() != null) {
                    result.setName(outcome.topic().name());
                    if (context.apiVersion() >= 6) {
                        result.setTopicId(Uuids.toKafka(outcome.topic().id()));
                    }
                }
            }
            if (context.apiVersion() < 6 && result.name() == null) {
                result.setName("");
            }
            response.responses().add(result);
        }
        return Response.of(response);
    }
}
