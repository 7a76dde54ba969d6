package dev.pgkafka.adapter.kafka.api.acls;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.CreateAclsResponseData.AclCreationResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.AclAdminUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * CreateAcls: one result per creation, in order, as Kafka's {@code AclApis} answers: ALTER on the
 * cluster needed, SECURITY_DISABLED without an authorizer, each binding checked on its own.
 */
public final class CreateAclsHandler implements ApiHandler {
    private final AuthHelper auth;
    private final AclAdminUseCase acls;

    public CreateAclsHandler(AuthHelper auth, AclAdminUseCase acls) {
        this.auth = auth;
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_ACLS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        CreateAclsRequestData request = (CreateAclsRequestData) message;
        int count = request.creations().size();
        if (!auth.authorizeCluster(context, AclOperation.ALTER)) {
            return everyResult(count, Errors.CLUSTER_AUTHORIZATION_FAILED,
                    AclTranslation.clusterAuthorizationMessage(context, AclOperation.ALTER));
        }
        if (!auth.isEnabled()) {
            return everyResult(count, Errors.SECURITY_DISABLED, AclTranslation.NO_AUTHORIZER);
        }
        List<AclBinding> bindings = new ArrayList<>(count);
        for (CreateAclsRequestData.AclCreation c : request.creations()) {
            AclBinding b = AclTranslation.binding(c.resourceType(), c.resourceName(), c.resourcePatternType(),
                    c.principal(), c.host(), c.operation(), c.permissionType());
            if (AclTranslation.hasFilterValue(b)) {
                // Kafka cannot even build such a binding: the request fails as a whole, without a message
                return everyResult(count, Errors.UNKNOWN_SERVER_ERROR, null);
            }
            bindings.add(b);
        }
        List<AclAdminUseCase.Result> results = acls.createAcls(bindings);
        CreateAclsResponseData response = new CreateAclsResponseData().setThrottleTimeMs(0);
        for (AclAdminUseCase.Result r : results) {
            AclCreationResult out = new AclCreationResult().setErrorCode(ErrorCodes.code(r.error()));
            if (r.error() != ErrorCode.NONE) {
                out.setErrorMessage(r.message());
            }
            response.results().add(out);
        }
        return Response.of(response);
    }

    private static Response everyResult(int count, Errors error, String message) {
        CreateAclsResponseData response = new CreateAclsResponseData().setThrottleTimeMs(0);
        for (int i = 0; i < count; i++) {
            response.results().add(new AclCreationResult().setErrorCode(error.code()).setErrorMessage(message));
        }
        return Response.of(response);
    }
}
