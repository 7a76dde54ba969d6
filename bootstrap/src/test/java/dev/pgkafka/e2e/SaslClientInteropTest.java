package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;

import org.apache.kafka.common.security.scram.ScramExtensionsCallback;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.application.service.security.AuthenticationService;
import dev.pgkafka.application.service.security.AuthenticationService.ListenerSasl;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.scram.AddScramArgument;
import dev.pgkafka.domain.security.scram.ScramCredential;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * The SASL clients a stock Java client runs (kafka-clients' ScramSaslClient, the JDK's PLAIN client)
 * log in against the broker's exchanges, token for token, with credentials made by --add-scram.
 */
class SaslClientInteropTest {
    private final Map<ScramCredentialKey, ScramCredential> stored = new ConcurrentHashMap<>();
    private final AuthenticationService logins = new AuthenticationService(Map.of("SASL_SSL", ListenerSasl.of(
            List.of("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"),
            "org.apache.kafka.common.security.plain.PlainLoginModule required user_alice=\"alice-secret\";")),
            new MapStore());

    SaslClientInteropTest() {
        for (UserScramCredential c : AddScramArgument.credentials(List.of(
                "SCRAM-SHA-256=[name=admin,password=admin-secret]", "SCRAM-SHA-512=[name=admin,password=admin-secret]",
                "SCRAM-SHA-512=[name=we=ird,password=pässwörd,iterations=16384]"))) {
            stored.put(c.key(), c.credential());
        }
    }

    @Test
    void kafkasScramClientLogsInWithEitherMechanism() throws Exception {
        for (var m : List.of(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_256,
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512)) {
            assertEquals(KafkaPrincipal.user("admin"), run(new ScramSaslClient(m, callbacks("admin", "admin-secret")),
                    logins.startSasl("SASL_SSL", m.mechanismName(), "127.0.0.1")));
        }
    }

    @Test
    void userNamesThatNeedEscapingAndNonAsciiPasswords() throws Exception {
        // the client sends "we=3Dird"; the credential has 16384 iterations, Kafka's most
        assertEquals(KafkaPrincipal.user("we=ird"), run(new ScramSaslClient(
                org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512,
                callbacks("we=ird", "pässwörd")), logins.startSasl("SASL_SSL", "SCRAM-SHA-512", "127.0.0.1")));
    }

    @Test
    void aWrongPasswordFailsOnTheServerWithKafkasSentence() throws Exception {
        ScramSaslClient client = new ScramSaslClient(org.apache.kafka.common.security.scram.internals.ScramMechanism
                .SCRAM_SHA_256, callbacks("admin", "wrong"));
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> run(client, logins.startSasl("SASL_SSL", "SCRAM-SHA-256", "127.0.0.1")));
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "SCRAM-SHA-256", e.getMessage());
    }

    @Test
    void theJdksPlainClientWithJaasAndScramUsers() throws Exception {
        for (String[] user : new String[][] {{"alice", "alice-secret"}, {"admin", "admin-secret"}}) {
            SaslClient client = Sasl.createSaslClient(new String[] {"PLAIN"}, null, "kafka", "localhost", Map.of(),
                    callbacks(user[0], user[1]));
            assertEquals(KafkaPrincipal.user(user[0]), run(client, logins.startSasl("SASL_SSL", "PLAIN", "127.0.0.1")));
        }
    }

    /** Feeds the client's tokens to the server and back until both are done, as the wire adapter will. */
    private static KafkaPrincipal run(SaslClient client, SaslExchange server) throws SaslException, AuthenticationFailedException {
        byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(new byte[0]) : new byte[0];
        while (true) {
            byte[] challenge = server.evaluate(token);
            if (server.isComplete()) {
                if (!client.isComplete()) {
                    client.evaluateChallenge(challenge); // SCRAM: the client checks the server's signature
                }
                assertTrue(client.isComplete());
                return server.principal();
            }
            token = client.evaluateChallenge(challenge);
        }
    }

    private static javax.security.auth.callback.CallbackHandler callbacks(String user, String password) {
        return callbacks -> {
            for (Callback c : callbacks) {
                if (c instanceof NameCallback n) {
                    n.setName(user);
                } else if (c instanceof PasswordCallback p) {
                    p.setPassword(password.toCharArray());
                } else if (c instanceof ScramExtensionsCallback) {
                    continue;
                } else {
                    throw new UnsupportedCallbackException(c);
                }
            }
        };
    }

    /** The store in a map (the PostgreSQL one runs the contract kit elsewhere). */
    private final class MapStore implements ScramCredentialStorePort {
        @Override
        public Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
            return Optional.ofNullable(stored.get(new ScramCredentialKey(user, mechanism)));
        }

        @Override
        public List<UserScramCredential> findByUsers(Collection<String> users) {
            List<UserScramCredential> out = new ArrayList<>();
            stored.forEach((k, c) -> {
                if (users.contains(k.user())) {
                    out.add(new UserScramCredential(k.user(), k.mechanism(), c));
                }
            });
            return out;
        }

        @Override
        public List<UserScramCredential> findAll() {
            return findByUsers(stored.keySet().stream().map(ScramCredentialKey::user).toList());
        }

        @Override
        public Set<ScramCredentialKey> alter(List<UserScramCredential> upserts, List<ScramCredentialKey> deletions) {
            Set<ScramCredentialKey> missing = new HashSet<>();
            deletions.forEach(k -> {
                if (stored.remove(k) == null) {
                    missing.add(k);
                }
            });
            upserts.forEach(c -> stored.put(c.key(), c.credential()));
            return missing;
        }
    }
}
