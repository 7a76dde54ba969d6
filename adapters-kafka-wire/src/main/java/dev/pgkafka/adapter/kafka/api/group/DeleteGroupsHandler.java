package dev.pgkafka.adapter.kafka.api.group;

import java.util.LinkedHashSet;
import java.util.Set;

import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * DeleteGroups: empty groups go with their offsets; others answer NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND.
 * Each group (asked once, as Kafka dedupes) needs DELETE; refused ones answer GROUP_AUTHORIZATION_FAILED
 * after the others.
 */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupsUseCase groups;
    private final AuthHelper auth;

    public DeleteGroupsHandler(GroupsUseCase groups, AuthHelper auth) {
        this.groups = groups;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        Set<String> distinct = new LinkedHashSet<>(request.groupsNames());
        Set<String> deletable = auth.filterByAuthorized(context, AclOperation.DELETE, ResourceType.GROUP, distinct);
        DeleteGroupsResponseData response = new DeleteGroupsResponseData().setThrottleTimeMs(0);
        for (String groupId : deletable) {
            response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(groupId)
                    .setErrorCode(ErrorCodes.code(groups.deleteGroup(groupId))));
        }
        for (String groupId : distinct) {
            if (!deletable.contains(groupId)) {
                response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                        .setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
        }
        return Response.of(response);
    }
}
