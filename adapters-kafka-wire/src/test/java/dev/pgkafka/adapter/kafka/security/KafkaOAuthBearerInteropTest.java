package dev.pgkafka.adapter.kafka.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;

import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensions;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerExtensionsValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerValidatorCallback;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerClientInitialResponse;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslClient;
import org.apache.kafka.common.security.oauthbearer.internals.OAuthBearerSaslServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pgkafka.application.service.security.BearerTokenValidator.ValidatedToken;
import dev.pgkafka.application.service.security.oauth.FileJwksSource;
import dev.pgkafka.application.service.security.oauth.JwtBearerTokenValidator;
import dev.pgkafka.application.service.security.oauth.OAuthBearerExchange;
import dev.pgkafka.application.service.security.oauth.OAuthBearerTokenValidator;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.ClientInitialResponse;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;
import dev.pgkafka.domain.security.oauth.JwtRules;

/**
 * Our OAUTHBEARER exchange against kafka-clients 4.3.1's own classes: Kafka's SASL client logs in to
 * it, and Kafka's SASL server, given the same validator, answers every message sequence as it does.
 */
class KafkaOAuthBearerInteropTest {
    private static final KeyPair KEY = rsa();
    private static final long NOW_S = System.currentTimeMillis() / 1000;

    @TempDir
    Path dir;
    private OAuthBearerTokenValidator validator;

    @BeforeEach
    void keys() throws Exception {
        Path jwks = dir.resolve("jwks.json");
        RSAPublicKey key = (RSAPublicKey) KEY.getPublic();
        Files.writeString(jwks, "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k\",\"n\":\"" + b64(unsigned(key.getModulus()))
                + "\",\"e\":\"" + b64(unsigned(key.getPublicExponent())) + "\"}]}");
        validator = new JwtBearerTokenValidator(JwtRules.defaults(), new FileJwksSource(jwks, Clock.systemUTC()),
                Clock.systemUTC());
    }

    @Test
    void kafkasClientLogsIn() throws Exception {
        String token = token("alice", NOW_S + 600);
        OAuthBearerSaslClient client = new OAuthBearerSaslClient(new ClientCallbacks(token, Map.of("traceId", "t-1")));
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);

