package dev.pgkafka.application.service.security.oauth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.JsonWebKeySet;
import dev.pgkafka.domain.security.oauth.JwtRules;
import dev.pgkafka.domain.security.oauth.UnsecuredRules;

/** The OAUTHBEARER server exchange byte for byte, as Kafka's OAuthBearerSaslServer answers. */
class OAuthBearerExchangeTest {
    private static final KeyPair KEY = Tokens.rsa();
    private static final byte[] CONTROL_A = {0x01};
    private final MutableClock clock = new MutableClock(Tokens.NOW_S * 1000);
    private final OAuthBearerTokenValidator validator = new JwtBearerTokenValidator(JwtRules.defaults(),
            new FixedKeys(JsonWebKeySet.parse(Tokens.jwks(Tokens.jwk(KEY, "k")))), clock);

    private record FixedKeys(JsonWebKeySet keys) implements JwksSource {
        @Override
        public Optional<JsonWebKeySet> refreshForUnknownKey(String keyId) {
            return Optional.empty();
        }

        @Override
        public String location() {
            return "test";
        }

        @Override
        public void close() {
        }
    }

    private static byte[] initialResponse(String authzid, String token, String extensions) {
        return ("n," + (authzid.isEmpty() ? "" : "a=" + authzid) + ",\u0001auth=Bearer " + token + extensions
                + "\u0001\u0001").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void aValidTokenCompletesTheLoginWithAnEmptyAnswer() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        assertEquals("OAUTHBEARER", exchange.mechanism());
        assertFalse(exchange.isComplete());
        String token = Tokens.rs256(KEY, "k", "{\"sub\":\"alice\",\"iat\":" + Tokens.NOW_S + ",\"exp\":"
                + (Tokens.NOW_S + 900) + ",\"scope\":[\"a\"]}");
        assertArrayEquals(new byte[0], exchange.evaluate(initialResponse("", token, "\u0001traceId=42")));
        assertTrue(exchange.isComplete());
        assertEquals(KafkaPrincipal.user("alice"), exchange.principal());
        assertEquals((Tokens.NOW_S + 900) * 1000, exchange.credentialExpiresAtMs(), "KIP-368: the session ends with the token");
        assertEquals(Set.of("a"), exchange.scopes());
        assertThrows(IllegalStateException.class, () -> exchange.evaluate(CONTROL_A));
    }

    @Test
    void anInvalidTokenIsAnsweredWithTheErrorJsonThenFailsOnTheClientsAcknowledgement() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        clock.advance(3600 * 1000); // expired
        byte[] challenge = exchange.evaluate(initialResponse("", Tokens.rs256(KEY, "k", Tokens.claims("alice")), ""));
        assertArrayEquals("{\"status\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8), challenge);
        assertFalse(exchange.isComplete());
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> exchange.evaluate(CONTROL_A));
        assertEquals("{\"status\":\"invalid_token\"}", e.getMessage());
        assertThrows(IllegalStateException.class, exchange::principal);
    }

    @Test
    void aClientMaySendANewInitialResponseInsteadOfTheAcknowledgement() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(validator);
        exchange.evaluate(initialResponse("", "not.a.jwt", ""));
        assertArrayEquals(new byte[0], exchange.evaluate(initialResponse("", Tokens.rs256(KEY, "k", Tokens.claims("bob")), "")));
        assertEquals(KafkaPrincipal.user("bob"), exchange.principal());
    }

    @Test
    void anAcknowledgementWithoutAnErrorIsNotAnInitialResponse() {
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> new OAuthBearerExchange(validator).evaluate(CONTROL_A));
        assertEquals("Authentication failed during authentication due to invalid credentials with SASL mechanism "
                + "OAUTHBEARER", e.getMessage());
    }

    @Test
    void garbageFailsWithKafkasGenericMessage() {
        for (byte[] garbage : List.of(new byte[0], "hello".getBytes(StandardCharsets.US_ASCII),
                "n,,\u0001auth=Basic YWxpY2U6cHc=\u0001\u0001".getBytes(StandardCharsets.US_ASCII),
                "n,,\u0001\u0001".getBytes(StandardCharsets.US_ASCII))) {
            AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                    () -> new OAuthBearerExchange(validator).evaluate(garbage));
            assertEquals(OAuthBearerExchange.INVALID_CREDENTIALS, e.getMessage());
        }
    }

    @Test
    void anAuthorizationIdMustBeTheTokensPrincipal() throws Exception {
        String token = Tokens.rs256(KEY, "k", Tokens.claims("alice"));
        OAuthBearerExchange same = new OAuthBearerExchange(validator);
        same.evaluate(initialResponse("alice", token, ""));
        assertEquals(KafkaPrincipal.user("alice"), same.principal());

        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> new OAuthBearerExchange(validator).evaluate(initialResponse("admin", token, "")));
        assertEquals("Authentication failed: Client requested an authorization id (admin) that is different from the "
                + "token's principal name (alice)", e.getMessage());
    }

    @Test
    void anUnsecuredListenerAnswersAMissingScopeWithTheScope() throws Exception {
        OAuthBearerExchange exchange = new OAuthBearerExchange(new UnsecuredBearerTokenValidator(
                new UnsecuredRules("sub", "scope", List.of("produce"), 0, 65536), clock));
        byte[] challenge = exchange.evaluate(initialResponse("", Tokens.unsecured(Tokens.claims("dev")), ""));
        assertEquals("{\"status\":\"insufficient_scope\", \"scope\":\"[produce]\"}",
                new String(challenge, StandardCharsets.UTF_8));
        assertEquals("{\"status\":\"insufficient_scope\", \"scope\":\"[produce]\"}",
                assertThrows(AuthenticationFailedException.class, () -> exchange.evaluate(CONTROL_A)).getMessage());
    }

    @Test
    void aValidatorBugFailsTheLoginWithoutDetails() {
        OAuthBearerTokenValidator broken = new JwtBearerTokenValidator(JwtRules.defaults(), new FixedKeys(null), clock);
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class, () ->
                new OAuthBearerExchange(broken).evaluate(initialResponse("", Tokens.rs256(KEY, "k", Tokens.claims("a")), "")));
        assertEquals(OAuthBearerExchange.INVALID_CREDENTIALS, e.getMessage());
    }
}
