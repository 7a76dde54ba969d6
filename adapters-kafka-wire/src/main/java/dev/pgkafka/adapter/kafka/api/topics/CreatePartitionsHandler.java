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
import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase.MutationQuota;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase.CreatePartitionsResult;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * CreatePartitions: raise topics' partition counts (validate only, replica assignments checked). Each
 * topic needs ALTER: refused ones answer TOPIC_AUTHORIZATION_FAILED without a message, whether or not
 * they exist, as Kafka's controller does.
 *
 * <p>The client's {@code controller_mutation_rate} counts the partitions added (validate only too, as in
 * Kafka); from v3 it is strict (KIP-599): once exhausted, a valid increase answers THROTTLING_QUOTA_EXCEEDED.
 */
public final class CreatePartitionsHandler implements ApiHandler {
    /** KIP-599: the mutation quota refuses instead of throttling from this version on. */
    private static final short STRICT_QUOTA_SINCE = 3;

    private final TopicAdminUseCase topics;
    private final TopicsUseCase lookup;
    private final AuthHelper auth;
    private final ThrottlingUseCase throttling;

    /** Without client quotas. */
    public CreatePartitionsHandler(TopicAdminUseCase topics, AuthHelper auth) {
        this(topics, null, auth, ThrottlingUseCase.UNLIMITED);
    }

    /** @param lookup finds a topic's partition count before it grows, for the mutation quota */
    public CreatePartitionsHandler(TopicAdminUseCase topics, TopicsUseCase lookup, AuthHelper auth,
                                   ThrottlingUseCase throttling) {
        this.topics = topics;
        this.lookup = lookup;
        this.auth = auth;
        this.throttling = throttling;
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
        MutationQuota quota = throttling.mutations(context.quotaClient(), context.apiVersion() >= STRICT_QUOTA_SINCE);
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
                CreatePartitionsResult outcome = createPartitions(t, assignments, request.validateOnly(), quota);
                result.setErrorCode(ErrorCodes.code(outcome.error())).setErrorMessage(outcome.errorMessage());
            }
            response.results().add(result);
        }
        return Response.of(response).withThrottle(quota.throttleMs());
    }

    /** Grows a topic through the mutation quota, which counts the partitions added. */
    private CreatePartitionsResult createPartitions(CreatePartitionsRequestData.CreatePartitionsTopic t,
                                                    List<List<Integer>> assignments, boolean validateOnly,
                                                    MutationQuota quota) {
        if (quota == MutationQuota.UNLIMITED || lookup == null) {
            return topics.createPartitions(t.name(), t.count(), assignments, validateOnly);
        }
        if (!quota.admits()) {
            // Kafka checks the increase before the quota: what is wrong with it is said first
            CreatePartitionsResult check = topics.createPartitions(t.name(), t.count(), assignments, true);
            return check.error() != ErrorCode.NONE ? check
                    : new CreatePartitionsResult(ErrorCode.THROTTLING_QUOTA_EXCEEDED,
                            Errors.THROTTLING_QUOTA_EXCEEDED.message());
        }
        int before = lookup.find(t.name()).map(Topic::partitionCount).orElse(t.count());
        CreatePartitionsResult outcome = topics.createPartitions(t.name(), t.count(), assignments, validateOnly);
        if (outcome.error() == ErrorCode.NONE && t.count() > before) {
            quota.record(t.count() - before);
        }
        return outcome;
    }
}
