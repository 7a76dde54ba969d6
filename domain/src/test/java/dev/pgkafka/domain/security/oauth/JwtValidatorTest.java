package dev.pgkafka.domain.security.oauth;

import static dev.pgkafka.domain.security.oauth.Jwts.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.oauth.InvalidTokenException.Reason;

/**
 * The secured validator's matrix: valid RS256 and ES256 tokens, each way a token can be out of
 * time, aimed elsewhere, unsigned, signed wrongly, or malformed, with the reason it is refused.
 */
class JwtValidatorTest {
    private static final long NOW_S = 1_700_000_000L;
    private static final KeyPair RSA = Jwts.rsa(2048);
    private static final KeyPair OTHER_RSA = Jwts.rsa(2048);
    private static final KeyPair EC = Jwts.ec("secp256r1");
    private static final JsonWebKeySet KEYS = JsonWebKeySet.parse(Jwts.jwks(
            Jwts.rsaJwk(RSA, "rsa-1", "\"use\":\"sig\",\"alg\":\"RS256\","),
            Jwts.ecJwk(EC, "ec-1", "")));

    private final TestClock clock = new TestClock(NOW_S * 1000);
    private JwtValidator validator = new JwtValidator(JwtRules.defaults(), clock);

    private static String claims(String extra) {
        return "{\"sub\":\"alice\",\"iat\":" + (NOW_S - 10) + ",\"exp\":" + (NOW_S + 300) + extra + "}";
    }

    private ValidatedJwt valid(String token) throws InvalidTokenException {
        return validator.validate(token, KEYS);
    }

