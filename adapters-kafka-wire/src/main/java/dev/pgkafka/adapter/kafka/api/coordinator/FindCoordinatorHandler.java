package dev.pgkafka.adapter.kafka.api.coordinator;

import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;

/**
 * FindCoordinator: this broker coordinates every group and every transactional id (it is the only
 * broker), one key per request before v4, a batch of keys from v4. Share group keys (type 2) are
 * refused with INVALID_REQUEST: share groups are not served here.
 *
 * <p>Transactional ids are answered too, so that transactional producers find a coordinator; the
 * transaction APIs themselves come with the transactions issue.
 */
public final class FindCoordinatorHandler implements ApiHandler {
    static final byte GROUP = 0;
    static final byte TRANSACTION = 1;
    /** The batched form (KIP-699) starts here. */
    private static final short BATCHED_VERSION = 4;

    private final BrokerEndpoint endpoint;

    public FindCoordinatorHandler(BrokerEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        FindCoordinatorRequestData request = (FindCoordinatorRequestData) message;
        // the endpoint of the listener the client came in on
        BrokerEndpoint endpoint = context.advertised(this.endpoint);
        FindCoordinatorResponseData response = new FindCoordinatorResponseData().setThrottleTimeMs(0);
        Errors error = request.keyType() == GROUP || request.keyType() == TRANSACTION ? Errors.NONE
                : Errors.INVALID_REQUEST;
        boolean found = error == Errors.NONE;
        if (context.apiVersion() < BATCHED_VERSION) {
            response.setErrorCode(error.code())
                    // Kafka says "NONE" for success from v1, the error's message otherwise
                    .setErrorMessage(error.message())
                    .setNodeId(found ? endpoint.nodeId() : -1)
                    .setHost(found ? endpoint.host() : "")
                    .setPort(found ? endpoint.port() : -1);
        } else {
            for (String key : request.coordinatorKeys()) {
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key)
                        .setErrorCode(error.code())
                        .setErrorMessage(found ? "" : error.message())
                        .setNodeId(found ? endpoint.nodeId() : -1)
                        .setHost(found ? endpoint.host() : "")
                        .setPort(found ? endpoint.port() : -1));
            }
        }
        return Response.of(response);
    }
}
