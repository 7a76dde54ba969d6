package dev.pgkafka.domain.security.oauth;

import java.security.PublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One public key from a JWKS (RFC 7517), with the parameters that say what it may verify: an RSA key
 * ({@code n}, {@code e}) or an EC key on P-256 ({@code crv}, {@code x}, {@code y}).
 *
 * @param keyId         {@code kid}
 * @param keyType       {@code kty}: {@code RSA} or {@code EC}
 * @param algorithm     {@code alg}: when present, the only algorithm the key may verify
 * @param use           {@code use}: when present, must be {@code sig}
 * @param keyOperations {@code key_ops}: when present, must contain {@code verify}
 */
public record JsonWebKey(Optional<String> keyId, String keyType, Optional<String> algorithm, Optional<String> use,
                         Optional<List<String>> keyOperations, PublicKey publicKey) {

    public JsonWebKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(use, "use");
        keyOperations = keyOperations.map(List::copyOf);
        Objects.requireNonNull(publicKey, "publicKey");
    }

    /**
     * Why this key may not verify a token signed with {@code alg}, or empty when it may: the key type
     * must be the algorithm's (P-256 for ES256, which is the only curve read), and {@code alg},
     * {@code use} and {@code key_ops}, when the key has them, must allow it.
     */
    public Optional<String> unsuitableFor(JwsAlgorithm alg) {
        if (!keyType.equals(alg.keyType())) {
            return Optional.of("it is an " + keyType + " key and " + alg + " needs an " + alg.keyType() + " key");
        }
        if (algorithm.isPresent() && !algorithm.get().equals(alg.name())) {
            return Optional.of("it is for alg " + algorithm.get() + ", not " + alg);
        }
        if (use.isPresent() && !use.get().equals("sig")) {
            return Optional.of("its use is \"" + use.get() + "\", not \"sig\"");
        }
        if (keyOperations.isPresent() && !keyOperations.get().contains("verify")) {
            return Optional.of("its key_ops " + keyOperations.get() + " do not include \"verify\"");
        }
        return Optional.empty();
    }

    @Override
    public String toString() { // the key material is public, but a log line needs only this
        return "JsonWebKey[kid=" + keyId.orElse("(none)") + ", kty=" + keyType + algorithm.map(a -> ", alg=" + a)
                .orElse("") + "]";
    }
}
