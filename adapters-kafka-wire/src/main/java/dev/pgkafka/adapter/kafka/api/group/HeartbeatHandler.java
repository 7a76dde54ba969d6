package dev.pgkafka.adapter.kafka.api.group;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * Heartbeat: keeps a member's session alive and tells it (REBALANCE_IN_PROGRESS) when to rejoin. Needs
 * READ on the group (GROUP_AUTHORIZATION_FAILED otherwise).
 */
public final class HeartbeatHandler implements ApiHandler {
    private static final short STATIC_MEMBERSHIP_VERSION = 3;

    private final GroupMembershipUseCase groups;
    private final AuthHelper auth;

    public HeartbeatHandler(GroupMembershipUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        HeartbeatRequestData request = (HeartbeatRequestData) message;
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        String instanceId = context.apiVersion() >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null;
        return Response.of(new HeartbeatResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(ErrorCodes.code(groups.heartbeat(request.groupId(), request.memberId(), instanceId,
                        request.generationId()))));
    }
}
