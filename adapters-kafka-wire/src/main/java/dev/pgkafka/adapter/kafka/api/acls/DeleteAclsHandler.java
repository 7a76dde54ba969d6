package dev.pgkafka.adapter.kafka.api.acls;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.DeleteAclsRequestData;
import org.apache.kafka.common.message.DeleteAclsResponseData;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsFilterResult;
import org.apache.kafka.common.message.DeleteAclsResponseData.DeleteAclsMatchingAcl;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.AclAdminUseCase;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * DeleteAcls: per filter, the ACLs it removed, as Kafka's {@code AclApis} answers: ALTER on the
 * cluster needed, SECURITY_DISABLED without an authorizer.
 */
public final class DeleteAclsHandler implements ApiHandler {
    private final AuthHelper auth;
    private final AclAdminUseCase acls;

    public DeleteAclsHandler(AuthHelper auth, AclAdminUseCase acls) {
        this.auth = auth;
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_ACLS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DeleteAclsRequestData request = (DeleteAclsRequestData) message;
        int count = request.filters().size();
        if (!auth.authorizeCluster(context, AclOperation.ALTER)) {
            return everyFilter(count, Errors.CLUSTER_AUTHORIZATION_FAILED,
                    AclTranslation.clusterAuthorizationMessage(context, AclOperation.ALTER));
        }
        if (!auth.isEnabled()) {
            return everyFilter(count, Errors.SECURITY_DISABLED, AclTranslation.NO_AUTHORIZER);
        }
        List<AclBindingFilter> filters = new ArrayList<>(count);
        for (DeleteAclsRequestData.DeleteAclsFilter f : request.filters()) {
            filters.add(AclTranslation.filter(f.resourceTypeFilter(), f.resourceNameFilter(), f.patternTypeFilter(),
                    f.principalFilter(), f.hostFilter(), f.operation(), f.permissionType()));
        }
        DeleteAclsResponseData response = new DeleteAclsResponseData().setThrottleTimeMs(0);
        for (AclAdminUseCase.DeleteResult r : acls.deleteAcls(filters)) {
            DeleteAclsFilterResult out = new DeleteAclsFilterResult()
                    .setErrorCode(ErrorCodes.code(r.error()))
                    .setErrorMessage(r.message());
            for (AclBinding b : r.deleted()) {
                out.matchingAcls().add(new DeleteAclsMatchingAcl()
                        .setErrorCode(Errors.NONE.code())
                        .setErrorMessage(null)
                        .setResourceType(b.pattern().resourceType().code())
                        .setResourceName(b.pattern().name())
                        .setPatternType(b.pattern().patternType().code())
                        .setPrincipal(b.entry().principal())
                        .setHost(b.entry().host())
                        .setOperation(b.entry().operation().code())
                        .setPermissionType(b.entry().permission().code()));
            }
            response.filterResults().add(out);
        }
        return Response.of(response);
    }

    private static Response everyFilter(int count, Errors error, String message) {
        DeleteAclsResponseData response = new DeleteAclsResponseData().setThrottleTimeMs(0);
        for (int i = 0; i < count; i++) {
            response.filterResults().add(new DeleteAclsFilterResult().setErrorCode(error.code()).setErrorMessage(message));
        }
        return Response.of(response);
    }
}
