package dev.pgkafka.adapter.kafka.api.sasl;

import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;

/**
 * SaslAuthenticate reaching the request handlers: on a listener without SASL, or without a
 * handshake first. Kafka answers ILLEGAL_SASL_STATE with this message.
 */
public final class SaslAuthenticateHandler implements ApiHandler {
    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage request) {
        return Response.of(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate request received after successful authentication"));
    }
}
