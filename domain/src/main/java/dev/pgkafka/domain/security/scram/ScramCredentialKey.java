package dev.pgkafka.domain.security.scram;

import java.util.Objects;

/** Which credential: a user has at most one per mechanism. */
public record ScramCredentialKey(String user, ScramMechanism mechanism) {
    public ScramCredentialKey {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(mechanism, "mechanism");
    }
}
