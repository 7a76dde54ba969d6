package dev.pgkafka.domain.security.oauth;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pgkafka.domain.security.oauth.JsonValue.JsonArray;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonObject;
import dev.pgkafka.domain.security.oauth.JsonValue.JsonString;

/**
 * A JSON Web Key Set (RFC 7517 section 5) reduced to the keys that can verify RS256 or ES256 tokens.
 * Keys of other types or curves, symmetric keys, RSA keys under 2048 bits (jose4j's minimum, which
 * Kafka inherits) and keys with malformed parameters are left out, each with a reason for the log, as
 * jose4j ignores a JWK it cannot process; a document that is not a JWKS at all is refused.
 */
public final class JsonWebKeySet {
    /** Largest JWKS document read, in chars (and the cap a fetcher should put on the bytes it reads). */
    public static final int MAX_DOCUMENT_LENGTH = 1024 * 1024;
    /** Most keys a set may hold; identity providers publish a handful. */
    public static final int MAX_KEYS = 256;
    static final int MIN_RSA_BITS = 2048;
    /** Verifying with a larger modulus or exponent costs more than any real key needs. */
    static final int MAX_RSA_BITS = 16384;
    static final int MAX_RSA_EXPONENT_BITS = 64;
    private static final int P256_COORDINATE_LENGTH = 32;
    private static final int MAX_JSON_DEPTH = 8;
    private static final ECParameterSpec P256 = p256();

    public static final JsonWebKeySet EMPTY = new JsonWebKeySet(List.of(), List.of());

    private final List<JsonWebKey> keys;
    private final List<String> skipped;

    private JsonWebKeySet(List<JsonWebKey> keys, List<String> skipped) {
        this.keys = List.copyOf(keys);
        this.skipped = List.copyOf(skipped);
    }

    /** A set of keys built elsewhere (tests, or keys from configuration). */
    public static JsonWebKeySet of(List<JsonWebKey> keys) {
        return new JsonWebKeySet(keys, List.of());
    }

    /**
     * Reads a JWKS document: an object with a {@code keys} array of JWK objects.
     *
     * @throws MalformedJsonException when the document is not JSON, not a JWKS, too large, or holds
     *                                more than {@value #MAX_KEYS} keys
     */
    public static JsonWebKeySet parse(String document) {
        if (document.length() > MAX_DOCUMENT_LENGTH) {
            throw new MalformedJsonException("JWKS document of " + document.length()
                    + " characters exceeds the limit of " + MAX_DOCUMENT_LENGTH);
        }
        JsonObject jwks = new JsonReader(MAX_DOCUMENT_LENGTH, MAX_JSON_DEPTH).readObject(document);
        JsonValue keysMember = jwks.get("keys").orElseThrow(
                () -> new MalformedJsonException("a JWKS must have a \"keys\" member"));
        if (!(keysMember instanceof JsonArray array)) {
            throw new MalformedJsonException("the JWKS \"keys\" member must be an array, not " + keysMember.kind());
        }
        if (array.elements().size() > MAX_KEYS) {
            throw new MalformedJsonException("the JWKS holds " + array.elements().size()
                    + " keys, more than the limit of " + MAX_KEYS);
        }
        List<JsonWebKey> keys = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int index = 0;
        for (JsonValue element : array.elements()) {
            try {
                if (!(element instanceof JsonObject jwk)) {
                    throw new IllegalArgumentException("it is " + element.kind() + ", not an object");
                }
                keys.add(key(jwk));
            } catch (IllegalArgumentException e) {
                String kid = element instanceof JsonObject o && o.get("kid").orElse(null) instanceof JsonString s
                        ? " (kid " + s.value() + ")" : "";
                skipped.add("key " + index + kid + " is not used: " + e.getMessage());
            }
            index++;
        }
        return new JsonWebKeySet(keys, skipped);
    }

    /** The keys that can verify tokens. */
    public List<JsonWebKey> keys() {
        return keys;
    }

