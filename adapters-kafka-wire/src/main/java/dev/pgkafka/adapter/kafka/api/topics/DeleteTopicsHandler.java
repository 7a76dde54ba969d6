package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

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
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase.MutationQuota;
import dev.pgkafka.application.port.in.TopicAdminUseCase.DeleteTopicResult;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * DeleteTopics: by name (v1+) or by topic id (v6); each topic succeeds or fails on its own.
 *
 * <p>As Kafka's controller: DELETE on the cluster allows every topic; otherwise a topic needs DELETE,
 * and DESCRIBE decides what a refusal may reveal. By name: without DESCRIBE, TOPIC_AUTHORIZATION_FAILED
 * whether or not it exists; with DESCRIBE, UNKNOWN_TOPIC_OR_PARTITION if it does not exist, else
 * TOPIC_AUTHORIZATION_FAILED without DELETE. By id: unknown ids answer UNKNOWN_TOPIC_ID (ids are no
 * secret), a refused topic carries its name only with DESCRIBE. Answers keep the request's order (Kafka
 * shuffles them so that positions tell nothing; request order tells nothing either).
 *
 * <p>The client's {@code controller_mutation_rate} counts each deleted topic's partitions; from v5 it is
 * strict (KIP-599): once exhausted, existing topics answer THROTTLING_QUOTA_EXCEEDED.
 */
public final class DeleteTopicsHandler implements ApiHandler {
    private final TopicAdminUseCase topicAdmin;
    private final TopicsUseCase topics;
    private final AuthHelper auth;
    private final ThrottlingUseCase throttling;

    /** Without client quotas. */
    public DeleteTopicsHandler(TopicAdminUseCase topicAdmin, TopicsUseCase topics, AuthHelper auth) {
        this(topicAdmin, topics, auth, ThrottlingUseCase.UNLIMITED);
    }

    public DeleteTopicsHandler(TopicAdminUseCase topicAdmin, TopicsUseCase topics, AuthHelper auth,
                               ThrottlingUseCase throttling) {
        this.topicAdmin = topicAdmin;
        this.topics = topics;
        this.auth = auth;
        this.throttling = throttling;
    }

    /** KIP-599: the mutation quota refuses instead of throttling from this version on. */
    private static final short STRICT_QUOTA_SINCE = 5;

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
        // the topics to authorize, by name: ids resolved first
        List<Optional<Topic>> byId = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Target t : targets) {
            Optional<Topic> topic = t.byId() && t.name() == null ? topics.find(Uuids.fromKafka(t.id())) : Optional.empty();
            byId.add(topic);
            topic.ifPresent(found -> names.add(found.name()));
            if (!t.byId() && t.name() != null) {
                names.add(t.name());
            }
        }
        boolean clusterDelete = auth.authorizeCluster(context, AclOperation.DELETE, true, false);
        Set<String> describable = clusterDelete ? Set.copyOf(names)
                : auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, names);
        Set<String> deletable = clusterDelete ? Set.copyOf(names)
                : auth.filterByAuthorized(context, AclOperation.DELETE, ResourceType.TOPIC, names);

        DeleteTopicsResponseData response = new DeleteTopicsResponseData().setThrottleTimeMs(0);
        Set<String> answered = new HashSet<>();
        MutationQuota quota = throttling.mutations(context.quotaClient(), context.apiVersion() >= STRICT_QUOTA_SINCE);
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
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
            } else if (t.byId()) {
                deleteById(context, t, byId.get(i), describable, deletable, result, quota);
            } else {
                deleteByName(context, t, describable, deletable, result, quota);
            }
            if (context.apiVersion() < 6 && result.name() == null) {
                result.setName("");
            }
            response.responses().add(result);
        }
        return Response.of(response).withThrottle(quota.throttleMs());
    }

    /**
     * Deletes through the client's {@code controller_mutation_rate}, which counts the topic's partitions:
     * a strict quota that is exhausted refuses an existing topic with THROTTLING_QUOTA_EXCEEDED (a missing
     * one still answers that it is missing, as Kafka looks the topic up first).
     */
    private static DeleteTopicResult delete(MutationQuota quota, BooleanSupplier exists,
                                            Supplier<DeleteTopicResult> delete) {
        if (!quota.admits() && exists.getAsBoolean()) {
            return DeleteTopicResult.failed(ErrorCode.THROTTLING_QUOTA_EXCEEDED,
                    Errors.THROTTLING_QUOTA_EXCEEDED.message());
        }
        DeleteTopicResult result = delete.get();
        if (result.topic() != null) {
            quota.record(result.topic().partitionCount());
        }
        return result;
    }

    private void deleteById(RequestContext context, Target t, Optional<Topic> topic, Set<String> describable,
                            Set<String> deletable, DeleteTopicsResponseData.DeletableTopicResult result,
                            MutationQuota quota) {
        if (topic.isPresent() && !deletable.contains(topic.get().name())) {
            // the name only to those who may see it
            result.setName(describable.contains(topic.get().name()) ? topic.get().name() : null);
            refuse(result);
            return;
        }
        report(delete(quota, topic::isPresent, () -> topicAdmin.deleteTopic(Uuids.fromKafka(t.id()))), context, result);
    }

    private void deleteByName(RequestContext context, Target t, Set<String> describable, Set<String> deletable,
                              DeleteTopicsResponseData.DeletableTopicResult result, MutationQuota quota) {
        if (!describable.contains(t.name())) {
            refuse(result);
        } else if (deletable.contains(t.name())) {
            report(delete(quota, () -> topics.find(t.name()).isPresent(), () -> topicAdmin.deleteTopic(t.name())),
                    context, result);
        } else if (topics.find(t.name()).isPresent()) {
            refuse(result);
        } else {
            // a topic the client may see does not exist: Kafka says so, also without DELETE
            result.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code())
                    .setErrorMessage(Errors.UNKNOWN_TOPIC_OR_PARTITION.message());
        }
    }

    private static void refuse(DeleteTopicsResponseData.DeletableTopicResult result) {
        result.setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                .setErrorMessage(Errors.TOPIC_AUTHORIZATION_FAILED.message());
    }

    private static void report(DeleteTopicResult outcome, RequestContext context,
                               DeleteTopicsResponseData.DeletableTopicResult result) {
        result.setErrorCode(ErrorCodes.code(outcome.error()))
                .setErrorMessage(outcome.error() == ErrorCode.NONE ? null : outcome.errorMessage());
        if (outcome.topic() != null) {
            result.setName(outcome.topic().name());
            if (context.apiVersion() >= 6) {
                result.setTopicId(Uuids.toKafka(outcome.topic().id()));
            }
        }
    }
}
