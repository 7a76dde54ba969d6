package dev.pgkafka.adapter.kafka.api.group;

import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.GroupMembershipUseCase;

/** Heartbeat: keeps a member's session alive and tells it (REBALANCE_IN_PROGRESS) when to rejoin. */
public final class HeartbeatHandler implements ApiHandler {
    private static final short STATIC_MEMBERSHIP_VERSION = 3;

    private final GroupMembershipUseCase groups;

    public HeartbeatHandler(GroupMembershipUseCase groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.HEARTBEAT;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        HeartbeatRequestData request = (HeartbeatRequestData) message;
        String instanceId = context.apiVersion() >= STATIC_MEMBERSHIP_VERSION ? request.groupInstanceId() : null;
        return Response.of(new HeartbeatResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(ErrorCodes.code(groups.heartbeat(request.groupId(), request.memberId(), instanceId,
                        request.generationId()))));
    }
}
