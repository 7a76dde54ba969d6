package dev.pgkafka.domain.security.scram;

/**
 * A SCRAM message that does not follow RFC 5802's grammar (as far as Kafka accepts it). The message
 * says which part is wrong and never repeats the client's text, which may carry a proof.
 */
public final class ScramFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ScramFormatException(String reason) {
        super(reason, null, false, false);
    }
}
