package dev.pgkafka.application.service.security;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pgkafka.application.port.in.ScramCredentialsUseCase;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/**
 * SCRAM users as Kafka's controller manages them ({@code ScramControlManager}, {@code ScramImage}):
 * the same checks, in the same order, with the same messages; the credentials live in the store.
 */
public final class ScramCredentialService implements ScramCredentialsUseCase {
    private static final System.Logger LOG = System.getLogger(ScramCredentialService.class.getName());
    static final String ALTERED_TWICE = "A user credential cannot be altered twice in the same request";
    static final String DESCRIBED_TWICE = "Cannot describe SCRAM credentials for the same user twice in a single request: ";
    static final String NOT_FOUND_DESCRIBE = "Attempt to describe a user credential that does not exist: ";
    static final String NOT_FOUND_DELETE = "Attempt to delete a user credential that does not exist";

    private final ScramCredentialStorePort store;

    public ScramCredentialService(ScramCredentialStorePort store) {
        this.store = store;
    }

    @Override
    public List<UserDescription> describe(List<String> users) {
        List<UserScramCredential> found = users.isEmpty() ? store.findAll() : store.findByUsers(Set.copyOf(users));
        Map<String, List<CredentialInfo>> byUser = new LinkedHashMap<>();
        for (UserScramCredential c : found) {
            byUser.computeIfAbsent(c.user(), u -> new ArrayList<>())
                    .add(new CredentialInfo(c.mechanism(), c.credential().iterations()));
        }
        if (users.isEmpty()) {
            return byUser.entrySet().stream()
                    .map(e -> new UserDescription(e.getKey(), ErrorCode.NONE, null, e.getValue()))
                    .toList();
        }
        Map<String, Boolean> askedTwice = new LinkedHashMap<>();
        for (String user : users) {
            askedTwice.put(user, askedTwice.containsKey(user));
        }
        List<UserDescription> out = new ArrayList<>(askedTwice.size());
        askedTwice.forEach((user, twice) -> {
            List<CredentialInfo> credentials = byUser.get(user);
            if (twice) {
                out.add(new UserDescription(user, ErrorCode.DUPLICATE_RESOURCE, DESCRIBED_TWICE + user, List.of()));
            } else if (credentials == null) {
                out.add(new UserDescription(user, ErrorCode.RESOURCE_NOT_FOUND, NOT_FOUND_DESCRIBE + user, List.of()));
            } else {
                out.add(new UserDescription(user, ErrorCode.NONE, null, credentials));
            }
        });
        return out;
    }

    @Override
    public List<AlterResult> alter(List<Upsertion> upsertions, List<Deletion> deletions) {
        // Kafka's order: deletions first; a user named twice anywhere fails as a whole
        Map<String, ScramCredentialKey> toDelete = new LinkedHashMap<>();
        Map<String, UserScramCredential> toUpsert = new LinkedHashMap<>();
        Map<String, AlterResult> errors = new LinkedHashMap<>();
        for (Deletion d : deletions) {
            if (errors.containsKey(d.user())) {
                continue;
            }
            if (toDelete.remove(d.user()) != null) {
                errors.put(d.user(), new AlterResult(d.user(), ErrorCode.DUPLICATE_RESOURCE, ALTERED_TWICE));
                continue;
            }
            Optional<AlterResult> invalid = validateDeletion(d);
            if (invalid.isPresent()) {
                errors.put(d.user(), invalid.get());
            } else {
                toDelete.put(d.user(), new ScramCredentialKey(d.user(), ScramMechanism.forType(d.mechanismType()).orElseThrow()));
            }
        }
        for (Upsertion u : upsertions) {
            if (errors.containsKey(u.user())) {
                continue;
            }
            if (toDelete.remove(u.user()) != null || toUpsert.remove(u.user()) != null) {
                errors.put(u.user(), new AlterResult(u.user(), ErrorCode.DUPLICATE_RESOURCE, ALTERED_TWICE));
                continue;
            }
            Optional<AlterResult> invalid = validateUpsertion(u);
            if (invalid.isPresent()) {
                errors.put(u.user(), invalid.get());
            } else {
                ScramMechanism m = ScramMechanism.forType(u.mechanismType()).orElseThrow();
                toUpsert.put(u.user(), new UserScramCredential(u.user(), m,
                        m.credential(u.salt(), u.saltedPassword(), u.iterations())));
            }
        }
        // a credential deleted by another request since it was checked is reported missing by the store
        Set<ScramCredentialKey> missing = toDelete.isEmpty() && toUpsert.isEmpty() ? Set.of()
                : store.alter(List.copyOf(toUpsert.values()), List.copyOf(toDelete.values()));

        List<AlterResult> results = new ArrayList<>();
        for (ScramCredentialKey key : toDelete.values()) {
            if (missing.contains(key)) {
                errors.put(key.user(), new AlterResult(key.user(), ErrorCode.RESOURCE_NOT_FOUND, NOT_FOUND_DELETE));
            } else {
                results.add(new AlterResult(key.user(), ErrorCode.NONE, null));
                LOG.log(Level.INFO, "removed the {0} credential of user {1}", key.mechanism().mechanismName(), key.user());
            }
        }
        for (UserScramCredential c : toUpsert.values()) {
            results.add(new AlterResult(c.user(), ErrorCode.NONE, null));
            LOG.log(Level.INFO, "stored a {0} credential for user {1} ({2} iterations)", c.mechanism().mechanismName(),
                    c.user(), String.valueOf(c.credential().iterations()));
        }
        results.addAll(errors.values());
        return results;
    }

