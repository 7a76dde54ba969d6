package dev.pgkafka.application.service.security;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.JaasConfig;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.PasswordExchange;
import dev.pgkafka.domain.security.plain.PlainServerExchange;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.ScramServerExchange;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * Logins as a Kafka broker configures them, per listener: PLAIN against the listener's JAAS users and
 * then the stored SCRAM credentials (one user store serves both), SCRAM-SHA-256/512 against the
 * stored credentials, OAUTHBEARER through a hook built elsewhere. Credentials are read at every
 * login, so a change made with AlterUserScramCredentials applies to the next login at once.
 *
 * <pre>{@code
 * var listeners = Map.of("SASL_SSL", ListenerSasl.of(List.of("SCRAM-SHA-512", "PLAIN"), plainJaasConfig));
 * AuthenticationUseCase logins = new AuthenticationService(listeners, storage.scramCredentials());
 * }</pre>
 */
public final class AuthenticationService implements AuthenticationUseCase {
    private static final System.Logger LOG = System.getLogger(AuthenticationService.class.getName());
    public static final String PLAIN = PlainServerExchange.MECHANISM;
    public static final String OAUTHBEARER = "OAUTHBEARER";
    static final String INVALID_USERNAME_OR_PASSWORD = "Authentication failed: Invalid username or password";
    /** SCRAM credentials checked for a PLAIN password, strongest first. */
    private static final List<ScramMechanism> PLAIN_SCRAM_ORDER = List.of(ScramMechanism.SCRAM_SHA_512,
            ScramMechanism.SCRAM_SHA_256);

    /**
     * A listener's SASL settings: the mechanisms it offers, in order ({@code sasl.enabled.mechanisms}),
     * and its PLAIN users with their passwords ({@code user_<name>} options of its PLAIN JAAS config).
     */
    public record ListenerSasl(List<String> mechanisms, Map<String, String> plainUsers) {
        public ListenerSasl {
            mechanisms = List.copyOf(mechanisms);
            plainUsers = Map.copyOf(plainUsers);
        }

        /**
         * @param plainJaasConfig the listener's {@code plain.sasl.jaas.config}, or null when it has none
         * @throws IllegalArgumentException when the JAAS config does not parse (the message holds no password)
         */
        public static ListenerSasl of(List<String> mechanisms, String plainJaasConfig) {
            return new ListenerSasl(mechanisms, plainJaasConfig == null ? Map.of()
                    : JaasConfig.plainUsers(List.of(JaasConfig.parseSingle(plainJaasConfig))));
        }

        @Override
        public String toString() {
            return "ListenerSasl(mechanisms=" + mechanisms + ", plainUsers=" + plainUsers.keySet() + ")";
        }
    }

    /** Starts OAUTHBEARER logins (the token validation lives with whoever builds it). */
    @FunctionalInterface
    public interface OAuthBearerLogins {
        SaslExchange start(String listenerName, String clientHost);
    }

    private final Map<String, ListenerSasl> listeners;
    private final ScramCredentialStorePort credentials;
    private final BearerTokenValidator bearerTokens;
    private final OAuthBearerLogins oauthBearer;

    /** PLAIN and SCRAM only; no OAUTHBEARER, no bearer tokens for HTTP. */
    public AuthenticationService(Map<String, ListenerSasl> listeners, ScramCredentialStorePort credentials) {
        this(listeners, credentials, null, null);
    }

