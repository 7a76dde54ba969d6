package dev.pgkafka.domain.security.oauth;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates a signed JWT against a key set, as Kafka's broker validator (jose4j's JwtConsumer with
 * Kafka's settings) does: the signature must verify with a suitable key (RS256 or ES256; never
 * {@code none}), {@code exp} and {@code iat} must be present, the token must not have expired nor be
 * before its {@code nbf} (both with the clock skew), {@code aud} and {@code iss} must match what is
 * expected, and the subject claim must be a non-blank string. In addition to Kafka, an {@code iat}
 * further in the future than the skew is refused. Immutable and thread-safe; time comes from the clock.
 */
public final class JwtValidator {
    /** Most keys tried for one token that names no {@code kid}. */
    static final int MAX_KEYS_TRIED = 8;

    private final JwtRules rules;
    private final Clock clock;

    public JwtValidator(JwtRules rules, Clock clock) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public JwtRules rules() {
        return rules;
    }

    /**
     * @throws InvalidTokenException why the token is refused; {@link InvalidTokenException.Reason#UNKNOWN_KEY}
     *                               when its {@code kid} is not in {@code keys} (a refreshed set may have it)
     */
    public ValidatedJwt validate(String token, JsonWebKeySet keys) throws InvalidTokenException {
        CompactJws jws = CompactJws.parse(token, rules.maxTokenLength());
        JwsAlgorithm algorithm = algorithm(jws.algorithm());
        if (!jws.hasSignature()) {
            throw InvalidTokenException.malformed("Malformed JWT provided; expected at least three sections "
                    + "(header, payload, and signature), but signature section missing");
        }
        JsonWebKey key = verifyingKey(jws, algorithm, keys);
        return checkClaims(jws, key);
    }

    private static JwsAlgorithm algorithm(String alg) throws InvalidTokenException {
        return JwsAlgorithm.named(alg).orElseThrow(() -> InvalidTokenException.of(
                InvalidTokenException.Reason.ALGORITHM,
                "'" + shorten(alg) + "' is not a permitted algorithm (only RS256 and ES256 are)"));
    }

    private static JsonWebKey verifyingKey(CompactJws jws, JwsAlgorithm algorithm, JsonWebKeySet keys)
            throws InvalidTokenException {
        List<JsonWebKey> candidates;
        Optional<String> kid = jws.keyId();
        if (kid.isPresent()) {
            List<JsonWebKey> named = keys.withKeyId(kid.get());
            if (named.isEmpty()) {
                throw InvalidTokenException.unknownKey(kid.get(),
                        "Unable to find a verification key with kid " + shorten(kid.get()) + " in the JWKS");
            }
            candidates = suitable(named, algorithm);
            if (candidates.isEmpty()) {
                throw InvalidTokenException.of(InvalidTokenException.Reason.NO_SUITABLE_KEY,
                        "The key with kid " + shorten(kid.get()) + " cannot verify an " + algorithm + " token: "
                                + named.getFirst().unsuitableFor(algorithm).orElseThrow());
            }
        } else {
            candidates = suitable(keys.keys(), algorithm);
            if (candidates.isEmpty()) {
                throw InvalidTokenException.of(InvalidTokenException.Reason.NO_SUITABLE_KEY,
                        "The token names no key (kid) and no key in the JWKS can verify " + algorithm);
            }
        }
        byte[] input = jws.signingInputView();
        byte[] signature = jws.signatureView();
        for (JsonWebKey key : candidates.subList(0, Math.min(candidates.size(), MAX_KEYS_TRIED))) {
            if (algorithm.verify(key.publicKey(), input, signature)) {
                return key;
            }
        }
        throw InvalidTokenException.of(InvalidTokenException.Reason.SIGNATURE,
                "The JWS signature is invalid" + kid.map(k -> " (kid " + shorten(k) + ")").orElse(""));
    }

    private static List<JsonWebKey> suitable(List<JsonWebKey> keys, JwsAlgorithm algorithm) {
        List<JsonWebKey> suitable = new ArrayList<>();
        for (JsonWebKey key : keys) {
            if (key.unsuitableFor(algorithm).isEmpty()) {
                suitable.add(key);
            }
        }
        return suitable;
    }

