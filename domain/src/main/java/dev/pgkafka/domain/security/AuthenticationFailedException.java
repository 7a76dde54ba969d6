package dev.pgkafka.domain.security;

/**
 * A login was refused. The message is what the client is told (Kafka's wording for the mechanism);
 * it never contains a password or other secret.
 */
public final class AuthenticationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    public AuthenticationFailedException(String clientMessage) {
        super(clientMessage, null, false, false);
    }
}
