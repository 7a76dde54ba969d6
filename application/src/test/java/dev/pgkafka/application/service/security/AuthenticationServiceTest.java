package dev.pgkafka.application.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.Upsertion;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.application.service.security.AuthenticationService.ListenerSasl;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.scram.ScramMechanism;

/** Logins per listener against JAAS users and the stored SCRAM credentials. */
class AuthenticationServiceTest {
    private static final String JAAS = "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-secret\" user_admin=\"admin-secret\" user_alice=\"alice-secret\";";

    private final ScramCredentialStorePort store = new InMemoryStorage().scramCredentials();
    private final ScramCredentialService scramUsers = new ScramCredentialService(store);
    private final AuthenticationService logins = new AuthenticationService(Map.of(
            "SASL_SSL", ListenerSasl.of(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"), JAAS),
            "internal", ListenerSasl.of(List.of("PLAIN"),
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_bob=\"bob-secret\";"),
            "PLAINTEXT", new ListenerSasl(List.of(), Map.of())), store);

    private void addScramUser(String user, ScramMechanism m, String password) {
        byte[] salt = ("salt-" + user).getBytes(StandardCharsets.UTF_8);
        scramUsers.alter(List.of(new Upsertion(user, m.type(), 4096, salt, m.saltedPassword(password, salt, 4096))), List.of());
    }

    private static byte[] plain(String user, String password) {
        return ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mechanismsPerListenerInConfiguredOrderWhateverTheCaseOfTheName() {
        assertEquals(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"), logins.enabledMechanisms("SASL_SSL"));
        assertEquals(List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"), logins.enabledMechanisms("sasl_ssl"));
        assertEquals(List.of("PLAIN"), logins.enabledMechanisms("INTERNAL"));
        assertEquals(List.of(), logins.enabledMechanisms("PLAINTEXT"));
        assertEquals(List.of(), logins.enabledMechanisms("nowhere"));
    }

    @Test
    void aMechanismNotEnabledOnTheListenerCannotStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> logins.startSasl("internal", "SCRAM-SHA-512", "10.0.0.1"));
        assertEquals("SASL mechanism SCRAM-SHA-512 is not enabled on listener internal", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> logins.startSasl("PLAINTEXT", "PLAIN", "10.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> logins.startSasl("SASL_SSL", "plain", "10.0.0.1"));
    }

    @Test
    void unsupportedMechanismsAndOauthBearerWithoutItsLoginAreConfigurationErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new AuthenticationService(
                Map.of("SASL", new ListenerSasl(List.of("GSSAPI"), Map.of())), store));
        assertEquals("SASL mechanism GSSAPI of listener SASL is not supported; supported: PLAIN, SCRAM-SHA-256, "
                + "SCRAM-SHA-512, OAUTHBEARER", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AuthenticationService(
                Map.of("SASL", new ListenerSasl(List.of("OAUTHBEARER"), Map.of())), store));
    }

    @Test
    void oauthBearerLoginsComeFromTheHook() {
        SaslExchange fromHook = new SaslExchange() {
            @Override
            public String mechanism() {
                return "OAUTHBEARER";
            }

            @Override
            public byte[] evaluate(byte[] clientMessage) {
                return new byte[0];
            }

            @Override
            public boolean isComplete() {
                return true;
            }

            @Override
            public KafkaPrincipal principal() {
                return KafkaPrincipal.user("service");
            }
        };
        Map<String, String> asked = new HashMap<>();
        AuthenticationService withHook = new AuthenticationService(
                Map.of("SASL", new ListenerSasl(List.of("OAUTHBEARER"), Map.of())), store, null, (listener, host) -> {
                    asked.put(listener, host);
                    return fromHook;
                });
        assertSame(fromHook, withHook.startSasl("SASL", "OAUTHBEARER", "10.0.0.9"));
        assertEquals(Map.of("SASL", "10.0.0.9"), asked);
    }

    @Test
    void plainChecksTheListenersJaasUsers() throws Exception {
        SaslExchange login = logins.startSasl("SASL_SSL", "PLAIN", "10.0.0.1");
        assertEquals("PLAIN", login.mechanism());
        login.evaluate(plain("alice", "alice-secret"));
        assertTrue(login.isComplete());
        assertEquals(KafkaPrincipal.user("alice"), login.principal());
        assertEquals(Long.MAX_VALUE, login.credentialExpiresAtMs());

        assertPlainRefused("SASL_SSL", "alice", "wrong");
        assertPlainRefused("SASL_SSL", "bob", "bob-secret"); // another listener's user
        assertPlainRefused("SASL_SSL", "username", "admin"); // the module's own login options are no user
    }

    @Test
    void plainAlsoAcceptsTheStoredScramPasswordsOfEitherMechanism() throws Exception {
        addScramUser("carol", ScramMechanism.SCRAM_SHA_256, "carol-secret");
        addScramUser("dave", ScramMechanism.SCRAM_SHA_512, "dave-secret");
        addScramUser("alice", ScramMechanism.SCRAM_SHA_512, "alice-scram");
        for (String[] userAndPassword : new String[][] {{"carol", "carol-secret"}, {"dave", "dave-secret"},
                {"alice", "alice-secret"}, {"alice", "alice-scram"}}) {
            SaslExchange login = logins.startSasl("internal", "PLAIN", "10.0.0.1");
            if (userAndPassword[0].equals("alice") && userAndPassword[1].equals("alice-secret")) {
                // alice's JAAS password is SASL_SSL's, not internal's
                assertThrows(AuthenticationFailedException.class, () -> login.evaluate(plain("alice", "alice-secret")));
                continue;
            }
            login.evaluate(plain(userAndPassword[0], userAndPassword[1]));
            assertEquals(KafkaPrincipal.user(userAndPassword[0]), login.principal());
        }
        assertPlainRefused("internal", "carol", "dave-secret");
    }

    @Test
    void scramLoginsReadTheStoreSoAChangedPasswordAppliesAtTheNextLogin() throws Exception {
        addScramUser("erin", ScramMechanism.SCRAM_SHA_512, "first");
        assertEquals(KafkaPrincipal.user("erin"), scramLogin("SCRAM-SHA-512", "erin", "first"));

        addScramUser("erin", ScramMechanism.SCRAM_SHA_512, "second");
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> scramLogin("SCRAM-SHA-512", "erin", "first"));
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-512", e.getMessage());
        assertEquals(KafkaPrincipal.user("erin"), scramLogin("SCRAM-SHA-512", "erin", "second"));
        assertThrows(AuthenticationFailedException.class, () -> scramLogin("SCRAM-SHA-256", "erin", "second"),
                "one mechanism's credential is not the other's");
    }

    @Test
    void httpBasicUsesEveryListenersJaasUsersAndTheStore() throws Exception {
        addScramUser("frank", ScramMechanism.SCRAM_SHA_256, "frank-secret");
        assertEquals(KafkaPrincipal.user("alice"), logins.authenticatePassword("alice", "alice-secret"));
        assertEquals(KafkaPrincipal.user("bob"), logins.authenticatePassword("bob", "bob-secret"));
        assertEquals(KafkaPrincipal.user("frank"), logins.authenticatePassword("frank", "frank-secret"));
        for (String[] bad : new String[][] {{"alice", "bob-secret"}, {"frank", ""}, {"", "x"}, {"nobody", "x"}}) {
            AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                    () -> logins.authenticatePassword(bad[0], bad[1]));
            assertEquals("Authentication failed: Invalid username or password", e.getMessage());
        }
    }

