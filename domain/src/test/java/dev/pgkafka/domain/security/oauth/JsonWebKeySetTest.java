package dev.pgkafka.domain.security.oauth;

import static dev.pgkafka.domain.security.oauth.Jwts.b64;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which keys of a JWKS are kept, which are left out and why, and which documents are refused. */
class JsonWebKeySetTest {
    private static final KeyPair RSA = Jwts.rsa(2048);
    private static final KeyPair EC = Jwts.ec("secp256r1");

    @Test
    void keepsRsaAndP256KeysWithTheirParameters() {
        JsonWebKeySet set = JsonWebKeySet.parse(Jwts.jwks(
                Jwts.rsaJwk(RSA, "r", "\"alg\":\"RS256\",\"use\":\"sig\",\"key_ops\":[\"verify\"],"),
                Jwts.ecJwk(EC, "e", "")));
        assertEquals(2, set.keys().size());
        JsonWebKey rsa = set.withKeyId("r").getFirst();
        assertEquals(RSA.getPublic(), rsa.publicKey());
        assertEquals(Optional.of("RS256"), rsa.algorithm());
        assertEquals(Optional.of(List.of("verify")), rsa.keyOperations());
        assertEquals(EC.getPublic(), set.withKeyId("e").getFirst().publicKey());
        assertTrue(set.skipped().isEmpty());
    }

    @Test
    void leavesOutKeysItCannotUseAndSaysWhy() {
        KeyPair small = Jwts.rsa(1024);
        ECPublicKey ec = (ECPublicKey) EC.getPublic();
        String offCurve = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"off\",\"x\":\""
                + b64(Jwts.fixed(ec.getW().getAffineX(), 32)) + "\",\"y\":\""
                + b64(Jwts.fixed(ec.getW().getAffineY().add(BigInteger.ONE), 32)) + "\"}";
        String shortCoordinate = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"short\",\"x\":\""
                + b64(new byte[31]) + "\",\"y\":\"" + b64(new byte[32]) + "\"}";
        JsonWebKeySet set = JsonWebKeySet.parse(Jwts.jwks(
                "{\"kty\":\"oct\",\"kid\":\"hmac\",\"k\":\"c2VjcmV0\"}",
                Jwts.rsaJwk(small, "small", ""),
                "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"p384\",\"x\":\"AA\",\"y\":\"AA\"}",
                offCurve,
                shortCoordinate,
                "{\"kty\":\"RSA\",\"kid\":\"bad\",\"n\":\"!!\",\"e\":\"AQAB\"}",
                "{\"kty\":\"RSA\",\"kid\":\"even\",\"n\":\"" + b64(Jwts.unsigned(
                        ((java.security.interfaces.RSAPublicKey) RSA.getPublic()).getModulus())) + "\",\"e\":\"AQAA\"}",
                "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"AA\"}",
                "{\"kid\":\"nokty\"}",
                "\"not an object\"",
                Jwts.rsaJwk(RSA, "good", "")));
        assertEquals(List.of("good"), set.keys().stream().map(k -> k.keyId().orElseThrow()).toList());
        List<String> why = set.skipped();
        assertEquals(10, why.size(), why::toString);
        assertTrue(why.get(0).contains("(kid hmac)") && why.get(0).contains("symmetric (oct) keys never verify"));
        assertTrue(why.get(1).contains("1024 bits, fewer than 2048"), why.get(1));
        assertTrue(why.get(2).contains("curve \"P-384\" is not supported"), why.get(2));
        assertTrue(why.get(3).contains("not on P-256"), why.get(3));
        assertTrue(why.get(4).contains("32 bytes"), why.get(4));
        assertTrue(why.get(5).contains("\"n\" is not base64url"), why.get(5));
        assertTrue(why.get(6).contains("public exponent"), why.get(6));
        assertTrue(why.get(7).contains("key type \"OKP\" is not supported"), why.get(7));
        assertTrue(why.get(8).contains("no \"kty\""), why.get(8));
        assertTrue(why.get(9).contains("it is string, not an object"), why.get(9));
    }

    @Test
    void refusesDocumentsThatAreNotAKeySet() {
        assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse("{}"));
        assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse("{\"keys\":{}}"));
        assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse("[]"));
        assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse("<html>"));
        assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse(
                "{\"keys\":[], \"keys\":[" + Jwts.rsaJwk(RSA, "x", "") + "]}"));
        MalformedJsonException many = assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse(
                "{\"keys\":[" + String.join(",", Collections.nCopies(257, "{}")) + "]}"));
        assertTrue(many.getMessage().contains("257 keys, more than the limit of 256"), many.getMessage());
        MalformedJsonException big = assertThrows(MalformedJsonException.class, () -> JsonWebKeySet.parse(
                "{\"keys\":[],\"x\":\"" + "a".repeat(JsonWebKeySet.MAX_DOCUMENT_LENGTH) + "\"}"));
        assertTrue(big.getMessage().contains("exceeds the limit"), big.getMessage());
    }

    @Test
    void anEmptyKeySetIsAValidKeySet() {
        assertTrue(JsonWebKeySet.parse("{\"keys\":[]}").isEmpty());
    }
}
