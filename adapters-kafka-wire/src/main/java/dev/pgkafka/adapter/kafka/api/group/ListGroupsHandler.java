package dev.pgkafka.adapter.kafka.api.group;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase.GroupListing;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * ListGroups, with the state filter (v4+) and the type filter (v5+), both ignoring case as Kafka's.
 * As Kafka: every group with DESCRIBE on the cluster, else only the groups the client may DESCRIBE
 * (neither check logs a denial: the client named no group).
 */
public final class ListGroupsHandler implements ApiHandler {
    private static final short STATES_FILTER_VERSION = 4;
    private static final short TYPES_FILTER_VERSION = 5;

    private final GroupsUseCase groups;
    private final AuthHelper auth;

    public ListGroupsHandler(GroupsUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_GROUPS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ListGroupsRequestData request = (ListGroupsRequestData) message;
        short version = context.apiVersion();
        List<String> states = version >= STATES_FILTER_VERSION ? request.statesFilter() : List.of();
        List<String> types = version >= TYPES_FILTER_VERSION ? request.typesFilter() : List.of();
        boolean allVisible = auth.authorizeCluster(context, AclOperation.DESCRIBE, true, false);
        List<GroupListing> listed = groups.listGroups(states, types);
        Set<String> visible = allVisible ? null : auth.filterByAuthorized(context, AclOperation.DESCRIBE,
                ResourceType.GROUP, listed.stream().map(GroupListing::groupId).toList(), true, false);
        ListGroupsResponseData response = new ListGroupsResponseData().setThrottleTimeMs(0).setErrorCode((short) 0);
        for (GroupListing g : listed) {
            if (visible != null && !visible.contains(g.groupId())) {
                continue;
            }
            response.groups().add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(g.groupId())
                    .setProtocolType(g.protocolType())
                    .setGroupState(g.state())
                    .setGroupType(g.type()));
        }
        return Response.of(response);
    }
}
