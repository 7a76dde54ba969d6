package dev.pgkafka.domain.security.plain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.AuthenticationFailedException;

/** SASL/PLAIN as Kafka's PlainSaslServer: messages, tokens and authorization ids. */
class PlainServerExchangeTest {
    private static final Map<String, String> USERS = Map.of("alice", "alice-secret", "bob", "bob-secret");

    private static PlainServerExchange exchange() {
        return new PlainServerExchange((user, password) -> password.equals(USERS.get(user)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValidLoginWithAndWithoutAuthorizationId() throws Exception {
        for (String message : new String[] {"\0alice\0alice-secret", "alice\0alice\0alice-secret"}) {
            PlainServerExchange exchange = exchange();
            assertArrayEquals(new byte[0], exchange.evaluate(bytes(message)));
            assertTrue(exchange.isComplete());
            assertEquals("alice", exchange.username());
        }
    }

    @Test
    void kafkasMessagesForEachRefusal() {
        assertRefused("Authentication failed: Invalid username or password", "\0alice\0wrong");
        assertRefused("Authentication failed: Invalid username or password", "\0nobody\0alice-secret");
        assertRefused("Authentication failed: Client requested an authorization id that is different from username",
                "bob\0alice\0alice-secret");
        assertRefused("Authentication failed: username not specified", "\0\0pw");
        assertRefused("Authentication failed: password not specified", "\0alice\0");
        assertRefused("Invalid SASL/PLAIN response: expected 3 tokens, got 1", "alice");
        assertRefused("Invalid SASL/PLAIN response: expected 3 tokens, got 2", "alice\0alice-secret");
        assertRefused("Invalid SASL/PLAIN response: expected 3 tokens, got 4", "\0alice\0alice-secret\0");
        assertRefused("Invalid SASL/PLAIN response: expected 3 tokens, got 4", "a\0b\0c\0d\0e");
        assertRefused("Invalid SASL/PLAIN response: expected 3 tokens, got 1", "");
    }

    @Test
    void theWrongPasswordIsCheckedBeforeTheAuthorizationId() {
        // as Kafka: a foreign authorization id with a wrong password says nothing about the id
        assertRefused("Authentication failed: Invalid username or password", "bob\0alice\0wrong");
    }

    @Test
    void brokenUtf8FailsThePasswordCheck() {
        byte[] message = bytes("\0alice\0alice-secret");
        message[message.length - 1] = (byte) 0xFF;
        PlainServerExchange exchange = exchange();
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class, () -> exchange.evaluate(message));
        assertEquals("Authentication failed: Invalid username or password", e.getMessage());
    }

    @Test
    void aStorageFailureIsKafkasCouldNotBeVerified() {
        PlainServerExchange exchange = new PlainServerExchange((u, p) -> {
            throw new IllegalStateException("database is down");
        });
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(bytes("\0alice\0alice-secret")));
        assertEquals("Authentication failed: credentials for user could not be verified", e.getMessage());
        assertTrue(exchange.failureReason().contains("database is down"));
    }

    @Test
    void oneMessageOnlyAndNoPasswordInTheReason() throws Exception {
        PlainServerExchange exchange = exchange();
        exchange.evaluate(bytes("\0alice\0alice-secret"));
        assertThrows(AuthenticationFailedException.class, () -> exchange.evaluate(bytes("\0alice\0alice-secret")));

        PlainServerExchange failed = exchange();
        assertThrows(AuthenticationFailedException.class, () -> failed.evaluate(bytes("\0alice\0wrong-secret")));
        assertFalse(failed.failureReason().contains("wrong-secret"));
        assertFalse(failed.isComplete());
        assertThrows(IllegalStateException.class, failed::username);
    }

    private static void assertRefused(String clientMessage, String message) {
        PlainServerExchange exchange = exchange();
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(bytes(message)));
        assertEquals(clientMessage, e.getMessage());
        assertFalse(exchange.isComplete());
    }
}