    @Test
    void bearerTokensGoToTheValidatorWhenThereIsOne() throws Exception {
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> logins.authenticateBearer("token"));
        assertEquals("Authentication failed: bearer tokens are not enabled", e.getMessage());

        AuthenticationService withTokens = new AuthenticationService(Map.of(), store, token -> {
            if (!token.equals("good")) {
                throw new AuthenticationFailedException("invalid token");
            }
            return new BearerTokenValidator.ValidatedToken(KafkaPrincipal.user("svc"), 1L, Set.of());
        }, null);
        assertEquals(KafkaPrincipal.user("svc"), withTokens.authenticateBearer("good"));
        assertThrows(AuthenticationFailedException.class, () -> withTokens.authenticateBearer("bad"));
    }

    @Test
    void listenerSettingsShowNoPassword() {
        ListenerSasl sasl = ListenerSasl.of(List.of("PLAIN"), JAAS);
        assertEquals(Map.of("admin", "admin-secret", "alice", "alice-secret"), sasl.plainUsers());
        assertFalse(sasl.toString().contains("secret"), sasl.toString());
        assertThrows(IllegalArgumentException.class, () -> ListenerSasl.of(List.of("PLAIN"), JAAS + JAAS));
    }

    @Test
    void constantTimeComparisonIsStillEquality() {
        assertTrue(AuthenticationService.constantTimeEquals("pässword", "pässword"));
        assertFalse(AuthenticationService.constantTimeEquals("password", "passwor"));
        assertFalse(AuthenticationService.constantTimeEquals("", "x"));
    }

    private void assertPlainRefused(String listener, String user, String password) {
        SaslExchange login = logins.startSasl(listener, "PLAIN", "10.0.0.1");
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> login.evaluate(plain(user, password)));
        assertEquals("Authentication failed: Invalid username or password", e.getMessage());
        assertFalse(login.isComplete());
    }

    /** A SCRAM client run against the service on listener SASL_SSL. */
    private KafkaPrincipal scramLogin(String mechanism, String user, String password) throws AuthenticationFailedException {
        ScramMechanism m = ScramMechanism.forMechanismName(mechanism).orElseThrow();
        SaslExchange login = logins.startSasl("SASL_SSL", mechanism, "10.0.0.1");
        String bare = "n=" + user + ",r=clientnonce";
        String serverFirst = new String(login.evaluate(("n,," + bare).getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        Map<String, String> attributes = new HashMap<>();
        for (String part : serverFirst.split(",")) {
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        byte[] salted = m.saltedPassword(password, Base64.getDecoder().decode(attributes.get("s")),
                Integer.parseInt(attributes.get("i")));
        String withoutProof = "c=biws,r=" + attributes.get("r");
        String authMessage = bare + "," + serverFirst + "," + withoutProof;
        byte[] serverFinal = login.evaluate((withoutProof + ",p=" + Base64.getEncoder().encodeToString(
                m.clientProof(salted, authMessage))).getBytes(StandardCharsets.UTF_8));
        assertEquals("v=" + Base64.getEncoder().encodeToString(m.signature(m.serverKey(salted), authMessage)),
                new String(serverFinal, StandardCharsets.UTF_8));
        assertTrue(login.isComplete());
        return login.principal();
    }
}
