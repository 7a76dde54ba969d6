package dev.pgkafka.domain.security.scram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.AuthenticationFailedException;

/**
 * The server side of SCRAM against the RFC's examples, a well-behaved client, and attackers: replayed
 * and forged final messages, wrong nonces (librdkafka 2.0.2's included), broken and truncated messages.
 */
class ScramServerExchangeTest {
    private static final String GENERIC_256 =
            "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256";
    private static final String GENERIC_512 =
            "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512";

    private final Map<String, ScramCredential> users = new HashMap<>();

    private ScramServerExchange server(ScramMechanism m, String serverNonce) {
        return new ScramServerExchange(m, user -> Optional.ofNullable(users.get(user)), () -> serverNonce);
    }

    private ScramServerExchange server(ScramMechanism m) {
        return new ScramServerExchange(m, user -> Optional.ofNullable(users.get(user)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void rfc7677ExampleSha256() throws Exception {
        users.put("user", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("pencil",
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096));
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                text(server.evaluate(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"))));
        assertFalse(server.isComplete());
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", text(server.evaluate(bytes(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))));
        assertTrue(server.isComplete());
        assertEquals("user", server.username());
        assertNull(server.failureReason());
    }

    @Test
    void rfc5802ExampleAdaptedToSha512() throws Exception {
        // RFC 5802's SHA-1 example (nonces, salt, password), played with SCRAM-SHA-512
        users.put("user", ScramMechanism.SCRAM_SHA_512.credentialFromPassword("pencil",
                Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_512, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_512, "3rfcNHYJY1ZVvWVs7j");

        String serverFirst = text(server.evaluate(client.first()));
        assertEquals("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096", serverFirst);
        byte[] serverFinal = server.evaluate(client.last(serverFirst));
        assertTrue(server.isComplete());
        assertEquals(client.expectedServerFinal(), text(serverFinal), "the server proves it holds the ServerKey");
    }

    @Test
    void aClientLogsInWithEitherMechanismAndRandomNonces() throws Exception {
        for (ScramMechanism m : ScramMechanism.values()) {
            users.put("alice", m.credentialFromPassword("alice-secret", bytes("salt-" + m), 8192));
            Client client = new Client(m, "alice", "alice-secret", "client-nonce-1");
            ScramServerExchange server = server(m);
            String serverFirst = text(server.evaluate(client.first()));
            assertTrue(serverFirst.startsWith("r=client-nonce-1"), serverFirst);
            assertTrue(serverFirst.endsWith(",i=8192"), serverFirst);
            String serverFinal = text(server.evaluate(client.last(serverFirst)));
            assertEquals(client.expectedServerFinal(), serverFinal);
            assertEquals("alice", server.username());
        }
    }

    @Test
    void theWrongPasswordGetsKafkasSentence() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "wrong", "n1");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        String serverFirst = text(server.evaluate(client.first()));

        assertRefused(GENERIC_256, server, client.last(serverFirst));
        assertEquals("Invalid client credentials", server.failureReason());
        assertFalse(server.isComplete());
        assertThrows(IllegalStateException.class, server::username);
    }

    @Test
    void anUnknownUserIsRefusedAtTheFirstMessageWithTheSameSentence() {
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_512);
        assertRefused(GENERIC_512, server, bytes("n,,n=nobody,r=abc"));
        assertTrue(server.failureReason().contains("no SCRAM-SHA-512 credential"), server.failureReason());
    }

    @Test
    void aReplayedFinalMessageFailsAgainstANewServerNonce() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "n1");
        ScramServerExchange first = server(ScramMechanism.SCRAM_SHA_256);
        byte[] recordedFinal = client.last(text(first.evaluate(client.first())));
        first.evaluate(recordedFinal);
        assertTrue(first.isComplete());

        // an eavesdropper replays both client messages on a new connection
        ScramServerExchange second = server(ScramMechanism.SCRAM_SHA_256);
        second.evaluate(client.first());
        assertRefused(GENERIC_256, second, recordedFinal);
        assertEquals("Invalid client nonce in the final client message.", second.failureReason());
    }

    @Test
    void aForgedProofIsRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "S");
        server.evaluate(bytes("n,,n=alice,r=C"));
        String forged = "c=biws,r=CS,p=" + Base64.getEncoder().encodeToString(new byte[32]);
        assertRefused(GENERIC_256, server, bytes(forged));
        assertEquals("Invalid client credentials", server.failureReason());
    }

    @Test
    void aProofOfTheWrongLengthIsRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_512.credentialFromPassword("alice-secret", bytes("s"), 4096));
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_512, "S");
        server.evaluate(bytes("n,,n=alice,r=C"));
        assertRefused(GENERIC_512, server, bytes("c=biws,r=CS,p=" + Base64.getEncoder().encodeToString(new byte[32])));
        assertTrue(server.failureReason().contains("32 bytes"), server.failureReason());
    }

    @Test
    void librdkafka202sDoubledClientNonceIsRefusedEvenWithAValidProof() throws Exception {
        // librdkafka#4895: the final nonce is client nonce + (client nonce + server nonce); it ends with the
        // server's nonce, which Kafka before the CVE-2024-56128 fix accepted, and Kafka 4 refuses
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "snonce");
        String serverFirst = text(server.evaluate(client.first()));
        client.nonceOverride = "cnonce" + "cnoncesnonce";
        assertRefused(GENERIC_256, server, client.last(serverFirst));
        assertEquals("Invalid client nonce in the final client message.", server.failureReason());
    }

    @Test
    void everyNonceButTheServersOwnIsRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        for (String nonce : List.of("cnonce", "snonce", "cnoncesnonceX", "Xcnoncesnonce", "cnoncesnonc", "CNONCESNONCE")) {
            Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
            ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "snonce");
            String serverFirst = text(server.evaluate(client.first()));
            client.nonceOverride = nonce;
            assertRefused(GENERIC_256, server, client.last(serverFirst));
        }
    }

    @Test
    void theChannelBindingMustEchoTheGs2Header() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        for (String binding : List.of("eSws", "cD10bHMtdW5pcXVlLCw=", "bixhPWFsaWNlLA==")) {
            Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
            ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
            String serverFirst = text(server.evaluate(client.first()));
            client.bindingOverride = binding;
            assertRefused(GENERIC_256, server, client.last(serverFirst));
            assertEquals("channel binding does not echo the GS2 header", server.failureReason());
        }
    }

    @Test
    void anAuthorizationIdEqualToTheUserIsEchoedInTheBinding() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
        client.gs2Header = "n,a=alice,";
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        String serverFirst = text(server.evaluate(client.first()));
        server.evaluate(client.last(serverFirst));
        assertTrue(server.isComplete());
    }

    @Test
    void anotherAuthorizationIdGetsKafkasOwnMessage() {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        assertRefused("Authentication failed: Client requested an authorization id that is different from username",
                server(ScramMechanism.SCRAM_SHA_256), bytes("n,a=admin,n=alice,r=x"));
    }

    @Test
    void escapedUserNamesAreDecoded() throws Exception {
        users.put("a,b=c", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("pw", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "a,b=c", "pw", "cnonce");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        server.evaluate(client.last(text(server.evaluate(client.first()))));
        assertEquals("a,b=c", server.username());
        assertRefused(GENERIC_256, server(ScramMechanism.SCRAM_SHA_256), bytes("n,,n=a=2Xb,r=x"));
    }

    @Test
    void extensionsAreIgnoredButDelegationTokensAreRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
        client.extensions = ",foo=bar,tokenauth=false";
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        server.evaluate(client.last(text(server.evaluate(client.first()))));
        assertTrue(server.isComplete());

        ScramServerExchange token = server(ScramMechanism.SCRAM_SHA_256);
        assertRefused(GENERIC_256, token, bytes("n,,n=alice,r=x,tokenauth=true"));
        assertTrue(token.failureReason().contains("tokenauth"), token.failureReason());
    }

    @Test
    void malformedClientFirstMessagesAreRefused() {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        for (String message : List.of("", "n", "n,,", "n,,n=alice", "n,,n=alice,", "n,,n=alice,r=", "y,,n=alice,r=x",
                "p=tls-unique,,n=alice,r=x", "x,,n=alice,r=x", "n,,m=ext,n=alice,r=x", "n,,r=x,n=alice", "n,b=x,n=alice,r=x",
                "n,,n=,r=x", "n,,n=alice,r=x y", "n,,n=alice,r=x,=1", "n,,n=alice,r=x,1=2", "n,,n=alice,r=x,ext",
                "n,,n=al\u0000ice,r=x", "n,,n=alice,r=\u00e9")) {
            ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
            assertRefused(GENERIC_256, server, bytes(message));
            assertFalse(server.failureReason().contains("alice"), "the message is not repeated: " + server.failureReason());
        }
    }

    @Test
    void everyTruncationOfAValidExchangeIsRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
        byte[] first = client.first();
        for (int length = 0; length < first.length; length++) {
            byte[] cut = Arrays.copyOf(first, length);
            ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "snonce");
            String serverFirst;
            try {
                serverFirst = text(server.evaluate(cut));
            } catch (AuthenticationFailedException e) {
                assertEquals(GENERIC_256, e.getMessage(), "cut at " + length);
                continue;
            }
            // "n,,n=alice,r=cnon" is a valid first message with a shorter nonce: the client's proof over its own fails
            assertTrue(text(cut).startsWith("n,,n=alice,r=c"), "cut at " + length);
            assertRefused(GENERIC_256, server, client.last(serverFirst));
        }
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256, "snonce");
        String serverFirst = text(server.evaluate(first));
        byte[] last = client.last(serverFirst);
        for (int length = 0; length < last.length; length++) {
            ScramServerExchange s = server(ScramMechanism.SCRAM_SHA_256, "snonce");
            s.evaluate(first);
            assertRefused(GENERIC_256, s, Arrays.copyOf(last, length));
        }
    }

    @Test
    void bytesThatAreNotUtf8AreRefused() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        byte[] first = bytes("n,,n=alice,r=abc");
        first[11] = (byte) 0xC3; // a lone lead byte
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        assertRefused(GENERIC_256, server, first);
        assertTrue(server.failureReason().contains("UTF-8"), server.failureReason());

        ScramServerExchange s = server(ScramMechanism.SCRAM_SHA_256, "S");
        s.evaluate(bytes("n,,n=alice,r=C"));
        byte[] last = bytes("c=biws,r=CS,p=" + Base64.getEncoder().encodeToString(new byte[32]));
        last[last.length - 1] = (byte) 0xFF;
        assertRefused(GENERIC_256, s, last);
    }

    @Test
    void aUtf8UserNameIsAccepted() throws Exception {
        users.put("jörg ✓", ScramMechanism.SCRAM_SHA_512.credentialFromPassword("pw", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_512, "jörg ✓", "pw", "cnonce");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_512);
        server.evaluate(client.last(text(server.evaluate(client.first()))));
        assertEquals("jörg ✓", server.username());
    }

    @Test
    void storedIterationCountsOutsideKafkasBoundsAreRefused() {
        for (int iterations : new int[] {1, 4095, 16385, Integer.MAX_VALUE}) {
            ScramCredential stored = new ScramCredential(bytes("s"), new byte[32], new byte[32], iterations);
            ScramServerExchange server = new ScramServerExchange(ScramMechanism.SCRAM_SHA_256, u -> Optional.of(stored));
            assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertRefused(GENERIC_256, server, bytes("n,,n=alice,r=x")));
            assertTrue(server.failureReason().contains(Integer.toString(iterations)), server.failureReason());
        }
    }

    @Test
    void aHugeMessageCostsLinearTimeAndNoStack() {
        String name = "a=2C".repeat(250_000);
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRefused(GENERIC_256, server, bytes("n,,n=" + name + ",r=x")));
        ScramServerExchange s2 = server(ScramMechanism.SCRAM_SHA_256);
        assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertRefused(GENERIC_256, s2, bytes("n,,n=alice,r=x" + ",e=1".repeat(200_000) + ",")));
    }

    @Test
    void aStorageFailureIsARefusalNotACrash() {
        ScramServerExchange server = new ScramServerExchange(ScramMechanism.SCRAM_SHA_256, u -> {
            throw new IllegalStateException("database is down");
        });
        assertRefused(GENERIC_256, server, bytes("n,,n=alice,r=x"));
        assertTrue(server.failureReason().contains("database is down"), server.failureReason());
    }

    @Test
    void nothingIsAcceptedAfterTheEnd() throws Exception {
        users.put("alice", ScramMechanism.SCRAM_SHA_256.credentialFromPassword("alice-secret", bytes("s"), 4096));
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "alice", "alice-secret", "cnonce");
        ScramServerExchange server = server(ScramMechanism.SCRAM_SHA_256);
        byte[] last = client.last(text(server.evaluate(client.first())));
        server.evaluate(last);
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class, () -> server.evaluate(last));
        assertEquals("Unexpected challenge in Sasl server state COMPLETE", e.getMessage());
        assertFalse(server.isComplete(), "a client that goes on has failed");

        ScramServerExchange failed = server(ScramMechanism.SCRAM_SHA_256);
        assertThrows(AuthenticationFailedException.class, () -> failed.evaluate(bytes("garbage")));
        e = assertThrows(AuthenticationFailedException.class, () -> failed.evaluate(client.first()));
        assertEquals("Unexpected challenge in Sasl server state FAILED", e.getMessage());
    }

    private static void assertRefused(String clientMessage, ScramServerExchange server, byte[] message) {
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class, () -> server.evaluate(message));
        assertEquals(clientMessage, e.getMessage());
        assertFalse(server.isComplete());
    }

    /** A SCRAM client as RFC 5802 describes it, with knobs to misbehave. */
    private static final class Client {
        private final ScramMechanism mechanism;
        private final String user;
        private final String password;
        private final String nonce;
        String gs2Header = "n,,";
        String extensions = "";
        String nonceOverride;
        String bindingOverride;
        private String authMessage;
        private byte[] saltedPassword;

        Client(ScramMechanism mechanism, String user, String password, String nonce) {
            this.mechanism = mechanism;
            this.user = user;
            this.password = password;
            this.nonce = nonce;
        }

        String bare() {
            return "n=" + ScramMessages.encodeSaslName(user) + ",r=" + nonce + extensions;
        }

        byte[] first() {
            return bytes(gs2Header + bare());
        }

        byte[] last(String serverFirst) {
            Map<String, String> attributes = new HashMap<>();
            for (String part : serverFirst.split(",")) {
                if (part.length() > 2) {
                    attributes.put(part.substring(0, 1), part.substring(2));
                }
            }
            saltedPassword = mechanism.saltedPassword(password, Base64.getDecoder().decode(attributes.getOrDefault("s", "")),
                    Integer.parseInt(attributes.getOrDefault("i", "4096")));
            String binding = bindingOverride != null ? bindingOverride
                    : Base64.getEncoder().encodeToString(bytes(gs2Header));
            String withoutProof = "c=" + binding + ",r=" + (nonceOverride != null ? nonceOverride : attributes.get("r"));
            authMessage = bare() + "," + serverFirst + "," + withoutProof;
            return bytes(withoutProof + ",p="
                    + Base64.getEncoder().encodeToString(mechanism.clientProof(saltedPassword, authMessage)));
        }

        String expectedServerFinal() {
            return "v=" + Base64.getEncoder().encodeToString(
                    mechanism.signature(mechanism.serverKey(saltedPassword), authMessage));
        }
    }

    @Test
    void theClientHelperAgreesWithTheRfc() {
        // guards the helper the other tests lean on
        Client client = new Client(ScramMechanism.SCRAM_SHA_256, "user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        byte[] last = client.last("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertArrayEquals(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="), last);
    }
}
