package dev.pgkafka.application.memory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.security.scram.ScramCredential;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/** SCRAM credentials in a map; one lock makes each alter atomic. */
final class InMemoryScramCredentialStore implements ScramCredentialStorePort {
    private static final Comparator<ScramCredentialKey> ORDER = Comparator.comparing(ScramCredentialKey::user)
            .thenComparing(ScramCredentialKey::mechanism);
    private final Map<ScramCredentialKey, ScramCredential> credentials = new TreeMap<>(ORDER);

    @Override
    public synchronized Optional<ScramCredential> find(String user, ScramMechanism mechanism) {
        return Optional.ofNullable(credentials.get(new ScramCredentialKey(user, mechanism)));
    }

    @Override
    public synchronized List<UserScramCredential> findByUsers(Collection<String> users) {
        Set<String> wanted = new HashSet<>(users);
        List<UserScramCredential> out = new ArrayList<>();
        credentials.forEach((k, c) -> {
            if (wanted.contains(k.user())) {
                out.add(new UserScramCredential(k.user(), k.mechanism(), c));
            }
        });
        return out;
    }

    @Override
    public synchronized List<UserScramCredential> findAll() {
        List<UserScramCredential> out = new ArrayList<>();
        credentials.forEach((k, c) -> out.add(new UserScramCredential(k.user(), k.mechanism(), c)));
        return out;
    }

    @Override
    public synchronized Set<ScramCredentialKey> alter(List<UserScramCredential> upserts, List<ScramCredentialKey> deletions) {
        Set<ScramCredentialKey> missing = new HashSet<>();
        for (ScramCredentialKey key : deletions) {
            if (credentials.remove(key) == null) {
                missing.add(key);
            }
        }
        for (UserScramCredential c : upserts) {
            credentials.put(c.key(), c.credential());
        }
        return missing;
    }
}
