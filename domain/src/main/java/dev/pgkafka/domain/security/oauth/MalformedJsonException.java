package dev.pgkafka.domain.security.oauth;

/**
 * Input that is not the JSON we accept: a syntax error (with its offset), a document over the
 * reader's limits, or a value of the wrong kind. The message quotes at most one character of the
 * input, never a whole token or key.
 */
public final class MalformedJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedJsonException(String message) {
        super(message);
    }
}
