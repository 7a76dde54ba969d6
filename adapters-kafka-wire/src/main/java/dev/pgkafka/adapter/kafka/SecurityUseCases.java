package dev.pgkafka.adapter.kafka;

import java.util.List;

import dev.pgkafka.application.port.in.AclAdminUseCase;
import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;

/** The use cases behind logins, authorization, ACLs and SCRAM users. */
public record SecurityUseCases(
        AuthenticationUseCase authentication,
        AuthorizationUseCase authorization,
        AclAdminUseCase acls,
        ScramCredentialsUseCase scramCredentials) {

    /** No SASL mechanism anywhere and no authorizer (tests of other features). */
    public static SecurityUseCases none(AclAdminUseCase acls, ScramCredentialsUseCase scramCredentials) {
        return new SecurityUseCases(NO_LOGINS, AuthorizationUseCase.ALLOW_ALL, acls, scramCredentials);
    }

    private static final AuthenticationUseCase NO_LOGINS = new AuthenticationUseCase() {
        @Override
        public List<String> enabledMechanisms(String listenerName) {
            return List.of();
        }

        @Override
        public SaslExchange startSasl(String listenerName, String mechanism, String clientHost) {
            throw new IllegalArgumentException("no SASL mechanism is enabled");
        }

        @Override
        public KafkaPrincipal authenticatePassword(String username, String password)
                throws AuthenticationFailedException {
            throw new AuthenticationFailedException("Authentication failed: Invalid username or password");
        }

        @Override
        public KafkaPrincipal authenticateBearer(String token) throws AuthenticationFailedException {
            throw new AuthenticationFailedException("Authentication failed: bearer tokens are not enabled");
        }
    };
}
