package dev.pgkafka.adapter.kafka.api.producer;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.application.port.in.InitProducerIdUseCase.ProducerIdResult;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * InitProducerId: a producer id and epoch for idempotent and transactional producers. v6 (KIP-939's
 * two-phase commit) is not advertised.
 *
 * <p>As Kafka: a transactional producer needs WRITE on its transactional id
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise); an idempotent one IDEMPOTENT_WRITE on the cluster
 * or WRITE on some topic (KIP-679), CLUSTER_AUTHORIZATION_FAILED otherwise.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private final InitProducerIdUseCase producers;
    private final AuthHelper auth;

    public InitProducerIdHandler(InitProducerIdUseCase producers, AuthHelper auth) {
        this.producers = producers;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
        Errors denied = denial(context, request.transactionalId());
        if (denied != Errors.NONE) {
            return Response.of(ErrorResponses.of(context, request, denied));
        }
        ProducerIdResult result = producers.initProducerId(request.transactionalId(), request.transactionTimeoutMs(),
                request.producerId(), request.producerEpoch());
        return Response.of(new InitProducerIdResponseData()
                .setThrottleTimeMs(0)
                // PRODUCER_FENCED exists from v4 (KIP-588); older versions get INVALID_PRODUCER_EPOCH
                .setErrorCode(ErrorCodes.code(result.error() == ErrorCode.PRODUCER_FENCED && context.apiVersion() < 4
                        ? ErrorCode.INVALID_PRODUCER_EPOCH : result.error()))
                .setProducerId(result.producerId())
                .setProducerEpoch(result.producerEpoch()));
    }

    private Errors denial(RequestContext context, String transactionalId) {
        if (transactionalId != null) {
            return auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)
                    ? Errors.NONE : Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        // the cluster first, quietly: WRITE on any topic is enough for an idempotent producer
        boolean allowed = auth.authorizeCluster(context, AclOperation.IDEMPOTENT_WRITE, true, false)
                || auth.authorizeByResourceType(context, AclOperation.WRITE, ResourceType.TOPIC);
        return allowed ? Errors.NONE : Errors.CLUSTER_AUTHORIZATION_FAILED;
    }
}
