package dev.pgkafka.domain.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SaslFailuresTest {
    @Test
    void kafkasSentenceAndItsReauthenticationForm() {
        String failed = SaslFailures.invalidCredentials("SCRAM-SHA-512");
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512", failed);
        assertEquals("Authentication failed during re-authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512", SaslFailures.forReauthentication(failed));
        assertEquals("Authentication failed: Invalid username or password",
                SaslFailures.forReauthentication("Authentication failed: Invalid username or password"),
                "a mechanism's own message is sent as it is");
    }
}
