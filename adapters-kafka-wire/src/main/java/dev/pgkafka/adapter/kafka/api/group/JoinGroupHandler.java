package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
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
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.Protocol;

/**
 * JoinGroup: blocks (on the connection's virtual thread) until the group's join phase completes, as
 * Kafka holds the request. v4+ members first get MEMBER_ID_REQUIRED, v9+ static leaders may be told
 * to skip the assignment. Version 0 has no rebalance timeout: the request parser already gives it the
 * session timeout, as Kafka does. Needs READ on the group (GROUP_AUTHORIZATION_FAILED otherwise).
 */
public final class JoinGroupHandler implements ApiHandler {
    private static final short REQUIRES_KNOWN_MEMBER_ID_VERSION = 4;
    private static final short STATIC_MEMBERSHIP_VERSION = 5;
    /** The protocol name is nullable from here; before, Kafka answers "" where it has none. */
    private static final short NULLABLE_PROTOCOL_NAME_VERSION = 7;
    private static final short REASON_VERSION = 8;
    private static final short SKIP_ASSIGNMENT_VERSION = 9;

    private final GroupMembershipUseCase groups;
    private final AuthHelper auth;

    public JoinGroupHandler(GroupMembershipUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.JOIN_GROUP;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        JoinGroupRequestData request = (JoinGroupRequestData) message;
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        short version = context.apiVersion();
        List<Protocol> protocols = new ArrayList<>(request.protocols().size());
        request.protocols().forEach(p -> protocols.add(new Protocol(p.name(), p.metadata())));
        JoinRequest join = new JoinRequest(request.memberId(),
                version >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null,
                context.clientId(), ClientHost.of(context.clientAddress()), request.sessionTimeoutMs(),
                request.rebalanceTimeoutMs(), request.protocolType(), protocols,
                version >= REASON_VERSION ? request.reason() : null,
                version >= REQUIRES_KNOWN_MEMBER_ID_VERSION, version >= SKIP_ASSIGNMENT_VERSION);
        JoinResult result = groups.joinGroup(request.groupId(), join);

        JoinGroupResponseData response = new JoinGroupResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(ErrorCodes.code(result.error()))
                .setGenerationId(result.generationId())
                .setProtocolType(result.protocolType())
                .setProtocolName(result.protocolName() == null && version < NULLABLE_PROTOCOL_NAME_VERSION
                        ? "" : result.protocolName())
                .setLeader(result.leaderId())
                .setSkipAssignment(result.skipAssignment())
                .setMemberId(result.memberId());
        for (JoinResult.JoinedMember m : result.members()) {
            response.members().add(new JoinGroupResponseData.JoinGroupResponseMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setMetadata(m.metadata()));
        }
        return Response.of(response);
    }
}
