package dev.pgkafka.application.port.in;

import java.util.List;

import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/**
 * Logins: SASL exchanges for the Kafka listeners (mechanisms per listener, as
 * {@code listener.name.<l>.sasl.enabled.mechanisms} configures them), and single-shot checks for
 * the HTTP admin API (Basic against the same users, Bearer against the same JWKS).
 */
public interface AuthenticationUseCase {

    /** The mechanisms the listener offers, in configured order (empty for a listener without SASL). */
    List<String> enabledMechanisms(String listenerName);

    /**
     * Starts one login.
     *
     * @param clientHost the client's address, for the log of failed logins
     * @throws IllegalArgumentException when the mechanism is not enabled on the listener
     */
    SaslExchange startSasl(String listenerName, String mechanism, String clientHost);

    /** A user name and password (HTTP Basic), checked against the PLAIN users and the SCRAM credentials. */
    KafkaPrincipal authenticatePassword(String username, String password) throws AuthenticationFailedException;

    /** A bearer JWT (HTTP), validated as OAUTHBEARER tokens are. */
    KafkaPrincipal authenticateBearer(String token) throws AuthenticationFailedException;
}
