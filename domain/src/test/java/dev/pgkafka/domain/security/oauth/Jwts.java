package dev.pgkafka.domain.security.oauth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** Keys, JWKs and signed tokens made with the JDK, for the tests. */
final class Jwts {
    private Jwts() {
    }

    static KeyPair rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String b64(String text) {
        return b64(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsigned big-endian integer without the sign byte BigInteger may add. */
    static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 && bytes.length > 1 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    /** A fixed-length big-endian integer (EC coordinates are always 32 bytes on P-256). */
    static byte[] fixed(BigInteger value, int length) {
        byte[] bytes = unsigned(value);
        byte[] out = new byte[length];
        System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
        return out;
    }

    /** An RSA JWK; {@code extra} is inserted as further members (e.g. {@code "alg":"RS256",}). */
    static String rsaJwk(KeyPair pair, String kid, String extra) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{" + extra + "\"kty\":\"RSA\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
                + ",\"n\":\"" + b64(unsigned(key.getModulus())) + "\",\"e\":\"" + b64(unsigned(key.getPublicExponent()))
                + "\"}";
    }

    static String ecJwk(KeyPair pair, String kid, String extra) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        return "{" + extra + "\"kty\":\"EC\",\"crv\":\"P-256\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"")
                + ",\"x\":\"" + b64(fixed(key.getW().getAffineX(), 32)) + "\",\"y\":\""
                + b64(fixed(key.getW().getAffineY(), 32)) + "\"}";
    }

    static String jwks(String... jwks) {
        return "{\"keys\":[" + String.join(",", jwks) + "]}";
    }

    /** A compact JWS of the two JSON texts, signed with the JDK algorithm given. */
    static String sign(String header, String claims, PrivateKey key, String jdkAlgorithm) {
        String input = b64(header) + "." + b64(claims);
        try {
            Signature signer = Signature.getInstance(jdkAlgorithm);
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String rs256(KeyPair pair, String kid, String claims) {
        return sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"" + (kid == null ? "" : ",\"kid\":\"" + kid + "\"") + "}",
                claims, pair.getPrivate(), "SHA256withRSA");
    }

    static String es256(KeyPair pair, String kid, String claims) {
        return sign("{\"alg\":\"ES256\",\"kid\":\"" + kid + "\"}", claims, pair.getPrivate(),
                "SHA256withECDSAinP1363Format");
    }

    /** An unsecured JWS as Kafka's unsecured login module writes it: alg none, empty signature. */
    static String unsecured(String claims) {
        return b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".";
    }
}
