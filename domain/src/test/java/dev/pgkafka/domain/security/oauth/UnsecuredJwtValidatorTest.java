package dev.pgkafka.domain.security.oauth;

import static dev.pgkafka.domain.security.oauth.Jwts.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.oauth.InvalidTokenException.Reason;

/** Kafka's unsecured validator: alg none only, exp and iat with the skew in milliseconds, required scope. */
class UnsecuredJwtValidatorTest {
    private static final long NOW_MS = 1_700_000_000_000L;
    private final TestClock clock = new TestClock(NOW_MS);
    private UnsecuredJwtValidator validator = new UnsecuredJwtValidator(UnsecuredRules.defaults(), clock);

    private static String claims(String extra) {
        return "{\"sub\":\"alice\",\"iat\":1700000000,\"exp\":1700003600" + extra + "}";
    }

    private InvalidTokenException refused(String token, Reason reason, String messagePart) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> validator.validate(token));
        assertEquals(reason, e.reason(), e::getMessage);
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
        return e;
    }

    @Test
    void acceptsAnUnsecuredToken() throws Exception {
        ValidatedJwt jwt = validator.validate(Jwts.unsecured(claims(",\"scope\":[\"a\",\" b \",\"\"]")));
        assertEquals("alice", jwt.principalName());
        assertEquals(1_700_003_600_000L, jwt.expiresAtMs());
        assertEquals(Set.of("a", "b"), jwt.scopes());
    }

    @Test
    void refusesSignedTokensAndSignatures() {
        String signed = Jwts.rs256(Jwts.rsa(2048), "k", claims(""));
        refused(signed, Reason.ALGORITHM, "Unsecured JWS must have 'none' for an algorithm");
        refused(Jwts.unsecured(claims("")) + "c2ln", Reason.MALFORMED, "Unsecured JWS must not contain a digital signature");
        refused(b64("{\"alg\":\"none\"}") + ".." + b64(claims("")), Reason.MALFORMED, "contains '..'");
        refused(b64("{\"alg\":\"none\"}") + "." + b64(claims("")), Reason.MALFORMED, "must have 3 dot-separated");
    }

    @Test
    void checksTimesWithTheSkewInMilliseconds() throws Exception {
        String token = Jwts.unsecured(claims(""));
        clock.nowMs = 1_700_003_600_000L;
        refused(token, Reason.CLAIMS, "The indicated time (1700003600000 ms) minus allowable clock skew (0 ms) was on or "
                + "after the Expiration Time value (1700003600.000000 seconds)");
        validator = new UnsecuredJwtValidator(new UnsecuredRules("sub", "scope", List.of(), 1000, 65536), clock);
        validator.validate(token);
        clock.nowMs = NOW_MS - 1001;
        refused(token, Reason.CLAIMS, "The Issued At value (1700000000.000000 seconds) was after the indicated time");
        clock.nowMs = NOW_MS;
        refused(Jwts.unsecured("{\"sub\":\"a\",\"iat\":1700000000,\"exp\":1700000000}"), Reason.CLAIMS,
                "The Expiration Time time (1700000000.000000 seconds) was not after the Issued At time");
        refused(Jwts.unsecured("{\"sub\":\"a\",\"iat\":1700000000.9,\"exp\":1700000000.5}"), Reason.CLAIMS,
                "The Expiration Time time (1700000000.500000 seconds) was not after the Issued At time (1700000000.900000");
        refused(Jwts.unsecured("{\"sub\":\"a\"}"), Reason.CLAIMS, "No expiration time in JWT");
    }

    @Test
    void thePrincipalClaimIsConfigurable() throws Exception {
        refused(Jwts.unsecured("{\"exp\":1700003600}"), Reason.CLAIMS, "No principal name in JWT claim: sub");
        refused(Jwts.unsecured("{\"sub\":1,\"exp\":1700003600}"), Reason.MALFORMED, "The 'sub' claim was not of type String");
        validator = new UnsecuredJwtValidator(new UnsecuredRules(" user ", "scope", List.of(), 0, 65536), clock);
        assertEquals("bob", validator.validate(Jwts.unsecured("{\"user\":\"bob\",\"exp\":1700003600}")).principalName());
    }

    @Test
    void aMissingRequiredScopeIsAnsweredWithTheScope() throws Exception {
        validator = new UnsecuredJwtValidator(new UnsecuredRules("sub", "scope",
                UnsecuredRules.parseScope(" produce  consume "), 0, 65536), clock);
        validator.validate(Jwts.unsecured(claims(",\"scope\":\"consume produce admin\"")));
        InvalidTokenException e = refused(Jwts.unsecured(claims(",\"scope\":[\"produce\"]")), Reason.INSUFFICIENT_SCOPE,
                "was missing a required scope (consume)");
        assertEquals("insufficient_scope", e.errorStatus());
        assertEquals("{\"status\":\"insufficient_scope\", \"scope\":\"[produce, consume]\"}", e.errorResponse());
    }

    @Test
    void optionsAreValidatedAsKafkaDoes() {
        assertThrows(IllegalArgumentException.class, () -> new UnsecuredRules(" ", "scope", List.of(), 0, 1));
        IllegalArgumentException scope = assertThrows(IllegalArgumentException.class,
                () -> new UnsecuredRules("sub", "scope", List.of("a\"b"), 0, 1));
        assertEquals("Invalid scope value: a\"b", scope.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new UnsecuredRules("sub", "scope", List.of(), -1, 1));
    }
}
