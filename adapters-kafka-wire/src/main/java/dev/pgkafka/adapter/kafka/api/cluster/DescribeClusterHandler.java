package dev.pgkafka.adapter.kafka.api.cluster;

import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * DescribeCluster: the cluster id and this broker, which is also the controller (one process
 * plays both roles, so it answers for brokers and for controllers alike).
 *
 * <p>As Kafka: a broker needs nothing; KIP-430's cluster operations come only with DESCRIBE on the
 * cluster (0 without it). Asked as a controller it needs ALTER on the cluster, as Kafka's controller
 * (CLUSTER_AUTHORIZATION_FAILED otherwise).
 */
public final class DescribeClusterHandler implements ApiHandler {
    private static final byte BROKERS = 1;
    private static final byte CONTROLLERS = 2;

    private final ClusterUseCase cluster;
    private final BrokerEndpoint endpoint;
    private final AuthHelper auth;

    public DescribeClusterHandler(ClusterUseCase cluster, BrokerEndpoint endpoint, AuthHelper auth) {
        this.cluster = cluster;
        this.endpoint = endpoint;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLUSTER;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeClusterRequestData request = (DescribeClusterRequestData) message;
        // the endpoint of the listener the client came in on
        BrokerEndpoint endpoint = context.advertised(this.endpoint);
        byte endpointType = context.apiVersion() >= 1 ? request.endpointType() : BROKERS;
        if (endpointType == CONTROLLERS && !auth.authorizeCluster(context, AclOperation.ALTER)) {
            return Response.of(ErrorResponses.of(context, request,
                    new ClusterAuthorizationException("Request " + context + " is not authorized.")));
        }
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setEndpointType(endpointType)
                .setClusterId(cluster.clusterId())
                .setControllerId(endpoint.nodeId())
                .setClusterAuthorizedOperations(AuthHelper.NOT_REQUESTED);
        if (endpointType != BROKERS && endpointType != CONTROLLERS) {
            return Response.of(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Unsupported endpoint type " + endpointType));
        }
        response.setErrorCode(Errors.NONE.code()).setClusterAuthorizedOperations(clusterOperations(context, request));
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null)
                .setIsFenced(false));
        return Response.of(response);
    }

    private int clusterOperations(RequestContext context, DescribeClusterRequestData request) {
        if (!request.includeClusterAuthorizedOperations()) {
            return AuthHelper.NOT_REQUESTED;
        }
        return auth.authorizeCluster(context, AclOperation.DESCRIBE)
                ? auth.authorizedOperations(context, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) : 0;
    }
}
