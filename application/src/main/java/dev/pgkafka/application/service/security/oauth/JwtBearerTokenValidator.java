package dev.pgkafka.application.service.security.oauth;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.CompactJws;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;
import dev.pgkafka.domain.security.oauth.JsonWebKeySet;
import dev.pgkafka.domain.security.oauth.JwtRules;
import dev.pgkafka.domain.security.oauth.JwtValidator;
import dev.pgkafka.domain.security.oauth.ValidatedJwt;

/**
 * Signed JWTs (RS256, ES256) against the keys of a JWKS, with Kafka's claim rules: what Kafka's
 * {@code OAuthBearerValidatorCallbackHandler} does. A token whose key id the set lacks makes the
 * source read the keys again (rate-limited) and is checked once more against the new set.
 */
public final class JwtBearerTokenValidator implements OAuthBearerTokenValidator {
    private static final System.Logger LOG = System.getLogger(JwtBearerTokenValidator.class.getName());

    private final JwtValidator validator;
    private final JwksSource keys;

    /** @param keys the key source, closed with this validator */
    public JwtBearerTokenValidator(JwtRules rules, JwksSource keys, Clock clock) {
        this.validator = new JwtValidator(rules, clock);
        this.keys = Objects.requireNonNull(keys, "keys");
        // Kafka 4.3 warns the same way: without these, any token the provider signs is accepted
        if (rules.expectedAudiences().isEmpty()) {
            LOG.log(Level.WARNING, "OAUTHBEARER with keys from {0} but without {1}: a token without an \"aud\" "
                    + "claim is accepted whoever it was issued for; set {1} to the audience(s) of this broker",
                    keys.location(), OAuthBearerSettings.EXPECTED_AUDIENCE);
        }
        if (rules.expectedIssuer().isEmpty()) {
            LOG.log(Level.WARNING, "OAUTHBEARER with keys from {0} but without {1}: a token with any (or no) "
                    + "\"iss\" claim is accepted; set {1} to the issuer URL of the identity provider",
                    keys.location(), OAuthBearerSettings.EXPECTED_ISSUER);
        }
    }

    @Override
    public ValidatedToken check(String token) throws InvalidTokenException {
        try {
            return accepted(validator.validate(token, keys.keys()));
        } catch (InvalidTokenException e) {
            if (e.reason() == InvalidTokenException.Reason.UNKNOWN_KEY) {
                Optional<JsonWebKeySet> refreshed = keys.refreshForUnknownKey(e.keyId().orElseThrow());
                if (refreshed.isPresent()) {
                    try {
                        return accepted(validator.validate(token, refreshed.get()));
                    } catch (InvalidTokenException again) {
                        throw refused(again, token);
                    }
                }
            }
            throw refused(e, token);
        }
    }

    private static ValidatedToken accepted(ValidatedJwt jwt) {
        LOG.log(Level.DEBUG, "OAUTHBEARER token accepted for {0} (kid {1}, iss {2}), expiring at {3}",
                jwt.principalName(), jwt.keyId().orElse("-"), jwt.issuer().orElse("-"), jwt.expiresAtMs());
        return new ValidatedToken(KafkaPrincipal.user(jwt.principalName()), jwt.expiresAtMs(), jwt.scopes());
    }

    private InvalidTokenException refused(InvalidTokenException e, String token) {
        LOG.log(Level.WARNING, "OAUTHBEARER token refused: {0} [{1}, keys from {2}]", e.getMessage(),
                CompactJws.describe(token), keys.location());
        return e;
    }

    @Override
    public void close() {
        keys.close();
    }
}
