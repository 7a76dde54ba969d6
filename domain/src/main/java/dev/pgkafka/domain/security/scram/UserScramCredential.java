package dev.pgkafka.domain.security.scram;

import java.util.Objects;

/** One user's credential for one mechanism: a row of the credential store. */
public record UserScramCredential(String user, ScramMechanism mechanism, ScramCredential credential) {
    public UserScramCredential {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(credential, "credential");
    }

    public ScramCredentialKey key() {
        return new ScramCredentialKey(user, mechanism);
    }
}
