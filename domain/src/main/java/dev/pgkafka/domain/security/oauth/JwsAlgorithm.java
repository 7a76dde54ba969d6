package dev.pgkafka.domain.security.oauth;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Optional;

/**
 * The JWS algorithms a token may be signed with (RFC 7518 section 3): RS256 and ES256, verified by the
 * JDK. Every other {@code alg} is refused, {@code none} and the HMAC family included (so a public key
 * can never be used as an HMAC secret, the "algorithm confusion" attack).
 */
public enum JwsAlgorithm {
    /** RSASSA-PKCS1-v1_5 with SHA-256. */
    RS256("RSA", "SHA256withRSA"),
    /** ECDSA on P-256 with SHA-256; the signature is R || S, 32 bytes each (RFC 7518 section 3.4). */
    ES256("EC", "SHA256withECDSAinP1363Format");

    /** The length of an ES256 signature: R and S, 32 bytes each. */
    static final int ES256_SIGNATURE_LENGTH = 64;

    private final String keyType;
    private final String jdkName;

    JwsAlgorithm(String keyType, String jdkName) {
        this.keyType = keyType;
        this.jdkName = jdkName;
    }

    /** The algorithm with this JWS name (case-sensitive, as RFC 7515 says), or empty. */
    public static Optional<JwsAlgorithm> named(String alg) {
        for (JwsAlgorithm a : values()) {
            if (a.name().equals(alg)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The JWK {@code kty} of the keys that verify it. */
    public String keyType() {
        return keyType;
    }

    /**
     * Whether the signature verifies. An ES256 signature of the wrong length (a DER-encoded ECDSA
     * signature, say) is refused before the JDK sees it.
     *
     * @throws InvalidTokenException ({@link InvalidTokenException.Reason#SIGNATURE}) for a signature
     *                               that cannot be one of this algorithm
     */
    boolean verify(PublicKey key, byte[] signingInput, byte[] signature) throws InvalidTokenException {
        if (this == ES256 && signature.length != ES256_SIGNATURE_LENGTH) {
            throw InvalidTokenException.of(InvalidTokenException.Reason.SIGNATURE,
                    "An ES256 signature is 64 bytes (R || S), this one is " + signature.length
                            + " (a DER-encoded ECDSA signature is not a JWS signature)");
        }
        try {
            Signature verifier = Signature.getInstance(jdkName);
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (SignatureException | InvalidKeyException e) {
            return false; // e.g. an RSA signature whose length is not the modulus length
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + jdkName, e);
        }
    }
}
