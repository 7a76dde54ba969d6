package dev.pgkafka.adapter.kafka.api.sasl;

import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;

/**
 * SaslHandshake reaching the request handlers: on a listener without SASL. (On SASL listeners the
 * connection's authenticator takes it, also for re-authentication.) Kafka answers ILLEGAL_SASL_STATE.
 */
public final class SaslHandshakeHandler implements ApiHandler {
    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage request) {
        return Response.of(new SaslHandshakeResponseData().setErrorCode(Errors.ILLEGAL_SASL_STATE.code()));
    }
}
