package dev.pgkafka.application.service.security.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.application.service.security.BearerTokenValidator.ValidatedToken;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;
import dev.pgkafka.domain.security.oauth.JsonWebKeySet;
import dev.pgkafka.domain.security.oauth.JwtRules;

/** The JWKS-mode validator: principal and expiry, a second try after a refresh for an unknown key id. */
class JwtBearerTokenValidatorTest {
    private static final KeyPair A = Tokens.rsa();
    private static final KeyPair B = Tokens.rsa();

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Tokens.NOW_S * 1000);

    /** Keys the test hands out, counting the refreshes asked for. */
    private static final class Keys implements JwksSource {
        JsonWebKeySet current;
        JsonWebKeySet next;
        final List<String> refreshesFor = new ArrayList<>();
        boolean closed;

        Keys(String jwks) {
            current = JsonWebKeySet.parse(jwks);
        }

        @Override
        public JsonWebKeySet keys() {
            return current;
        }

        @Override
        public Optional<JsonWebKeySet> refreshForUnknownKey(String keyId) {
            refreshesFor.add(keyId);
            if (next == null) {
                return Optional.empty();
            }
            current = next;
            next = null;
            return Optional.of(current);
        }

        @Override
        public String location() {
            return "test";
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void saysWhoTheTokenNamesAndUntilWhen() throws Exception {
        Keys keys = new Keys(Tokens.jwks(Tokens.jwk(A, "a")));
        JwtBearerTokenValidator validator = new JwtBearerTokenValidator(JwtRules.defaults(), keys, clock);
        ValidatedToken token = validator.validate(Tokens.rs256(A, "a",
                "{\"sub\":\"alice\",\"iat\":" + Tokens.NOW_S + ",\"exp\":" + (Tokens.NOW_S + 60) + ",\"scope\":\"x y\"}"));
        assertEquals(new ValidatedToken(KafkaPrincipal.user("alice"), (Tokens.NOW_S + 60) * 1000, Set.of("x", "y")), token);
        validator.close();
        assertEquals(true, keys.closed);
    }

    @Test
    void anUnknownKeyIdIsTriedAgainAfterARefresh() throws Exception {
        Keys keys = new Keys(Tokens.jwks(Tokens.jwk(A, "a")));
        JwtBearerTokenValidator validator = new JwtBearerTokenValidator(JwtRules.defaults(), keys, clock);
        keys.next = JsonWebKeySet.parse(Tokens.jwks(Tokens.jwk(A, "a"), Tokens.jwk(B, "b")));
        assertEquals(KafkaPrincipal.user("bob"), validator.check(Tokens.rs256(B, "b", Tokens.claims("bob"))).principal());
        assertEquals(List.of("b"), keys.refreshesFor);

        // no new keys to be had: refused as an unknown key
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> validator.check(Tokens.rs256(B, "c", Tokens.claims("carol"))));
        assertEquals(InvalidTokenException.Reason.UNKNOWN_KEY, e.reason());
        assertEquals(List.of("b", "c"), keys.refreshesFor);

        // other failures do not refresh
        assertThrows(InvalidTokenException.class, () -> validator.check(Tokens.rs256(B, "a", Tokens.claims("mallory"))));
        assertEquals(List.of("b", "c"), keys.refreshesFor);
    }

    @Test
    void aRefusedTokensMessageIsWhatTheClientIsTold() {
        JwtBearerTokenValidator validator = new JwtBearerTokenValidator(JwtRules.defaults(),
                new Keys(Tokens.jwks(Tokens.jwk(A, "a"))), clock);
        clock.advance(3600 * 1000);
        AuthenticationFailedException e = assertThrows(AuthenticationFailedException.class,
                () -> validator.validate(Tokens.rs256(A, "a", Tokens.claims("alice"))));
        assertEquals("{\"status\":\"invalid_token\"}", e.getMessage());
    }

    @Test
    void opensTheSourceTheSettingsName() throws Exception {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, Tokens.jwks(Tokens.jwk(A, "a")));
        OAuthBearerSettings settings = OAuthBearerSettings.fromProperties(
                Map.of("sasl.oauthbearer.jwks.endpoint.url", file.toUri().toString(),
                        "sasl.oauthbearer.sub.claim.name", "client_id"), Map.of(), null, null);
        try (OAuthBearerTokenValidator validator = OAuthBearerTokenValidator.open(settings, clock)) {
            assertEquals(JwtBearerTokenValidator.class, validator.getClass());
            assertEquals(KafkaPrincipal.user("svc"), validator.validate(Tokens.rs256(A, "a",
                    "{\"client_id\":\"svc\",\"iat\":" + Tokens.NOW_S + ",\"exp\":" + (Tokens.NOW_S + 60) + "}")).principal());
        }
        String relative = Path.of("").toAbsolutePath().relativize(file).toString();
        try (OAuthBearerTokenValidator validator = OAuthBearerTokenValidator.open(OAuthBearerSettings.fromProperties(
                Map.of("sasl.oauthbearer.jwks.endpoint.url", "file:" + relative), Map.of(), null, null), clock)) {
            assertEquals(KafkaPrincipal.user("alice"), validator.validate(Tokens.rs256(A, "a", Tokens.claims("alice")))
                    .principal(), "file:relative/path is relative to the working directory");
        }
        try (OAuthBearerTokenValidator validator = OAuthBearerTokenValidator.open(
                OAuthBearerSettings.unsecured(dev.pgkafka.domain.security.oauth.UnsecuredRules.defaults()), clock)) {
            assertEquals(KafkaPrincipal.user("dev"), validator.validate(Tokens.unsecured(Tokens.claims("dev"))).principal());
            assertThrows(AuthenticationFailedException.class, () -> validator.validate(Tokens.rs256(A, "a",
                    Tokens.claims("alice"))));
        }
    }
}