    /** Why each left-out key was left out, for the log. */
    public List<String> skipped() {
        return skipped;
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The keys with this {@code kid}. */
    public List<JsonWebKey> withKeyId(String keyId) {
        return keys.stream().filter(k -> k.keyId().filter(keyId::equals).isPresent()).toList();
    }

    private static JsonWebKey key(JsonObject jwk) {
        String kty = jwk.string("kty").orElseThrow(() -> new IllegalArgumentException("it has no \"kty\""));
        Optional<String> kid = jwk.string("kid");
        Optional<String> alg = jwk.string("alg");
        Optional<String> use = jwk.string("use");
        Optional<List<String>> keyOps = keyOps(jwk);
        PublicKey publicKey = switch (kty) {
            case "RSA" -> rsa(jwk);
            case "EC" -> ec(jwk);
            case "oct" -> throw new IllegalArgumentException("symmetric (oct) keys never verify tokens here");
            default -> throw new IllegalArgumentException("key type \"" + kty + "\" is not supported");
        };
        return new JsonWebKey(kid, kty, alg, use, keyOps, publicKey);
    }

    private static Optional<List<String>> keyOps(JsonObject jwk) {
        Optional<JsonValue> value = jwk.get("key_ops");
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (!(value.get() instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"key_ops\" must be an array");
        }
        List<String> ops = new ArrayList<>();
        for (JsonValue op : array.elements()) {
            if (!(op instanceof JsonString s)) {
                throw new IllegalArgumentException("\"key_ops\" must hold strings");
            }
            ops.add(s.value());
        }
        return Optional.of(ops);
    }

    private static PublicKey rsa(JsonObject jwk) {
        BigInteger n = unsigned(jwk, "n");
        BigInteger e = unsigned(jwk, "e");
        if (n.bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("its RSA modulus has " + n.bitLength() + " bits, fewer than "
                    + MIN_RSA_BITS);
        }
        if (n.bitLength() > MAX_RSA_BITS) {
            throw new IllegalArgumentException("its RSA modulus has more than " + MAX_RSA_BITS + " bits");
        }
        if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || e.bitLength() > MAX_RSA_EXPONENT_BITS) {
            throw new IllegalArgumentException("its RSA public exponent is not an odd number from 3 to 2^"
                    + MAX_RSA_EXPONENT_BITS);
        }
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
        } catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("the JDK refuses its RSA parameters: " + ex.getMessage());
        }
    }

    private static PublicKey ec(JsonObject jwk) {
        String crv = jwk.string("crv").orElseThrow(() -> new IllegalArgumentException("an EC key needs \"crv\""));
        if (!crv.equals("P-256")) {
            throw new IllegalArgumentException("curve \"" + crv + "\" is not supported (only P-256, for ES256)");
        }
        byte[] x = bytes(jwk, "x");
        byte[] y = bytes(jwk, "y");
        if (x.length != P256_COORDINATE_LENGTH || y.length != P256_COORDINATE_LENGTH) {
            // RFC 7518 section 6.2.1.2: the full 32 bytes, leading zeros included
            throw new IllegalArgumentException("P-256 coordinates must be 32 bytes each");
        }
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        if (!onCurve(point, P256.getCurve())) {
            throw new IllegalArgumentException("its point is not on P-256");
        }
        try {
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, P256));
        } catch (GeneralSecurityException ex) {
            throw new IllegalArgumentException("the JDK refuses its EC parameters: " + ex.getMessage());
        }
    }

    /** y^2 = x^3 + ax + b (mod p), with both coordinates reduced. */
    private static boolean onCurve(ECPoint point, EllipticCurve curve) {
        ECField field = curve.getField();
        BigInteger p = ((ECFieldFp) field).getP();
        BigInteger x = point.getAffineX();
        BigInteger y = point.getAffineY();
        if (x.signum() < 0 || x.compareTo(p) >= 0 || y.signum() < 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(p);
        BigInteger right = x.pow(3).add(curve.getA().multiply(x)).add(curve.getB()).mod(p);
        return left.equals(right);
    }

    private static BigInteger unsigned(JsonObject jwk, String name) {
        byte[] bytes = bytes(jwk, name);
        if (bytes.length == 0) {
            throw new IllegalArgumentException("\"" + name + "\" is empty");
        }
        return new BigInteger(1, bytes);
    }

    private static byte[] bytes(JsonObject jwk, String name) {
        String text = jwk.string(name).orElseThrow(() -> new IllegalArgumentException("it has no \"" + name + "\""));
        try {
            return Base64Url.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + name + "\" is not base64url: " + e.getMessage());
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Override
    public String toString() {
        return "JsonWebKeySet" + keys;
    }
}
