package dev.pgkafka.domain.security;

/**
 * The server side of a password-based SASL mechanism (PLAIN, SCRAM): messages in, answers out, until
 * the user is known or the login refused. What the client is told and why the login was refused are
 * kept apart, so the reason can be logged without ever reaching the client.
 */
public interface PasswordExchange {

    /** The SASL mechanism name, e.g. {@code SCRAM-SHA-512}. */
    String mechanismName();

    /**
     * @throws AuthenticationFailedException with Kafka's message for the client
     */
    byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException;

    boolean isComplete();

    /** The authenticated user; only once complete. */
    String username();

    /** Why the last login attempt was refused (unknown user, bad proof, bad nonce, ...), for the log. */
    String failureReason();
}
