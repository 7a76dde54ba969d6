package dev.pgkafka.adapter.kafka.api.group;

import java.util.Optional;

import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.api.metadata.AuthorizedOperations;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;

/**
 * DescribeGroups: state, protocol and members (with metadata and assignment when stable). A group
 * that does not exist, or is a consumer group (KIP-848), is Dead without error before v6, GROUP_ID_NOT_FOUND
 * from v6 (KIP-1043), as with Kafka.
 */
public final class DescribeGroupsHandler implements ApiHandler {
    private static final short NOT_FOUND_VERSION = 6;

    private final GroupsUseCase groups;

    public DescribeGroupsHandler(GroupsUseCase groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_GROUPS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeGroupsRequestData request = (DescribeGroupsRequestData) message;
        DescribeGroupsResponseData response = new DescribeGroupsResponseData().setThrottleTimeMs(0);
        for (String groupId : request.groups()) {
            Optional<GroupDescription> found = groups.describeGroup(groupId);
            DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
                    .setGroupId(groupId)
                    .setAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
            if (found.isEmpty()) {
                described.setGroupState(GroupState.DEAD.kafkaName()).setProtocolType("").setProtocolData("");
                if (context.apiVersion() >= NOT_FOUND_VERSION) {
                    boolean otherType = groups.groupType(groupId).isPresent();
                    described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                            .setErrorMessage(otherType ? "Group " + groupId + " is not a classic group."
                                    : "Group " + groupId + " not found.");
                }
            } else {
                GroupDescription g = found.get();
                described.setGroupState(g.state().kafkaName())
                        .setProtocolType(g.protocolType())
                        .setProtocolData(g.protocolData());
                if (request.includeAuthorizedOperations()) {
                    described.setAuthorizedOperations(AuthorizedOperations.GROUP);
                }
                for (GroupDescription.Member m : g.members()) {
                    described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                            .setMemberId(m.memberId())
                            .setGroupInstanceId(m.groupInstanceId())
                            .setClientId(m.clientId())
                            .setClientHost(m.clientHost())
                            .setMemberMetadata(m.metadata())
                            .setMemberAssignment(m.assignment()));
                }
            }
            response.groups().add(described);
        }
        return Response.of(response);
    }
}
