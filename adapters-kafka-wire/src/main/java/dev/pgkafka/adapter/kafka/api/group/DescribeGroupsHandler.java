package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsResponse;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * DescribeGroups: state, protocol and members (with metadata and assignment when stable). A group
 * that does not exist, or is a consumer group (KIP-848), is Dead without error before v6, GROUP_ID_NOT_FOUND
 * from v6 (KIP-1043), as with Kafka. Each group needs DESCRIBE: refused ones answer
 * GROUP_AUTHORIZATION_FAILED, first, as in Kafka's answer; the others carry their KIP-430 operations
 * (v3+) when asked.
 */
public final class DescribeGroupsHandler implements ApiHandler {
    private static final short NOT_FOUND_VERSION = 6;
    private static final short AUTHORIZED_OPERATIONS_VERSION = 3;

    private final GroupsUseCase groups;
    private final AuthHelper auth;

    public DescribeGroupsHandler(GroupsUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        DescribeGroupsResponseData response = new DescribeGroupsResponseData().setThrottleTimeMs(0);
        List<String> authorized = new ArrayList<>();
        for (String groupId : request.groups()) {
            if (auth.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                authorized.add(groupId);
            } else {
                response.groups().add(DescribeGroupsResponse.groupError(groupId, Errors.GROUP_AUTHORIZATION_FAILED));
            }
        }
        boolean includeOperations = context.apiVersion() >= AUTHORIZED_OPERATIONS_VERSION
                && request.includeAuthorizedOperations();
        for (String groupId : authorized) {
            DescribeGroupsResponseData.DescribedGroup described = describe(context, groupId);
            if (includeOperations && described.errorCode() == Errors.NONE.code()) {
                described.setAuthorizedOperations(auth.authorizedOperations(context, ResourceType.GROUP, groupId));
            }
            response.groups().add(described);
        }
        return Response.of(response);
    }

    private DescribeGroupsResponseData.DescribedGroup describe(RequestContext context, String groupId) {
        Optional<GroupDescription> found = groups.describeGroup(groupId);
        DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setAuthorizedOperations(AuthHelper.NOT_REQUESTED);
        if (found.isEmpty()) {
            described.setGroupState(GroupState.DEAD.kafkaName()).setProtocolType("").setProtocolData("");
            if (context.apiVersion() >= NOT_FOUND_VERSION) {
                boolean otherType = groups.groupType(groupId).isPresent();
                described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                        .setErrorMessage(otherType ? "Group " + groupId + " is not a classic group."
                                : "Group " + groupId + " not found.");
            }
            return described;
        }
        GroupDescription g = found.get();
        described.setGroupState(g.state().kafkaName())
                .setProtocolType(g.protocolType())
                .setProtocolData(g.protocolData());
        for (GroupDescription.Member m : g.members()) {
            described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                    .setMemberId(m.memberId())
                    .setGroupInstanceId(m.groupInstanceId())
                    .setClientId(m.clientId())
                    .setClientHost(m.clientHost())
                    .setMemberMetadata(m.metadata())
                    .setMemberAssignment(m.assignment()));
        }
        return described;
    }
}