    /**
     * @param listeners    by listener name (case does not matter, as in Kafka)
     * @param bearerTokens validates HTTP bearer tokens; null when bearer tokens are off
     * @param oauthBearer  starts OAUTHBEARER logins; null when no listener enables OAUTHBEARER
     * @throws IllegalArgumentException when a listener enables a mechanism that cannot be served
     */
    public AuthenticationService(Map<String, ListenerSasl> listeners, ScramCredentialStorePort credentials,
                                 BearerTokenValidator bearerTokens, OAuthBearerLogins oauthBearer) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.bearerTokens = bearerTokens;
        this.oauthBearer = oauthBearer;
        Map<String, ListenerSasl> normalised = new LinkedHashMap<>();
        listeners.forEach((name, sasl) -> {
            for (String mechanism : sasl.mechanisms()) {
                if (!mechanism.equals(PLAIN) && !mechanism.equals(OAUTHBEARER) && !ScramMechanism.isScram(mechanism)) {
                    throw new IllegalArgumentException("SASL mechanism " + mechanism + " of listener " + name
                            + " is not supported; supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER");
                }
                if (mechanism.equals(OAUTHBEARER) && oauthBearer == null) {
                    throw new IllegalArgumentException("listener " + name + " enables OAUTHBEARER but no OAUTHBEARER "
                            + "login is configured");
                }
            }
            normalised.put(normalise(name), sasl);
        });
        this.listeners = Map.copyOf(normalised);
    }

    @Override
    public List<String> enabledMechanisms(String listenerName) {
        ListenerSasl sasl = listeners.get(normalise(listenerName));
        return sasl == null ? List.of() : sasl.mechanisms();
    }

    @Override
    public SaslExchange startSasl(String listenerName, String mechanism, String clientHost) {
        if (!enabledMechanisms(listenerName).contains(mechanism)) {
            throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not enabled on listener " + listenerName);
        }
        if (mechanism.equals(PLAIN)) {
            Map<String, String> users = listeners.get(normalise(listenerName)).plainUsers();
            return new PasswordSaslExchange(new PlainServerExchange((user, password) ->
                    passwordMatches(user, password, List.of(users))), clientHost);
        }
        if (mechanism.equals(OAUTHBEARER)) {
            return oauthBearer.start(listenerName, clientHost);
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism).orElseThrow();
        return new PasswordSaslExchange(new ScramServerExchange(scram, user -> credentials.find(user, scram)), clientHost);
    }

    @Override
    public KafkaPrincipal authenticatePassword(String username, String password) throws AuthenticationFailedException {
        if (username == null || username.isEmpty() || password == null || password.isEmpty()
                || !passwordMatches(username, password, listeners.values().stream().map(ListenerSasl::plainUsers).toList())) {
            throw new AuthenticationFailedException(INVALID_USERNAME_OR_PASSWORD);
        }
        return KafkaPrincipal.user(username);
    }

    @Override
    public KafkaPrincipal authenticateBearer(String token) throws AuthenticationFailedException {
        if (bearerTokens == null) {
            throw new AuthenticationFailedException("Authentication failed: bearer tokens are not enabled");
        }
        return bearerTokens.validate(token).principal();
    }

    /**
     * The JAAS users first, then the user's stored SCRAM credentials (the password is salted with each
     * credential's salt and iterations and its StoredKey compared); every comparison in constant time.
     */
    private boolean passwordMatches(String user, String password, Collection<Map<String, String>> jaasUsers) {
        for (Map<String, String> users : jaasUsers) {
            String expected = users.get(user);
            if (expected != null && constantTimeEquals(expected, password)) {
                return true;
            }
        }
        List<UserScramCredential> stored = credentials.findByUsers(Set.of(user));
        for (ScramMechanism m : PLAIN_SCRAM_ORDER) {
            for (UserScramCredential c : stored) {
                int iterations = c.credential().iterations();
                // bounded: a row edited by hand with a huge count must not make each login a CPU burden
                if (c.mechanism() == m && iterations >= m.minIterations() && iterations <= m.maxIterations()
                        && m.matches(password, c.credential())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Compares digests, so neither the content nor the length of the expected password shows in the time. */
    static boolean constantTimeEquals(String expected, String actual) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(a.digest(expected.getBytes(StandardCharsets.UTF_8)),
                    b.digest(actual.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    private static String normalise(String listenerName) {
        return listenerName.toUpperCase(Locale.ROOT);
    }

    /** PLAIN or SCRAM behind the port, logging why a login was refused (the client only hears Kafka's message). */
    private static final class PasswordSaslExchange implements SaslExchange {
        private final PasswordExchange exchange;
        private final String clientHost;

        PasswordSaslExchange(PasswordExchange exchange, String clientHost) {
            this.exchange = exchange;
            this.clientHost = clientHost;
        }

        @Override
        public String mechanism() {
            return exchange.mechanismName();
        }

        @Override
        public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
            try {
                return exchange.evaluate(clientMessage);
            } catch (AuthenticationFailedException e) {
                LOG.log(Level.DEBUG, "{0} login from {1} refused: {2}", mechanism(), clientHost, exchange.failureReason());
                throw e;
            }
        }

        @Override
        public boolean isComplete() {
            return exchange.isComplete();
        }

        @Override
        public KafkaPrincipal principal() {
            return KafkaPrincipal.user(exchange.username());
        }
    }
}
