package dev.pgkafka.adapter.kafka.protocol;

import java.util.List;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A handler that can answer several requests which arrived back to back on one connection in one
 * go, e.g. pipelined produce requests appended in one storage transaction. Each request still gets
 * its own answer, in order.
 */
public interface BatchingHandler extends ApiHandler {

    /** Whether {@code next} may be handled together with {@code previous} (same producer, same transaction). */
    boolean canHandleTogether(ApiMessage previous, ApiMessage next);

    /** One response per request, in the requests' order. */
    List<Response> handleTogether(List<RequestContext> contexts, List<ApiMessage> requests);
}
