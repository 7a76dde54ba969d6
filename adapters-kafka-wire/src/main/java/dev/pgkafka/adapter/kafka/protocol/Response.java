package dev.pgkafka.adapter.kafka.protocol;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A handler's answer: a body to send (or none), and whether the connection must be closed after
 * it (Kafka closes an acks=0 producer's connection when its produce failed, as the only way to tell it).
 */
public record Response(ApiMessage body, boolean closeAfter) {
    private static final Response NONE = new Response(null, false);

    public static Response of(ApiMessage body) {
        return new Response(body, false);
    }

    public static Response none() {
        return NONE;
    }

    public static Response closeConnection() {
        return new Response(null, true);
    }
}