    /**
     * Creates the credentials given at start ({@code --add-scram}) that do not exist yet, as
     * {@code kafka-storage format --add-scram} bootstraps users: a restart with the same arguments
     * never resets a password changed since with the Admin API.
     */
    public void createAtStart(List<UserScramCredential> credentials) {
        List<UserScramCredential> missing = new ArrayList<>();
        for (UserScramCredential c : credentials) {
            if (store.find(c.user(), c.mechanism()).isPresent()) {
                // as kafka-storage format --add-scram: a bootstrap user, not a password reset; change it with the Admin API
                LOG.log(Level.INFO, "the {0} credential of user {1} given at start exists already; left as it is",
                        c.mechanism().mechanismName(), c.user());
            } else {
                missing.add(c);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        store.alter(List.copyOf(missing), List.of());
        for (UserScramCredential c : missing) {
            LOG.log(Level.INFO, "created the {0} credential of user {1} given at start", c.mechanism().mechanismName(),
                    c.user());
        }
    }

    private static Optional<AlterResult> validateUserAndMechanism(String user, int mechanismType) {
        if (user.isEmpty()) {
            return Optional.of(new AlterResult(user, ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty"));
        }
        if (ScramMechanism.forType(mechanismType).isEmpty()) {
            return Optional.of(new AlterResult(user, ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism"));
        }
        return Optional.empty();
    }

    /** As Kafka, a missing credential is found before duplicates are: a user then gets RESOURCE_NOT_FOUND. */
    private Optional<AlterResult> validateDeletion(Deletion d) {
        Optional<AlterResult> invalid = validateUserAndMechanism(d.user(), d.mechanismType());
        if (invalid.isPresent()) {
            return invalid;
        }
        if (store.find(d.user(), ScramMechanism.forType(d.mechanismType()).orElseThrow()).isEmpty()) {
            return Optional.of(new AlterResult(d.user(), ErrorCode.RESOURCE_NOT_FOUND, NOT_FOUND_DELETE));
        }
        return Optional.empty();
    }

    private static Optional<AlterResult> validateUpsertion(Upsertion u) {
        Optional<AlterResult> invalid = validateUserAndMechanism(u.user(), u.mechanismType());
        if (invalid.isPresent()) {
            return invalid;
        }
        if (u.iterations() < ScramMechanism.MIN_ITERATIONS) {
            return Optional.of(new AlterResult(u.user(), ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too few iterations"));
        }
        if (u.iterations() > ScramMechanism.MAX_ITERATIONS) {
            return Optional.of(new AlterResult(u.user(), ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too many iterations"));
        }
        // Kafka stores an empty salt and fails on an empty salted password with an unknown error; both are refused here
        if (u.salt().length == 0) {
            return Optional.of(new AlterResult(u.user(), ErrorCode.UNACCEPTABLE_CREDENTIAL, "Salt must not be empty"));
        }
        if (u.saltedPassword().length == 0) {
            return Optional.of(new AlterResult(u.user(), ErrorCode.UNACCEPTABLE_CREDENTIAL,
                    "Salted password must not be empty"));
        }
        return Optional.empty();
    }
}
