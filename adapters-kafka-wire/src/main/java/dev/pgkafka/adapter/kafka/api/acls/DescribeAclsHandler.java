package dev.pgkafka.adapter.kafka.api.acls;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.DescribeAclsResponseData;
import org.apache.kafka.common.message.DescribeAclsResponseData.AclDescription;
import org.apache.kafka.common.message.DescribeAclsResponseData.DescribeAclsResource;
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
import dev.pgkafka.domain.security.acl.AccessControlEntry;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourcePattern;

/**
 * DescribeAcls: the ACLs a filter selects, grouped by resource pattern, as Kafka's {@code AclApis}
 * answers: DESCRIBE on the cluster needed, SECURITY_DISABLED without an authorizer.
 */
public final class DescribeAclsHandler implements ApiHandler {
    private final AuthHelper auth;
    private final AclAdminUseCase acls;

    public DescribeAclsHandler(AuthHelper auth, AclAdminUseCase acls) {
        this.auth = auth;
        this.acls = acls;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_ACLS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeAclsRequestData request = (DescribeAclsRequestData) message;
        DescribeAclsResponseData response = new DescribeAclsResponseData().setThrottleTimeMs(0);
        if (!auth.authorizeCluster(context, AclOperation.DESCRIBE)) {
            return Response.of(response.setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                    .setErrorMessage(AclTranslation.clusterAuthorizationMessage(context, AclOperation.DESCRIBE)));
        }
        if (!auth.isEnabled()) {
            return Response.of(response.setErrorCode(Errors.SECURITY_DISABLED.code())
                    .setErrorMessage("No Authorizer is configured on the broker"));
        }
        AclAdminUseCase.DescribeResult result = acls.describeAcls(AclTranslation.filter(request.resourceTypeFilter(),
                request.resourceNameFilter(), request.patternTypeFilter(), request.principalFilter(),
                request.hostFilter(), request.operation(), request.permissionType()));
        if (result.error() != ErrorCode.NONE) {
            return Response.of(response.setErrorCode(ErrorCodes.code(result.error())).setErrorMessage(result.message()));
        }
        return Response.of(response.setResources(resources(result.bindings())));
    }

    /** Kafka's {@code DescribeAclsResponse.aclsResources}: one resource per pattern with its entries. */
    static List<DescribeAclsResource> resources(List<AclBinding> bindings) {
        Map<ResourcePattern, List<AclDescription>> byPattern = new LinkedHashMap<>();
        for (AclBinding b : bindings) {
            AccessControlEntry e = b.entry();
            byPattern.computeIfAbsent(b.pattern(), p -> new ArrayList<>()).add(new AclDescription()
                    .setPrincipal(e.principal())
                    .setHost(e.host())
                    .setOperation(e.operation().code())
                    .setPermissionType(e.permission().code()));
        }
        List<DescribeAclsResource> resources = new ArrayList<>(byPattern.size());
        byPattern.forEach((p, descriptions) -> resources.add(new DescribeAclsResource()
                .setResourceType(p.resourceType().code())
                .setResourceName(p.name())
                .setPatternType(p.patternType().code())
                .setAcls(descriptions)));
        return resources;
    }
}
