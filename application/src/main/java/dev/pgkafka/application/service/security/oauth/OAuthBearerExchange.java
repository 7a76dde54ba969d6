package dev.pgkafka.application.service.security.oauth;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.service.security.BearerTokenValidator.ValidatedToken;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.oauth.ClientInitialResponse;
import dev.pgkafka.domain.security.oauth.InvalidTokenException;

/**
 * The server side of one OAUTHBEARER login (RFC 7628), as Kafka's {@code OAuthBearerSaslServer} plays
 * it:
 * <ol>
 *   <li>the client sends its initial response ({@code n,,\x01auth=Bearer <jwt>\x01\x01}, perhaps with an
 *       authorization id and KIP-342 extensions, which are accepted and not used);</li>
 *   <li>a valid token completes the login with an empty answer, principal {@code User:<sub>}, and the
 *       token's {@code exp} as the end of the credential (KIP-368 re-authentication);</li>
 *   <li>an invalid token is answered with the error JSON, {@code {"status":"invalid_token"}}; the
 *       client then sends a single {@code \x01}, and the login fails with that JSON as its message;</li>
 *   <li>an authorization id other than the token's principal fails the login with Kafka's message;
 *       a message that is not an initial response fails it with Kafka's generic message.</li>
 * </ol>
 * One per login; not thread-safe.
 */
public final class OAuthBearerExchange implements SaslExchange {
    private static final System.Logger LOG = System.getLogger(OAuthBearerExchange.class.getName());
    public static final String MECHANISM = "OAUTHBEARER";
    /**
     * What Kafka tells a client whose messages are refused without a reason of their own (its
     * {@code SaslServerAuthenticator} hides the SaslException's message from the client).
     */
    public static final String INVALID_CREDENTIALS =
            "Authentication failed during authentication due to invalid credentials with SASL mechanism " + MECHANISM;
    private static final byte CONTROL_A = 0x01;

    private final OAuthBearerTokenValidator validator;
    private String pendingError;
    private ValidatedToken token;

    public OAuthBearerExchange(OAuthBearerTokenValidator validator) {
        this.validator = Objects.requireNonNull(validator, "validator");
    }

    @Override
    public String mechanism() {
        return MECHANISM;
    }

    @Override
    public byte[] evaluate(byte[] clientMessage) throws AuthenticationFailedException {
        if (token != null) {
            throw new IllegalStateException("the OAUTHBEARER exchange is already complete");
        }
        if (clientMessage.length == 1 && clientMessage[0] == CONTROL_A && pendingError != null) {
            // the client acknowledged our error answer (RFC 7628 section 3.2.3): the login fails
            throw new AuthenticationFailedException(pendingError);
        }
        pendingError = null;
        ClientInitialResponse response;
        try {
            response = ClientInitialResponse.parse(clientMessage);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.DEBUG, "OAUTHBEARER login refused: {0}", e.getMessage());
            throw new AuthenticationFailedException(INVALID_CREDENTIALS);
        }
        ValidatedToken validated;
        try {
            validated = validator.check(response.token());
        } catch (InvalidTokenException e) {
            pendingError = e.errorResponse();
            return pendingError.getBytes(StandardCharsets.UTF_8);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "OAUTHBEARER login failed: Authentication could not be performed due to an "
                    + "internal error on the server", e);
            throw new AuthenticationFailedException(INVALID_CREDENTIALS);
        }
        String principalName = validated.principal().name();
        if (!response.authorizationId().isEmpty() && !response.authorizationId().equals(principalName)) {
            throw new AuthenticationFailedException(String.format("Authentication failed: Client requested an "
                    + "authorization id (%s) that is different from the token's principal name (%s)",
                    response.authorizationId(), principalName));
        }
        token = validated;
        return new byte[0];
    }

    @Override
    public boolean isComplete() {
        return token != null;
    }

    @Override
    public KafkaPrincipal principal() {
        if (token == null) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return token.principal();
    }

    @Override
    public long credentialExpiresAtMs() {
        if (token == null) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return token.expiresAtMs();
    }

    /** The scopes of the token the login was made with. */
    public java.util.Set<String> scopes() {
        if (token == null) {
            throw new IllegalStateException("Authentication exchange has not completed");
        }
        return token.scopes();
    }
}
