package dev.pgkafka.adapter.kafka.api.group;

import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.GroupsUseCase;

/** DeleteGroups: empty groups go with their offsets; others answer NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND. */
public final class DeleteGroupsHandler implements ApiHandler {
    private final GroupsUseCase groups;

    public DeleteGroupsHandler(GroupsUseCase groups) {
        this.groups = groups;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_GROUPS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DeleteGroupsRequestData request = (DeleteGroupsRequestData) message;
        DeleteGroupsResponseData response = new DeleteGroupsResponseData().setThrottleTimeMs(0);
        for (String groupId : request.groupsNames()) {
            response.results().add(new DeleteGroupsResponseData.DeletableGroupResult()
                    .setGroupId(groupId)
                    .setErrorCode(ErrorCodes.code(groups.deleteGroup(groupId))));
        }
        return Response.of(response);
    }
}
