package dev.pgkafka.adapter.kafka.api.group;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
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
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;

/**
 * SyncGroup: the leader hands in the assignment, every member gets its part. Blocks until the
 * leader's assignment is stored. From v5 protocol type and name are mandatory (Kafka answers
 * INCONSISTENT_GROUP_PROTOCOL without them, before it checks READ on the group).
 */
public final class SyncGroupHandler implements ApiHandler {
    private static final short STATIC_MEMBERSHIP_VERSION = 3;
    private static final short PROTOCOL_VERSION = 5;

    private final GroupMembershipUseCase groups;
    private final AuthHelper auth;

    public SyncGroupHandler(GroupMembershipUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SYNC_GROUP;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        SyncGroupRequestData request = (SyncGroupRequestData) message;
        short version = context.apiVersion();
        if (version >= PROTOCOL_VERSION && (request.protocolType() == null || request.protocolName() == null)) {
            return Response.of(new SyncGroupResponseData().setThrottleTimeMs(0)
                    .setErrorCode(Errors.INCONSISTENT_GROUP_PROTOCOL.code()));
        }
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        Map<String, byte[]> assignments = new LinkedHashMap<>();
        request.assignments().forEach(a -> assignments.put(a.memberId(), a.assignment()));
        SyncResult result = groups.syncGroup(request.groupId(), new SyncRequest(request.memberId(),
                version >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null, request.generationId(),
                version >= PROTOCOL_VERSION ? request.protocolType() : null,
                version >= PROTOCOL_VERSION ? request.protocolName() : null, assignments));
        return Response.of(new SyncGroupResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(ErrorCodes.code(result.error()))
                .setProtocolType(result.protocolType())
                .setProtocolName(result.protocolName())
                .setAssignment(result.assignment()));
    }
}