    private ValidatedJwt checkClaims(CompactJws jws, JsonWebKey key) throws InvalidTokenException {
        JwtClaims claims = new JwtClaims(jws.claims());
        long now = clock.millis();
        long skewMs = rules.clockSkewSeconds() * 1000L;

        OptionalLong exp = claims.numericDateMillis("exp");
        OptionalLong iat = claims.numericDateMillis("iat");
        OptionalLong nbf = claims.numericDateMillis("nbf");
        if (exp.isEmpty()) {
            throw InvalidTokenException.claims("No Expiration Time (exp) claim present.");
        }
        if (iat.isEmpty()) {
            throw InvalidTokenException.claims("No Issued At (iat) claim present.");
        }
        if (now - skewMs >= exp.getAsLong()) {
            throw InvalidTokenException.claims("The JWT is no longer valid - the evaluation time " + seconds(now)
                    + " is on or after the Expiration Time (exp=" + seconds(exp.getAsLong()) + ") claim value"
                    + skewNote());
        }
        if (exp.getAsLong() < iat.getAsLong()) {
            throw InvalidTokenException.claims("The Expiration Time (exp=" + seconds(exp.getAsLong())
                    + ") claim value cannot be before the Issued At (iat=" + seconds(iat.getAsLong()) + ") claim value.");
        }
        if (nbf.isPresent() && exp.getAsLong() < nbf.getAsLong()) {
            throw InvalidTokenException.claims("The Expiration Time (exp=" + seconds(exp.getAsLong())
                    + ") claim value cannot be before the Not Before (nbf=" + seconds(nbf.getAsLong()) + ") claim value.");
        }
        if (nbf.isPresent() && now + skewMs < nbf.getAsLong()) {
            throw InvalidTokenException.claims("The JWT is not yet valid as the evaluation time " + seconds(now)
                    + " is before the Not Before (nbf=" + seconds(nbf.getAsLong()) + ") claim time" + skewNote());
        }
        if (iat.getAsLong() > now + skewMs) {
            throw InvalidTokenException.claims("The Issued At (iat=" + seconds(iat.getAsLong())
                    + ") claim value is after the evaluation time " + seconds(now) + skewNote());
        }
        checkAudience(claims);
        Optional<String> issuer = claims.string("iss");
        checkIssuer(issuer);

        String subject = JwtClaims.validateString(rules.subClaimName(), claims.string(rules.subClaimName()).orElse(null));
        Set<String> scopes = JwtClaims.validateScopes(rules.scopeClaimName(),
                claims.scopeItems(rules.scopeClaimName()));
        if (exp.getAsLong() < 0) {
            throw InvalidTokenException.claims("exp value must be non-negative; value given was \""
                    + exp.getAsLong() + "\"");
        }
        if (iat.getAsLong() < 0) {
            throw InvalidTokenException.claims("iat value must be null or non-negative; value given was \""
                    + iat.getAsLong() + "\"");
        }
        return new ValidatedJwt(subject, exp.getAsLong(), iat, scopes, issuer, key.keyId());
    }

    private void checkAudience(JwtClaims claims) throws InvalidTokenException {
        Optional<List<String>> audiences = claims.audiences();
        Set<String> expected = rules.expectedAudiences();
        if (audiences.isEmpty()) {
            if (!expected.isEmpty()) {
                throw InvalidTokenException.claims("No Audience (aud) claim present.");
            }
            return;
        }
        if (audiences.get().stream().anyMatch(expected::contains)) {
            return;
        }
        String got = audiences.get().stream().map(JwtValidator::shorten).collect(Collectors.joining(", ", "[", "]"));
        if (expected.isEmpty()) {
            throw InvalidTokenException.claims("Audience (aud) claim " + got + " present in the JWT but no "
                    + "expected audience value(s) were provided (sasl.oauthbearer.expected.audience).");
        }
        throw InvalidTokenException.claims("Audience (aud) claim " + got + " doesn't contain an acceptable "
                + "identifier. Expected " + (expected.size() == 1 ? expected.iterator().next() : "one of "
                + expected.stream().sorted().toList()) + " as an aud value.");
    }

    private void checkIssuer(Optional<String> issuer) throws InvalidTokenException {
        if (rules.expectedIssuer().isEmpty()) {
            return;
        }
        String expected = rules.expectedIssuer().get();
        if (issuer.isEmpty()) {
            throw InvalidTokenException.claims("No Issuer (iss) claim present but was expecting " + expected);
        }
        if (!issuer.get().equals(expected)) {
            throw InvalidTokenException.claims("Issuer (iss) claim value (" + shorten(issuer.get())
                    + ") doesn't match expected value of " + expected);
        }
    }

    private String skewNote() {
        int skew = rules.clockSkewSeconds();
        return skew > 0 ? " (even when providing " + skew + " seconds of leeway to account for clock skew)." : ".";
    }

    /** NumericDate seconds as the messages show them. */
    private static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(java.util.Locale.ROOT, "%.3f",
                millis / 1000.0);
    }

    /**
     * Values from the token go into log lines: a hostile one must neither flood the log nor forge
     * lines, so it is cut at 100 chars and control characters are escaped.
     */
    static String shorten(String value) {
        StringBuilder out = new StringBuilder();
        int limit = Math.min(value.length(), 100);
        for (int i = 0; i < limit; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (value.length() > limit) {
            out.append("...(").append(value.length()).append(" chars)");
        }
        return out.toString();
    }
}
