package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * ConsumerGroupHeartbeat (KIP-848): join, heartbeat, reconcile and leave in one API. v1 adds the
 * regular-expression subscription and makes the client generate its member id (KIP-1082); a v0 join
 * without one gets a member id from the coordinator.
 *
 * <p>As Kafka 4: READ on the group (GROUP_AUTHORIZATION_FAILED otherwise), DESCRIBE on every topic the
 * member names (TOPIC_AUTHORIZATION_FAILED otherwise), and a regular expression resolves only to the
 * topics the member may DESCRIBE.
 */
public final class ConsumerGroupHeartbeatHandler implements ApiHandler {
    private static final short CLIENT_MEMBER_ID_VERSION = 1;

    private final ConsumerGroupsUseCase groups;
    private final AuthHelper auth;

    public ConsumerGroupHeartbeatHandler(ConsumerGroupsUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ConsumerGroupHeartbeatRequestData request = (ConsumerGroupHeartbeatRequestData) message;
        short version = context.apiVersion();
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        if (request.subscribedTopicNames() != null && !request.subscribedTopicNames().isEmpty()) {
            Set<String> named = new LinkedHashSet<>(request.subscribedTopicNames());
            if (auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, named).size() < named.size()) {
                return Response.of(new ConsumerGroupHeartbeatResponseData()
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
        }
        Map<UUID, Set<Integer>> owned = null;
        if (request.topicPartitions() != null) {
            owned = new LinkedHashMap<>();
            for (ConsumerGroupHeartbeatRequestData.TopicPartitions tp : request.topicPartitions()) {
                owned.computeIfAbsent(Uuids.fromKafka(tp.topicId()), t -> new HashSet<>()).addAll(tp.partitions());
            }
        }
        ConsumerHeartbeat heartbeat = new ConsumerHeartbeat(request.memberId(), request.memberEpoch(),
                request.instanceId(), request.rackId(), request.rebalanceTimeoutMs(), request.subscribedTopicNames(),
                version >= CLIENT_MEMBER_ID_VERSION ? request.subscribedTopicRegex() : null, request.serverAssignor(),
                owned, context.clientId(), ClientHost.of(context.clientAddress()), version >= CLIENT_MEMBER_ID_VERSION);
        ConsumerHeartbeatResult result = groups.heartbeat(request.groupId(), heartbeat, visibleTopics(context));
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(ErrorCodes.code(result.error()))
                .setErrorMessage(result.errorMessage());
        if (result.isError()) {
            return Response.of(response);
        }
        response.setMemberId(result.memberId())
                .setMemberEpoch(result.memberEpoch())
                .setHeartbeatIntervalMs(result.heartbeatIntervalMs());
        if (result.assignment() != null) {
            ConsumerGroupHeartbeatResponseData.Assignment assignment = new ConsumerGroupHeartbeatResponseData.Assignment();
            result.assignment().forEach((topicId, partitions) -> assignment.topicPartitions().add(
                    new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                            .setTopicId(Uuids.toKafka(topicId))
                            .setPartitions(new ArrayList<>(partitions))));
            response.setAssignment(assignment);
        }
        return Response.of(response);
    }

    /**
     * What the member's regex may resolve to: topics it may DESCRIBE, asked as Kafka's coordinator asks
     * (a hidden topic is no denial worth logging); null without an authorizer.
     */
    private Predicate<String> visibleTopics(RequestContext context) {
        if (!auth.isEnabled()) {
            return null;
        }
        return topic -> auth.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic, true, false);
    }
}
