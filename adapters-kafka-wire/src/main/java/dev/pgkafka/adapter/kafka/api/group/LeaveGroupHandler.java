package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
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
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.LeaveResult;
import dev.pgkafka.domain.group.MemberIdentity;

/**
 * LeaveGroup: one member before v3 (its error is the answer's), a batch of members from v3 (KIP-345,
 * administrators remove static members by instance id), each answered on its own. Needs READ on the
 * group (GROUP_AUTHORIZATION_FAILED for the whole request otherwise).
 */
public final class LeaveGroupHandler implements ApiHandler {
    private static final short BATCH_VERSION = 3;
    private static final short REASON_VERSION = 5;

    private final GroupMembershipUseCase groups;
    private final AuthHelper auth;

    public LeaveGroupHandler(GroupMembershipUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LEAVE_GROUP;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        LeaveGroupRequestData request = (LeaveGroupRequestData) message;
        if (!auth.authorize(context, AclOperation.READ, ResourceType.GROUP, request.groupId())) {
            return Response.of(ErrorResponses.of(context, request, Errors.GROUP_AUTHORIZATION_FAILED));
        }
        short version = context.apiVersion();
        List<MemberIdentity> members = new ArrayList<>();
        if (version < BATCH_VERSION) {
            members.add(new MemberIdentity(request.memberId(), null, null));
        } else {
            request.members().forEach(m -> members.add(new MemberIdentity(m.memberId(), m.groupInstanceId(),
                    version >= REASON_VERSION ? m.reason() : null)));
        }
        LeaveResult result = groups.leaveGroup(request.groupId(), members);
        LeaveGroupResponseData response = new LeaveGroupResponseData().setThrottleTimeMs(0);
        if (version < BATCH_VERSION) {
            ErrorCode error = result.error();
            for (ErrorCode e : result.memberErrors()) {
                if (error == ErrorCode.NONE) {
                    error = e;
                }
            }
            return Response.of(response.setErrorCode(ErrorCodes.code(error)));
        }
        response.setErrorCode(ErrorCodes.code(result.error()));
        for (int i = 0; i < result.memberErrors().size(); i++) {
            MemberIdentity m = members.get(i);
            response.members().add(new LeaveGroupResponseData.MemberResponse()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setErrorCode(ErrorCodes.code(result.memberErrors().get(i))));
        }
        return Response.of(response);
    }
}