        byte[] first = client.evaluateChallenge(new byte[0]);
        byte[] answer = exchange.evaluate(first);
        assertArrayEquals(new byte[0], answer);
        client.evaluateChallenge(answer);
        assertTrue(client.isComplete());
        assertTrue(exchange.isComplete());
        assertEquals(KafkaPrincipal.user("alice"), exchange.principal());
        assertEquals((NOW_S + 600) * 1000, exchange.credentialExpiresAtMs());
    }

    @Test
    void kafkasClientAcknowledgesOurErrorAndTheLoginFails() throws Exception {
        OAuthBearerSaslClient client = new OAuthBearerSaslClient(new ClientCallbacks(token("alice", NOW_S - 600), Map.of()));
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);

        byte[] challenge = exchange.evaluate(client.evaluateChallenge(new byte[0]));
        assertEquals("{\"status\":\"invalid_token\"}", new String(challenge, StandardCharsets.UTF_8));
        byte[] acknowledgement = client.evaluateChallenge(challenge);
        assertArrayEquals(new byte[] {0x01}, acknowledgement);
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(acknowledgement));
        assertEquals("{\"status\":\"invalid_token\"}", e.getMessage());
    }

    @Test
    void readsInitialResponsesAsKafkaDoes() throws Exception {
        String jwt = token("alice", NOW_S + 600);
        List<String> messages = List.of(
                "n,,\u0001auth=Bearer " + jwt + "\u0001\u0001",
                "n,a=alice,\u0001auth=Bearer " + jwt + "\u0001\u0001",
                "n,a=al=2Cice,\u0001auth=bearer   tok-_~+/.en==\u0001\u0001",
                "n,,\u0001traceId=a b=c\u0001auth=Bearer t\u0001cluster=lkc-1\u0001\u0001",
                "n,,\u0001auth=Bearer first\u0001auth=Bearer second\u0001\u0001",
                "n,,\u0001\u0001", "n,,\u0001x=y\u0001\u0001", "n,,\u0001auth=Bearer a b\u0001\u0001",
                "n,,\u0001auth=Basic dXNlcjpwYXNz\u0001\u0001", "n,,\u0001auth=Bearer\u0001\u0001",
                "", "n,,", "n,,\u0001", "y,,\u0001auth=Bearer t\u0001\u0001", "n,a=,\u0001auth=Bearer t\u0001\u0001",
                "n,a=b=2D,\u0001auth=Bearer t\u0001\u0001", "n,,\u0001auth=Bearer t\u0001",
                "n,,\u0001auth=Bearer t\u0001\u0001\u0001", "n,,auth=Bearer t\u0001\u0001",
                "n,,\u0001auth=Bearer t\u0001x\u0001\u0001", "n,,\u0001au1th=Bearer t\u0001\u0001",
                "n,,\u0001=Bearer t\u0001\u0001", "n,,\u0001auth=\u0001\u0001", "n,,\u0001auth=Bearer t\u0000\u0001\u0001",
                "n,,\u0001auth=Bearer t\u00e9\u0001\u0001", "n,a=\u00e9,\u0001auth=Bearer t\u0001\u0001",
                "n,a=x\u0001y,\u0001auth=Bearer t\u0001\u0001", "n,,\u0001auth=Bearer t\u0001k=\t\r\n \u0001\u0001",
                "n,,\u0001auth=Bearer t\u0001k=\u007f\u0001\u0001", "n,a=\u007f,\u0001auth=Bearer t\u0001\u0001");
        List<String> differences = new ArrayList<>();
        for (String text : messages) {
            byte[] message = text.getBytes(StandardCharsets.UTF_8);
            String ours;
            try {
                ClientInitialResponse r = ClientInitialResponse.parse(message);
                ours = r.authorizationId() + "|" + r.token() + "|" + r.extensions();
            } catch (IllegalArgumentException e) {
                ours = "refused";
            }
            String kafka;
            try {
                OAuthBearerClientInitialResponse r = new OAuthBearerClientInitialResponse(message);
                kafka = r.authorizationId() + "|" + r.tokenValue() + "|" + r.extensions().map();
            } catch (Exception e) {
                kafka = "refused";
            }
            if (!ours.equals(kafka)) {
                differences.add(text.replace("\u0001", "^A") + ": ours " + ours + ", Kafka's " + kafka);
            }
        }
        assertEquals(List.of(), differences);
    }

    @Test
    void answersEveryMessageSequenceAsKafkasServerDoes() throws Exception {
        String valid = token("alice", NOW_S + 600);
        String expired = token("alice", NOW_S - 600);
        byte[] ack = {0x01};
        List<List<byte[]>> sequences = List.of(
                List.of(initial("", valid)),
                List.of(initial("alice", valid)),
                List.of(initial("bob", valid)),
                List.of(initial("", expired)),
                List.of(initial("", expired), ack),
                List.of(initial("", expired), initial("", valid)),
                List.of(initial("", expired), ack.clone(), ack),
                List.of(ack),
                List.of(initial("", "not-a-jwt")),
                List.of(initial("", "not-a-jwt"), ack),
                List.of("garbage".getBytes(StandardCharsets.US_ASCII)),
                List.of(new byte[0]),
                List.of("n,,\u0001auth=Basic abc\u0001\u0001".getBytes(StandardCharsets.US_ASCII)));
        for (List<byte[]> sequence : sequences) {
            assertEquals(play(new KafkaSide(new OAuthBearerSaslServer(new ServerCallbacks(validator))), sequence),
                    play(new OurSide(new OAuthBearerExchange(validator)), sequence),
                    () -> "sequence " + sequence.stream().map(b -> new String(b, StandardCharsets.UTF_8)
                            .replace("\u0001", "^A")).toList());
        }
    }

    private static byte[] initial(String authzid, String token) {
        return ("n," + (authzid.isEmpty() ? "" : "a=" + authzid) + ",\u0001auth=Bearer " + token + "\u0001\u0001")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** What each message is answered with, until the login fails or completes. */
    private static List<String> play(Side side, List<byte[]> sequence) {
        List<String> transcript = new ArrayList<>();
        for (byte[] message : sequence) {
            try {
                byte[] answer = side.evaluate(message);
                transcript.add("answer " + new String(answer, StandardCharsets.UTF_8));
                if (side.complete()) {
                    transcript.add("complete as " + side.principalName());
                    break;
                }
            } catch (ClientMessage e) {
                transcript.add("failed: " + e.getMessage());
                break;
            }
        }
        return transcript;
    }

    /** A login failure with what the client is told. */
    private static final class ClientMessage extends Exception {
        private static final long serialVersionUID = 1L;

        ClientMessage(String message) {
            super(message);
        }
    }

    private interface Side {
        byte[] evaluate(byte[] message) throws ClientMessage;

        boolean complete();

        String principalName();
    }

    private record OurSide(OAuthBearerExchange exchange) implements Side {
        @Override
        public byte[] evaluate(byte[] message) throws ClientMessage {
            try {
                return exchange.evaluate(message);
            } catch (AuthenticationFailedException e) {
                throw new ClientMessage(e.getMessage());
            }
        }

        @Override
        public boolean complete() {
            return exchange.isComplete();
        }

        @Override
        public String principalName() {
            return exchange.principal().name();
        }
    }

    /**
     * Kafka's server, and what Kafka's SaslServerAuthenticator tells the client: a
     * SaslAuthenticationException's message, or a generic message for any other SaslException.
     */
    private record KafkaSide(OAuthBearerSaslServer server) implements Side {
        @Override
        public byte[] evaluate(byte[] message) throws ClientMessage {
            try {
                return server.evaluateResponse(message);
            } catch (org.apache.kafka.common.errors.SaslAuthenticationException e) {
                throw new ClientMessage(e.getMessage());
            } catch (Exception e) {
                throw new ClientMessage(OAuthBearerExchange.INVALID_CREDENTIALS);
            }
        }

        @Override
        public boolean complete() {
            return server.isComplete();
        }

        @Override
        public String principalName() {
            return server.getAuthorizationID();
        }
    }

    /** Kafka's validator callbacks answered by our validator. */
    private record ServerCallbacks(OAuthBearerTokenValidator validator) implements AuthenticateCallbackHandler {
        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof OAuthBearerValidatorCallback validation) {
                    try {
                        ValidatedToken token = validator.check(validation.tokenValue());
                        validation.token(new Token(validation.tokenValue(), token.principal().name(),
                                token.expiresAtMs(), token.scopes()));
                    } catch (InvalidTokenException e) {
                        validation.error(e.errorStatus(), e.errorScope().orElse(null), null);
                    }
                } else if (callback instanceof OAuthBearerExtensionsValidatorCallback extensions) {
                    extensions.inputExtensions().map().keySet().forEach(extensions::valid);
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
        }

        @Override
        public void close() {
        }
    }

    /** The token Kafka's client sends, and its extensions. */
    private record ClientCallbacks(String jwt, Map<String, String> extensions) implements AuthenticateCallbackHandler {
        @Override
        public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof OAuthBearerTokenCallback tokenCallback) {
                    tokenCallback.token(new Token(jwt, "client", Long.MAX_VALUE, Set.of()));
                } else if (callback instanceof SaslExtensionsCallback extensionsCallback) {
                    extensionsCallback.extensions(new SaslExtensions(extensions));
                } else {
                    throw new UnsupportedCallbackException(callback);
                }
            }
        }

        @Override
        public void configure(Map<String, ?> configs, String mechanism, List<AppConfigurationEntry> entries) {
        }

        @Override
        public void close() {
        }
    }

    private record Token(String value, String principalName, long lifetimeMs, Set<String> scope)
            implements OAuthBearerToken {
        @Override
        public Long startTimeMs() {
            return null;
        }
    }

    private static String token(String sub, long exp) {
        String input = b64("{\"alg\":\"RS256\",\"kid\":\"k\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64(("{\"sub\":\"" + sub + "\",\"iat\":" + (NOW_S - 700) + ",\"exp\":" + exp + "}")
                .getBytes(StandardCharsets.UTF_8));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(KEY.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
