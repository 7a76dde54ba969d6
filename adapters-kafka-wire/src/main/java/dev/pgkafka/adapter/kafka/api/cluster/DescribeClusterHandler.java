package dev.pgkafka.adapter.kafka.api.cluster;

import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.api.metadata.AuthorizedOperations;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.ClusterUseCase;

/**
 * DescribeCluster: the cluster id and this broker, which is also the controller (one process
 * plays both roles, so it answers for brokers and for controllers alike).
 */
public final class DescribeClusterHandler implements ApiHandler {
    private static final byte BROKERS = 1;
    private static final byte CONTROLLERS = 2;

    private final ClusterUseCase cluster;
    private final BrokerEndpoint endpoint;

    public DescribeClusterHandler(ClusterUseCase cluster, BrokerEndpoint endpoint) {
        this.cluster = cluster;
        this.endpoint = endpoint;
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
        DescribeClusterResponseData response = new DescribeClusterResponseData()
                .setThrottleTimeMs(0)
                .setEndpointType(endpointType)
                .setClusterId(cluster.clusterId())
                .setControllerId(endpoint.nodeId())
                .setClusterAuthorizedOperations(request.includeClusterAuthorizedOperations()
                        ? AuthorizedOperations.CLUSTER : AuthorizedOperations.NOT_REQUESTED);
        if (endpointType != BROKERS && endpointType != CONTROLLERS) {
            return Response.of(response.setErrorCode(Errors.UNSUPPORTED_ENDPOINT_TYPE.code())
                    .setErrorMessage("Unsupported endpoint type " + endpointType));
        }
        response.setErrorCode(Errors.NONE.code());
        response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(endpoint.nodeId())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(null)
                .setIsFenced(false));
        return Response.of(response);
    }
}
