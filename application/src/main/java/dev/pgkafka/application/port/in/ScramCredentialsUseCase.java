package dev.pgkafka.application.port.in;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.scram.ScramMechanism;

/**
 * DescribeUserScramCredentials and AlterUserScramCredentials: SCRAM users kept in storage (salted
 * keys and iterations, never passwords), as {@code kafka-configs --entity-type users} manages them.
 */
public interface ScramCredentialsUseCase {

    /**
     * One result per distinct user asked for, in the order asked; every user with a credential, by
     * name, when {@code users} is empty. Kafka's per-user errors: RESOURCE_NOT_FOUND for a user
     * without credentials, DUPLICATE_RESOURCE for a user asked twice.
     */
    List<UserDescription> describe(List<String> users);

    /**
     * Applies the alterations of every user without an error in one step; one result per user named.
     * Kafka's rules: a user may be named once per request (DUPLICATE_RESOURCE), deletions need an
     * existing credential (RESOURCE_NOT_FOUND), iterations within Kafka's bounds (UNACCEPTABLE_CREDENTIAL),
     * a known mechanism (UNSUPPORTED_SASL_MECHANISM).
     */
    List<AlterResult> alter(List<Upsertion> upsertions, List<Deletion> deletions);

    /** A user's credentials, or why there are none to show. */
    record UserDescription(String user, ErrorCode error, String message, List<CredentialInfo> credentials) {
        public UserDescription {
            credentials = List.copyOf(credentials);
        }
    }

    record CredentialInfo(ScramMechanism mechanism, int iterations) {
    }

    /**
     * A new credential as the Admin client sends it: the client salted the password; the broker
     * derives StoredKey and ServerKey and keeps neither the password nor the salted password.
     *
     * @param mechanismType Kafka's int8 code (1: SCRAM-SHA-256, 2: SCRAM-SHA-512; anything else is unknown)
     */
    record Upsertion(String user, int mechanismType, int iterations, byte[] salt, byte[] saltedPassword) {
        public Upsertion {
            Objects.requireNonNull(user, "user");
            salt = Objects.requireNonNull(salt, "salt").clone();
            saltedPassword = Objects.requireNonNull(saltedPassword, "saltedPassword").clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] saltedPassword() {
            return saltedPassword.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Upsertion u && user.equals(u.user) && mechanismType == u.mechanismType
                    && iterations == u.iterations && Arrays.equals(salt, u.salt)
                    && Arrays.equals(saltedPassword, u.saltedPassword);
        }

        @Override
        public int hashCode() {
            return Objects.hash(user, mechanismType, iterations);
        }

        @Override
        public String toString() {
            return "Upsertion(user=" + user + ", mechanismType=" + mechanismType + ", iterations=" + iterations
                    + ", salt=[hidden], saltedPassword=[hidden])";
        }
    }

    /** @param mechanismType Kafka's int8 code, as in {@link Upsertion} */
    record Deletion(String user, int mechanismType) {
        public Deletion {
            Objects.requireNonNull(user, "user");
        }
    }

    /** NONE, or an error code with Kafka's message. */
    record AlterResult(String user, ErrorCode error, String message) {
    }
}
