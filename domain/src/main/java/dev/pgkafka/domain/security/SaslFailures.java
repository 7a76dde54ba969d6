package dev.pgkafka.domain.security;

/**
 * What Kafka tells a client whose SASL login failed. A mechanism's own wording is sent where Kafka
 * sends it (PLAIN's "Invalid username or password"); every other failure, SCRAM's included, gets one
 * sentence that tells nothing about the user or what was wrong, as Kafka's SaslServerAuthenticator does.
 */
public final class SaslFailures {
    private static final String DURING_AUTHENTICATION = "Authentication failed during authentication ";
    private static final String DURING_REAUTHENTICATION = "Authentication failed during re-authentication ";

    private SaslFailures() {
    }

    /** e.g. "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256" */
    public static String invalidCredentials(String mechanism) {
        return DURING_AUTHENTICATION + "due to invalid credentials with SASL mechanism " + mechanism;
    }

    /** The same failure told to a client that was re-authenticating (KIP-368): Kafka says "re-authentication". */
    public static String forReauthentication(String clientMessage) {
        return clientMessage.startsWith(DURING_AUTHENTICATION)
                ? DURING_REAUTHENTICATION + clientMessage.substring(DURING_AUTHENTICATION.length())
                : clientMessage;
    }
}
