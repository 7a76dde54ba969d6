package dev.pgkafka.adapter.kafka.protocol;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

/** Answers one Kafka API. Handlers block freely: each connection runs on its own virtual thread. */
public interface ApiHandler {

    ApiKeys apiKey();

    /**
     * Handles a parsed request body of the connection's negotiated version.
     *
     * @return the response body, or {@link Response#none()} when the client expects no answer
     *         (a produce with acks=0)
     */
    Response handle(RequestContext context, ApiMessage request);
}
