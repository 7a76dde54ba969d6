package dev.pgkafka.domain.security.scram;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two SCRAM mechanisms Kafka offers, with RFC 5802's functions over their hash: Hi (PBKDF2),
 * ClientKey, StoredKey, ServerKey and the signatures. {@link #type()} is Kafka's code for the
 * mechanism in DescribeUserScramCredentials and AlterUserScramCredentials.
 */
public enum ScramMechanism {
    SCRAM_SHA_256("SCRAM-SHA-256", "SHA-256", "HmacSHA256", (byte) 1),
    SCRAM_SHA_512("SCRAM-SHA-512", "SHA-512", "HmacSHA512", (byte) 2);

    /** Kafka refuses credentials below this many iterations (RFC 7677 recommends at least 4096). */
    public static final int MIN_ITERATIONS = 4096;
    /** Kafka's upper bound: more would make every login of that user a CPU burden for clients. */
    public static final int MAX_ITERATIONS = 16384;

    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private final String mechanismName;
    private final String hashAlgorithm;
    private final String macAlgorithm;
    private final byte type;

    ScramMechanism(String mechanismName, String hashAlgorithm, String macAlgorithm, byte type) {
        this.mechanismName = mechanismName;
        this.hashAlgorithm = hashAlgorithm;
        this.macAlgorithm = macAlgorithm;
        this.type = type;
    }

    /** The SASL name, e.g. {@code SCRAM-SHA-256}. */
    public String mechanismName() {
        return mechanismName;
    }

    /** Kafka's int8 code: 1 for SHA-256, 2 for SHA-512 (0 is Kafka's UNKNOWN). */
    public byte type() {
        return type;
    }

    public int minIterations() {
        return MIN_ITERATIONS;
    }

    public int maxIterations() {
        return MAX_ITERATIONS;
    }

    /** The length of the hash, and so of every key, signature and proof. */
    public int hashLength() {
        return this == SCRAM_SHA_256 ? 32 : 64;
    }

    public static Optional<ScramMechanism> forMechanismName(String name) {
        for (ScramMechanism m : values()) {
            if (m.mechanismName.equals(name)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static Optional<ScramMechanism> forType(int type) {
        for (ScramMechanism m : values()) {
            if (m.type == type) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public static boolean isScram(String mechanismName) {
        return forMechanismName(mechanismName).isPresent();
    }

    // ---- RFC 5802, section 2.2 and 3

    /** SaltedPassword := Hi(Normalize(password), salt, i); Normalize is UTF-8, as in Kafka (no SASLprep). */
    public byte[] saltedPassword(String password, byte[] salt, int iterations) {
        return hi(password.getBytes(StandardCharsets.UTF_8), salt, iterations);
    }

    /** Hi(str, salt, i): PBKDF2 with HMAC of this hash, one block. */
    public byte[] hi(byte[] str, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
        Mac mac = mac(str);
        mac.update(salt);
        byte[] u = mac.doFinal(new byte[] {0, 0, 0, 1});
        byte[] result = u.clone();
        for (int i = 2; i <= iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    public byte[] hmac(byte[] key, byte[] message) {
        return mac(key).doFinal(message);
    }

    public byte[] hash(byte[] message) {
        try {
            return MessageDigest.getInstance(hashAlgorithm).digest(message);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(hashAlgorithm + " is missing from this JDK", e);
        }
    }

    /** ClientKey := HMAC(SaltedPassword, "Client Key") */
    public byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, CLIENT_KEY);
    }

    /** StoredKey := H(ClientKey) */
    public byte[] storedKey(byte[] clientKey) {
        return hash(clientKey);
    }

    /** ServerKey := HMAC(SaltedPassword, "Server Key") */
    public byte[] serverKey(byte[] saltedPassword) {
        return hmac(saltedPassword, SERVER_KEY);
    }

    /** ClientSignature := HMAC(StoredKey, AuthMessage); also ServerSignature with the ServerKey. */
    public byte[] signature(byte[] key, String authMessage) {
        return hmac(key, authMessage.getBytes(StandardCharsets.UTF_8));
    }

    /** ClientProof := ClientKey XOR ClientSignature (what a client sends; tests play the client). */
    public byte[] clientProof(byte[] saltedPassword, String authMessage) {
        byte[] clientKey = clientKey(saltedPassword);
        return xor(clientKey, signature(storedKey(clientKey), authMessage));
    }

    /** What the server stores for a salted password: salt, StoredKey, ServerKey, iterations. */
    public ScramCredential credential(byte[] salt, byte[] saltedPassword, int iterations) {
        return new ScramCredential(salt, storedKey(clientKey(saltedPassword)), serverKey(saltedPassword), iterations);
    }

    public ScramCredential credentialFromPassword(String password, byte[] salt, int iterations) {
        return credential(salt, saltedPassword(password, salt, iterations), iterations);
    }

    /**
     * Whether the password derives the credential's StoredKey, compared in constant time. Callers bound
     * the iterations first: each check costs {@code iterations} HMACs.
     */
    public boolean matches(String password, ScramCredential credential) {
        byte[] salted = saltedPassword(password, credential.salt(), credential.iterations());
        return MessageDigest.isEqual(storedKey(clientKey(salted)), credential.storedKey());
    }

    static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays of different lengths");
        }
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }

    private Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            // SecretKeySpec refuses an empty key; HMAC itself (RFC 2104) pads any key, so one zero byte is the same key
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, macAlgorithm));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(macAlgorithm + " is missing from this JDK", e);
        }
    }
}
