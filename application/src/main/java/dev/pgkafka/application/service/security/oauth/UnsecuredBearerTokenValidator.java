package dev.pgkafka.application.service.security.oauth;

import java.lang.System.Logger.Level;
import java.time.Clock;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.CompactJws;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;
import dev.pgkafka.domain.security.oauth.UnsecuredJwtValidator;
import dev.pgkafka.domain.security.oauth.UnsecuredRules;
import dev.pgkafka.domain.security.oauth.ValidatedJwt;

/**
 * Kafka's unsecured tokens ({@code alg: none}), for development setups configured with Kafka's
 * {@code OAuthBearerUnsecuredValidatorCallbackHandler}: anyone can write a token for any principal.
 */
public final class UnsecuredBearerTokenValidator implements OAuthBearerTokenValidator {
    private static final System.Logger LOG = System.getLogger(UnsecuredBearerTokenValidator.class.getName());

    private final UnsecuredJwtValidator validator;

    public UnsecuredBearerTokenValidator(UnsecuredRules rules, Clock clock) {
        this.validator = new UnsecuredJwtValidator(rules, clock);
        LOG.log(Level.WARNING, "OAUTHBEARER accepts unsecured tokens (alg none): any client can log in as any "
                + "principal. Use sasl.oauthbearer.jwks.endpoint.url outside development.");
    }

    @Override
    public ValidatedToken check(String token) throws InvalidTokenException {
        ValidatedJwt jwt;
        try {
            jwt = validator.validate(token);
        } catch (InvalidTokenException e) {
            LOG.log(Level.WARNING, "OAUTHBEARER unsecured token refused: {0} [{1}]", e.getMessage(),
                    CompactJws.describe(token));
            throw e;
        }
        return new ValidatedToken(KafkaPrincipal.user(jwt.principalName()), jwt.expiresAtMs(), jwt.scopes());
    }

    @Override
    public void close() {
        // nothing to stop
    }
}
