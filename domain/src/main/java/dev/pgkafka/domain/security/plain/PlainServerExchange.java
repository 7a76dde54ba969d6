package dev.pgkafka.domain.security.plain;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.PasswordExchange;

/**
 * The server side of a SASL/PLAIN login (RFC 4616) exactly as Kafka's {@code PlainSaslServer}: one
 * message {@code [authzid] NUL authcid NUL password}, Kafka's messages for each refusal, and an
 * authorization id that must be empty or the user name. The password check is the caller's.
 * Not thread-safe: one per login.
 */
public final class PlainServerExchange implements PasswordExchange {
    public static final String MECHANISM = "PLAIN";
    static final String INVALID_USERNAME_OR_PASSWORD = "Authentication failed: Invalid username or password";

    /** Whether the password is the user's; compares in constant time. May throw when storage fails. */
    @FunctionalInterface
    public interface PasswordCheck {
        boolean verify(String username, String password);
    }

    private final PasswordCheck passwords;
    private boolean complete;
    private boolean used;
    private String username;
    private String failureReason;

    public PlainServerExchange(PasswordCheck passwords) {
        this.passwords = passwords;
    }

    /**
     * Checks the client's one message; answers nothing (an empty token).
     *
     * @throws AuthenticationFailedException with Kafka's message for the client
     */
    @Override
    public String mechanismName() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        if (used) {
            throw refuse("Authentication failed: SASL/PLAIN takes exactly one message", "a second message");
        }
        used = true;
        // as Kafka: decoded leniently (malformed bytes become U+FFFD and then fail the password check)
        List<String> tokens = tokens(new String(clientMessage, StandardCharsets.UTF_8));
        if (tokens.size() != 3) {
            throw refuse("Invalid SASL/PLAIN response: expected 3 tokens, got " + tokens.size(), "malformed message");
        }
        String authorizationId = tokens.get(0);
        String user = tokens.get(1);
        String password = tokens.get(2);
        if (user.isEmpty()) {
            throw refuse("Authentication failed: username not specified", "no user name");
        }
        if (password.isEmpty()) {
            throw refuse("Authentication failed: password not specified", "no password");
        }
        boolean valid;
        try {
            valid = passwords.verify(user, password);
        } catch (RuntimeException e) {
            throw refuse("Authentication failed: credentials for user could not be verified",
                    "credentials could not be checked: " + e.getMessage());
        }
        if (!valid) {
            throw refuse(INVALID_USERNAME_OR_PASSWORD, "invalid user name or password");
        }
        if (!authorizationId.isEmpty() && !authorizationId.equals(user)) {
            throw refuse("Authentication failed: Client requested an authorization id that is different from username",
                    "requested authorization id differs from the user name");
        }
        username = user;
        complete = true;
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return complete;
    }

    @Override
    public String username() {
        if (!complete) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return username;
    }

    /** Why the login failed, for the broker's log (never the password); null unless it failed. */
    @Override
    public String failureReason() {
        return failureReason;
    }

    /** Up to four NUL-separated tokens, as Kafka splits them (so "too many" reports 4). */
    private static List<String> tokens(String message) {
        List<String> tokens = new ArrayList<>(4);
        int start = 0;
        for (int i = 0; i < 4; i++) {
            int end = message.indexOf('\0', start);
            if (end < 0) {
                tokens.add(message.substring(start));
                break;
            }
            tokens.add(message.substring(start, end));
            start = end + 1;
        }
        return tokens;
    }

    private AuthenticationFailedException refuse(String clientMessage, String reason) {
        failureReason = reason;
        return new AuthenticationFailedException(clientMessage);
    }
}
