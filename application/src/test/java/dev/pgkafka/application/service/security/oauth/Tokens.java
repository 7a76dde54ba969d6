package dev.pgkafka.application.service.security.oauth;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;

/** RSA keys, JWKS documents and RS256 tokens made with the JDK, and a clock the test sets. */
final class Tokens {
    static final long NOW_S = 1_700_000_000L;

    private Tokens() {
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
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

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    static String jwk(KeyPair pair, String kid) {
        RSAPublicKey key = (RSAPublicKey) pair.getPublic();
        return "{\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"use\":\"sig\",\"n\":\"" + b64(unsigned(key.getModulus()))
                + "\",\"e\":\"" + b64(unsigned(key.getPublicExponent())) + "\"}";
    }

    static String jwks(String... jwks) {
        return "{\"keys\":[" + String.join(",", jwks) + "]}";
    }

    /** Claims for {@code sub}, issued 10 s before {@link #NOW_S}, expiring 5 min after. */
    static String claims(String sub) {
        return "{\"sub\":\"" + sub + "\",\"iat\":" + (NOW_S - 10) + ",\"exp\":" + (NOW_S + 300) + "}";
    }

    static String rs256(KeyPair pair, String kid, String claims) {
        String input = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}") + "." + b64(claims);
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(pair.getPrivate());
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    static String unsecured(String claims) {
        return b64("{\"alg\":\"none\"}") + "." + b64(claims) + ".";
    }
}
