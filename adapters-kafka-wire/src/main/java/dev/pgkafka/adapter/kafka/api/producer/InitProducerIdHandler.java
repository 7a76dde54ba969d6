package dev.pgkafka.adapter.kafka.api.producer;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.application.port.in.InitProducerIdUseCase.ProducerIdResult;
import dev.pgkafka.domain.error.ErrorCode;

/**
 * InitProducerId: a producer id and epoch for idempotent and transactional producers. v6 (KIP-939's
 * two-phase commit) is not advertised.
 */
public final class InitProducerIdHandler implements ApiHandler {
    private final InitProducerIdUseCase producers;

    public InitProducerIdHandler(InitProducerIdUseCase producers) {
        this.producers = producers;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        InitProducerIdRequestData request = (InitProducerIdRequestData) message;
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
}
