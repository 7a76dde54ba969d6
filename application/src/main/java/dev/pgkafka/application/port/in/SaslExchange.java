package dev.pgkafka.application.port.in;

import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * The server side of one SASL login (PLAIN, SCRAM-SHA-256/512, OAUTHBEARER): the wire adapter feeds
 * it the client's tokens (from SaslAuthenticate or raw v0 frames) and sends back what it answers,
 * until it is complete. Not thread-safe: one per login.
 */
public interface SaslExchange {

    String mechanism();

    /**
     * Takes the client's next message and returns the server's answer (possibly empty).
     *
     * @throws AuthenticationFailedException when the login is refused; its message is Kafka's
     *                                       wording for the client and contains no secret
     */
    byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException;

    /** Whether the login succeeded (after the last {@link #evaluate}). */
    boolean isComplete();

    /** Who logged in; only once complete. */
    KafkaPrincipal principal();

    /**
     * When the credential used expires, in epoch milliseconds (an OAUTHBEARER token's {@code exp}),
     * or {@link Long#MAX_VALUE}: a re-authenticating session must not outlive it (KIP-368).
     */
    default long credentialExpiresAtMs() {
        return Long.MAX_VALUE;
    }
}
