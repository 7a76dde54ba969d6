package dev.pgkafka.application.port.out;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pgkafka.domain.security.scram.ScramCredential;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * SCRAM credentials that outlive a broker: per user and mechanism the salt, StoredKey, ServerKey and
 * iterations, never a password. Every login reads it, so a change is in force for the next login on
 * every broker sharing the storage.
 */
public interface ScramCredentialStorePort {

    Optional<ScramCredential> find(String user, ScramMechanism mechanism);

    /** Every credential of these users (users without any are absent), ordered by user then mechanism. */
    List<UserScramCredential> findByUsers(Collection<String> users);

    /** Every credential, ordered by user then mechanism. */
    List<UserScramCredential> findAll();

    /**
     * In one transaction: stores the upserts (replacing a user's credential for that mechanism) and
     * removes the deletions. A deletion of a credential that does not exist changes nothing.
     *
     * @return the deletions that found no credential
     */
    Set<ScramCredentialKey> alter(List<UserScramCredential> upserts, List<ScramCredentialKey> deletions);
}
