package dev.pgkafka.adapter.kafka.protocol;

import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * Kafka's answer to a request refused as a whole (e.g. GROUP_AUTHORIZATION_FAILED for a JoinGroup):
 * what the request's {@code getErrorResponse} builds, as Kafka's {@code sendErrorResponseMaybeThrottle}
 * sends it, so every field (-1 generations, null protocol names, the error on every partition of the
 * request) has exactly Kafka's value for the request's version.
 */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static ApiMessage of(RequestContext context, ApiMessage request, Errors error) {
        return of(context, request, error.exception());
    }

    /** @return the answer, or null where Kafka sends none (a produce with acks=0: it closes the connection) */
    public static ApiMessage of(RequestContext context, ApiMessage request, Throwable error) {
        // handlers get the request's data; kafka-clients builds error answers from its request objects
        AbstractRequest parsed = AbstractRequest.parseRequest(context.apiKey(), context.apiVersion(),
                MessageUtil.toByteBufferAccessor(request, context.apiVersion())).request;
        AbstractResponse response = parsed.getErrorResponse(0, error);
        return response == null ? null : response.data();
    }
}
