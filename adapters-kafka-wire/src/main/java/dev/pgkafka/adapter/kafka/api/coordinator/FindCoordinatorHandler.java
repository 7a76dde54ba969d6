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
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * FindCoordinator: this broker coordinates every group and every transactional id (it is the only
 * broker), one key per request before v4, a batch of keys from v4. Share group keys (type 2) are
 * refused with INVALID_REQUEST: share groups are not served here.
 *
 * <p>As Kafka, a key needs DESCRIBE on the group or transactional id it names; a refused key answers
 * GROUP_AUTHORIZATION_FAILED or TRANSACTIONAL_ID_AUTHORIZATION_FAILED without a coordinator (before v4
 * with the error's message, as Kafka's error answer has it).
 */
public final class FindCoordinatorHandler implements ApiHandler {
    static final byte GROUP = 0;
    static final byte TRANSACTION = 1;
    /** The batched form (KIP-699) starts here. */
    private static final short BATCHED_VERSION = 4;

    private final BrokerEndpoint endpoint;
    private final AuthHelper auth;

    public FindCoordinatorHandler(BrokerEndpoint endpoint, AuthHelper auth) {
        this.endpoint = endpoint;
        this.auth = auth;
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
        if (context.apiVersion() < BATCHED_VERSION) {
            Errors error = error(context, request.keyType(), request.key());
            boolean found = error == Errors.NONE;
            response.setErrorCode(error.code())
                    // Kafka says "NONE" for success from v1, the error's message otherwise
                    .setErrorMessage(error.message())
                    .setNodeId(found ? endpoint.nodeId() : -1)
                    .setHost(found ? endpoint.host() : "")
                    .setPort(found ? endpoint.port() : -1);
        } else {
            for (String key : request.coordinatorKeys()) {
                Errors error = error(context, request.keyType(), key);
                boolean found = error == Errors.NONE;
                response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                        .setKey(key)
                        .setErrorCode(error.code())
                        // Kafka's batched answers carry no message for refused keys
                        .setErrorMessage(error == Errors.INVALID_REQUEST ? error.message() : "")
                        .setNodeId(found ? endpoint.nodeId() : -1)
                        .setHost(found ? endpoint.host() : "")
                        .setPort(found ? endpoint.port() : -1));
            }
        }
        return Response.of(response);
    }

    private Errors error(RequestContext context, byte keyType, String key) {
        if (keyType == GROUP) {
            return auth.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, key) ? Errors.NONE
                    : Errors.GROUP_AUTHORIZATION_FAILED;
        }
        if (keyType == TRANSACTION) {
            return auth.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key) ? Errors.NONE
                    : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        return Errors.INVALID_REQUEST;
    }
}
