package dev.pgkafka.adapter.kafka.protocol;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A handler's answer: a body to send (or none), whether the connection must be closed after it (Kafka
 * closes an acks=0 producer's connection when its produce failed, as the only way to tell it), and how
 * long the client must pause after it for a quota it exceeded (KIP-219: the answer carries it in
 * {@code throttle_time_ms} and the connection takes no request meanwhile).
 */
public record Response(ApiMessage body, boolean closeAfter, int throttleMs) {
    private static final Response NONE = new Response(null, false);

    public Response(ApiMessage body, boolean closeAfter) {
        this(body, closeAfter, 0);
    }

    public static Response of(ApiMessage body) {
        return new Response(body, false);
    }

    public static Response none() {
        return NONE;
    }

    public static Response closeConnection() {
        return new Response(null, true);
    }

    /** This answer, with the client asked to pause {@code ms} (the longer of this and any pause already asked). */
    public Response withThrottle(int ms) {
        return ms <= throttleMs ? this : new Response(body, closeAfter, ms);
    }
}