    private InvalidTokenException refused(String token, Reason reason, String messagePart) {
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> validator.validate(token, KEYS));
        assertEquals(reason, e.reason(), e::getMessage);
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
        assertEquals("{\"status\":\"invalid_token\"}", e.errorResponse());
        return e;
    }

    @Test
    void acceptsAnRs256TokenAndSaysWhoAndUntilWhen() throws Exception {
        ValidatedJwt jwt = valid(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":\"read write\",\"iss\":\"https://idp\"")));
        assertEquals("alice", jwt.principalName());
        assertEquals((NOW_S + 300) * 1000, jwt.expiresAtMs());
        assertEquals(OptionalLong.of((NOW_S - 10) * 1000), jwt.issuedAtMs());
        assertEquals(Set.of("read", "write"), jwt.scopes());
        assertEquals(Optional.of("https://idp"), jwt.issuer());
        assertEquals(Optional.of("rsa-1"), jwt.keyId());
    }

    @Test
    void acceptsAnEs256Token() throws Exception {
        assertEquals("alice", valid(Jwts.es256(EC, "ec-1", claims(""))).principalName());
    }

    @Test
    void refusesAnEs256TokenWithADerEncodedSignature() {
        String der = Jwts.sign("{\"alg\":\"ES256\",\"kid\":\"ec-1\"}", claims(""), EC.getPrivate(), "SHA256withECDSA");
        refused(der, Reason.SIGNATURE, "An ES256 signature is 64 bytes (R || S)");
    }

    @Test
    void expiryCountsTheClockSkew() throws Exception {
        String token = Jwts.rs256(RSA, "rsa-1", claims(""));
        clock.nowMs = (NOW_S + 300 + 29) * 1000; // 29 s past exp, within the default 30 s of skew
        valid(token);
        clock.nowMs = (NOW_S + 300 + 30) * 1000;
        refused(token, Reason.CLAIMS, "The JWT is no longer valid - the evaluation time " + (NOW_S + 330)
                + " is on or after the Expiration Time (exp=" + (NOW_S + 300) + ") claim value (even when providing "
                + "30 seconds of leeway to account for clock skew).");

        validator = new JwtValidator(JwtRules.defaults().withClockSkewSeconds(0), clock);
        clock.nowMs = (NOW_S + 300) * 1000;
        refused(token, Reason.CLAIMS, "claim value.");
        clock.nowMs = (NOW_S + 300) * 1000 - 1;
        valid(token);
    }

    @Test
    void refusesTokensNotYetValid() throws Exception {
        valid(Jwts.rs256(RSA, "rsa-1", claims(",\"nbf\":" + (NOW_S + 30))));
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"nbf\":" + (NOW_S + 31))), Reason.CLAIMS,
                "The JWT is not yet valid as the evaluation time " + NOW_S + " is before the Not Before (nbf="
                        + (NOW_S + 31) + ") claim time");
        String issuedInTheFuture = "{\"sub\":\"alice\",\"iat\":" + (NOW_S + 31) + ",\"exp\":" + (NOW_S + 300) + "}";
        refused(Jwts.rs256(RSA, "rsa-1", issuedInTheFuture), Reason.CLAIMS, "The Issued At (iat=" + (NOW_S + 31)
                + ") claim value is after the evaluation time " + NOW_S);
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"a\",\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 10) + ",\"nbf\":"
                + (NOW_S + 20) + "}"), Reason.CLAIMS, "cannot be before the Not Before");
    }

    @Test
    void requiresExpAndIatAsKafkaDoes() {
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"alice\",\"iat\":" + NOW_S + "}"), Reason.CLAIMS,
                "No Expiration Time (exp) claim present.");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"alice\",\"exp\":" + (NOW_S + 60) + "}"), Reason.CLAIMS,
                "No Issued At (iat) claim present.");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"alice\",\"iat\":" + NOW_S + ",\"exp\":\"tomorrow\"}"),
                Reason.MALFORMED, "The value of the 'exp' claim is not a NumericDate");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"alice\",\"iat\":" + NOW_S + ",\"exp\":1e30}"),
                Reason.MALFORMED, "out of range");
    }

    @Test
    void acceptsFractionalNumericDates() throws Exception {
        ValidatedJwt jwt = valid(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"a\",\"iat\":" + NOW_S + ".25,\"exp\":"
                + (NOW_S + 60) + ".5}"));
        assertEquals((NOW_S + 60) * 1000 + 500, jwt.expiresAtMs());
    }

    @Test
    void checksTheIssuerOnlyWhenOneIsExpected() throws Exception {
        valid(Jwts.rs256(RSA, "rsa-1", claims(",\"iss\":\"https://anyone\"")));
        validator = new JwtValidator(JwtRules.defaults().withExpectedIssuer("https://idp"), clock);
        valid(Jwts.rs256(RSA, "rsa-1", claims(",\"iss\":\"https://idp\"")));
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"iss\":\"https://evil\"")), Reason.CLAIMS,
                "Issuer (iss) claim value (https://evil) doesn't match expected value of https://idp");
        refused(Jwts.rs256(RSA, "rsa-1", claims("")), Reason.CLAIMS,
                "No Issuer (iss) claim present but was expecting https://idp");
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"iss\":7")), Reason.MALFORMED, "'iss'");
    }

    @Test
    void checksTheAudienceAsJose4jDoesForKafka() throws Exception {
        // no expected audience: a token without aud passes, a token with one is refused (jose4j's default)
        valid(Jwts.rs256(RSA, "rsa-1", claims("")));
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":\"kafka\"")), Reason.CLAIMS,
                "Audience (aud) claim [kafka] present in the JWT but no expected audience value(s) were provided");

        validator = new JwtValidator(JwtRules.defaults().withExpectedAudiences(Set.of("kafka", "pgkafka")), clock);
        valid(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":\"kafka\"")));
        valid(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":[\"web\",\"pgkafka\"]")));
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":[\"web\",\"mobile\"]")), Reason.CLAIMS,
                "Audience (aud) claim [web, mobile] doesn't contain an acceptable identifier. "
                        + "Expected one of [kafka, pgkafka] as an aud value.");
        refused(Jwts.rs256(RSA, "rsa-1", claims("")), Reason.CLAIMS, "No Audience (aud) claim present.");
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":[\"kafka\",1]")), Reason.MALFORMED, "'aud'");

        validator = new JwtValidator(JwtRules.defaults().withExpectedAudiences(Set.of("kafka")), clock);
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"aud\":\"web\"")), Reason.CLAIMS, "Expected kafka as an aud value.");
    }

    @Test
    void thePrincipalComesFromTheSubClaim() throws Exception {
        refused(Jwts.rs256(RSA, "rsa-1", "{\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + "}"), Reason.CLAIMS,
                "sub value must be non-null");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"\",\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + "}"),
                Reason.CLAIMS, "sub value must be non-empty");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":\"  \",\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + "}"),
                Reason.CLAIMS, "sub value must not contain only whitespace");
        refused(Jwts.rs256(RSA, "rsa-1", "{\"sub\":42,\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + "}"),
                Reason.MALFORMED, "Could not extract the 'sub' claim from the access token");
        assertEquals("bob", valid(Jwts.rs256(RSA, "rsa-1", claims("").replace("alice", " bob "))).principalName());

        validator = new JwtValidator(JwtRules.defaults().withClaimNames("client_id", "roles"), clock);
        ValidatedJwt jwt = valid(Jwts.rs256(RSA, "rsa-1", claims(",\"client_id\":\"svc-orders\",\"roles\":[\"a\",\"b\"]")));
        assertEquals("svc-orders", jwt.principalName());
        assertEquals(Set.of("a", "b"), jwt.scopes());
    }

    @Test
    void readsScopesFromAStringOrAnArray() throws Exception {
        assertEquals(Set.of(), valid(Jwts.rs256(RSA, "rsa-1", claims(""))).scopes());
        assertEquals(Set.of("a", "b"), valid(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":\" a  b \""))).scopes());
        assertEquals(Set.of("a b", "c"), valid(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":[\"a b\",\" c\"]"))).scopes());
        assertEquals(Set.of(), valid(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":7"))).scopes());
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":[\"a\",\"a\"]")), Reason.CLAIMS,
                "scope value must not contain duplicates - a already present");
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":\"\"")), Reason.CLAIMS, "scope value must be non-empty");
        refused(Jwts.rs256(RSA, "rsa-1", claims(",\"scope\":[\"a\",true]")), Reason.MALFORMED, "'scope'");
    }

    @Test
    void refusesABadSignature() {
        String token = Jwts.rs256(RSA, "rsa-1", claims(""));
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + b64(claims("").replace("alice", "admin")) + "." + parts[2];
        refused(tampered, Reason.SIGNATURE, "The JWS signature is invalid (kid rsa-1)");
        refused(Jwts.rs256(OTHER_RSA, "rsa-1", claims("")), Reason.SIGNATURE, "signature is invalid");
        refused(parts[0] + "." + parts[1] + "." + parts[2].substring(0, 20), Reason.SIGNATURE, "signature is invalid");
        refused(parts[0] + "." + parts[1] + ".", Reason.MALFORMED, "signature section missing");
    }

    @Test
    void anUnknownKidIsItsOwnReasonSoTheKeysCanBeRefreshed() {
        InvalidTokenException e = refused(Jwts.rs256(RSA, "rsa-2", claims("")), Reason.UNKNOWN_KEY,
                "Unable to find a verification key with kid rsa-2");
        assertEquals(Optional.of("rsa-2"), e.keyId());
    }

    @Test
    void refusesKeysThatDoNotFitTheAlgorithm() {
        // an RS256 token naming the EC key
        refused(Jwts.rs256(RSA, "ec-1", claims("")), Reason.NO_SUITABLE_KEY,
                "The key with kid ec-1 cannot verify an RS256 token: it is an EC key and RS256 needs an RSA key");
        JsonWebKeySet restricted = JsonWebKeySet.parse(Jwts.jwks(
                Jwts.rsaJwk(RSA, "enc", "\"use\":\"enc\","),
                Jwts.rsaJwk(RSA, "ops", "\"key_ops\":[\"sign\"],"),
                Jwts.rsaJwk(RSA, "ps", "\"alg\":\"PS256\",")));
        for (String kid : List.of("enc", "ops", "ps")) {
            InvalidTokenException e = assertThrows(InvalidTokenException.class,
                    () -> validator.validate(Jwts.rs256(RSA, kid, claims("")), restricted));
            assertEquals(Reason.NO_SUITABLE_KEY, e.reason(), e.getMessage());
        }
    }

    @Test
    void withoutAKidEverySuitableKeyIsTried() throws Exception {
        JsonWebKeySet two = JsonWebKeySet.parse(Jwts.jwks(Jwts.rsaJwk(OTHER_RSA, "a", ""), Jwts.rsaJwk(RSA, "b", "")));
        assertEquals(Optional.of("b"), validator.validate(Jwts.rs256(RSA, null, claims("")), two).keyId());
        InvalidTokenException e = assertThrows(InvalidTokenException.class, () -> validator.validate(
                Jwts.rs256(RSA, null, claims("")), JsonWebKeySet.parse(Jwts.jwks(Jwts.ecJwk(EC, "e", "")))));
        assertEquals(Reason.NO_SUITABLE_KEY, e.reason());
    }

    @Test
    void refusesAlgNone() {
        refused(Jwts.unsecured(claims("")), Reason.ALGORITHM, "'none' is not a permitted algorithm");
        String noneWithKid = b64("{\"alg\":\"none\",\"kid\":\"rsa-1\"}") + "." + b64(claims("")) + ".c2ln";
        refused(noneWithKid, Reason.ALGORITHM, "'none' is not a permitted algorithm");
    }

    @Test
    void refusesHs256SignedWithThePublicKeyAsSecret() throws Exception {
        // the "algorithm confusion" attack: the RSA public key's bytes used as an HMAC secret
        String input = b64("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}") + "." + b64(claims(""));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(RSA.getPublic().getEncoded(), "HmacSHA256"));
        String forged = input + "." + b64(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        refused(forged, Reason.ALGORITHM, "'HS256' is not a permitted algorithm (only RS256 and ES256 are)");
        refused(forged.replace(b64("{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}"), b64("{\"alg\":\"RS512\",\"kid\":\"rsa-1\"}")),
                Reason.ALGORITHM, "'RS512' is not a permitted algorithm");
    }

    @Test
    void refusesMalformedTokens() {
        String good = Jwts.rs256(RSA, "rsa-1", claims(""));
        String[] parts = good.split("\\.");
        refused("", Reason.MALFORMED, "Empty JWT provided");
        refused("abc", Reason.MALFORMED, "but 1 sections provided");
        refused(good + ".x", Reason.MALFORMED, "but 4 sections provided");
        refused("." + parts[1] + "." + parts[2], Reason.MALFORMED, "header section missing");
        refused(parts[0] + "==." + parts[1] + "." + parts[2], Reason.MALFORMED, "padding is not allowed");
        refused(parts[0] + ".a+b/." + parts[2], Reason.MALFORMED, "the payload section is not base64url");
        refused(b64("not json") + "." + parts[1] + "." + parts[2], Reason.MALFORMED,
                "the header section is not a JSON object");
        refused(b64("[\"RS256\"]") + "." + parts[1] + "." + parts[2], Reason.MALFORMED, "not a JSON object");
        refused(b64("{\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2], Reason.MALFORMED, "no algorithm (alg)");
        refused(b64("{\"alg\":256}") + "." + parts[1] + "." + parts[2], Reason.MALFORMED, "\"alg\" must be a string");
        refused(Jwts.sign("{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"exp\"],\"exp\":1}", claims(""),
                RSA.getPrivate(), "SHA256withRSA"), Reason.MALFORMED, "critical (crit)");
    }

    @Test
    void refusesDuplicateClaimsEvenWhenSigned() {
        String twoSubjects = "{\"sub\":\"alice\",\"sub\":\"admin\",\"iat\":" + NOW_S + ",\"exp\":" + (NOW_S + 60) + "}";
        refused(Jwts.rs256(RSA, "rsa-1", twoSubjects), Reason.MALFORMED, "duplicate member name \"sub\"");
    }

    @Test
    void refusesOversizedTokensBeforeDecodingThem() {
        String huge = Jwts.rs256(RSA, "rsa-1", claims(",\"pad\":\"" + "x".repeat(70_000) + "\""));
        InvalidTokenException e = refused(huge, Reason.MALFORMED, "is longer than the limit of 65536");
        assertTrue(e.getMessage().length() < 200, "the message does not quote the token");
    }

    @Test
    void logMessagesCannotBeFloodedOrForged() {
        String kid = "k\\n2026-01-01 INFO forged line" + "x".repeat(500);
        InvalidTokenException e = assertThrows(InvalidTokenException.class,
                () -> validator.validate(Jwts.rs256(RSA, kid, claims("")), KEYS));
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().contains("\\u000a"), e.getMessage());
        assertTrue(e.getMessage().length() < 250, e.getMessage());
    }
}
