package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.security.scram.ScramCredential;
import dev.pgkafka.domain.security.scram.ScramCredentialKey;
import dev.pgkafka.domain.security.scram.ScramMechanism;
import dev.pgkafka.domain.security.scram.UserScramCredential;

/** The contract of {@link ScramCredentialStorePort}: one credential per user and mechanism, altered atomically. */
public abstract class ScramCredentialStoreContract extends StorageContract {
    private static final ScramMechanism SHA_256 = ScramMechanism.SCRAM_SHA_256;
    private static final ScramMechanism SHA_512 = ScramMechanism.SCRAM_SHA_512;

    private static UserScramCredential credential(String user, ScramMechanism m, String password, int iterations) {
        return new UserScramCredential(user, m, m.credentialFromPassword(password,
                (user + password).getBytes(StandardCharsets.UTF_8), iterations));
    }

    private ScramCredentialStorePort store() {
        return storage.scramCredentials();
    }

    @Test
    void aUserNeverStoredHasNoCredential() {
        String user = uniqueName("nobody");
        assertEquals(Optional.empty(), store().find(user, SHA_256));
        assertEquals(List.of(), store().findByUsers(List.of(user)));
        assertTrue(store().findAll().stream().noneMatch(c -> c.user().equals(user)));
    }

    @Test
    void upsertsAreFoundPerMechanismAndSurviveAReopen() {
        String user = uniqueName("alice");
        UserScramCredential a256 = credential(user, SHA_256, "alice-secret", 4096);
        UserScramCredential a512 = credential(user, SHA_512, "alice-secret", 8192);
        assertEquals(Set.of(), store().alter(List.of(a512, a256), List.of()));

        assertEquals(Optional.of(a256.credential()), store().find(user, SHA_256));
        assertEquals(Optional.of(a512.credential()), store().find(user, SHA_512));
        assertEquals(List.of(a256, a512), store().findByUsers(List.of(user)), "ordered by mechanism");

        StorageUnderTest again = reopen();
        assertEquals(Optional.of(a512.credential()), again.scramCredentials().find(user, SHA_512));
        assertEquals(8192, again.scramCredentials().find(user, SHA_512).orElseThrow().iterations());
    }

    @Test
    void anUpsertReplacesTheCredentialOfThatMechanismOnly() {
        String user = uniqueName("bob");
        store().alter(List.of(credential(user, SHA_256, "old", 4096), credential(user, SHA_512, "old", 4096)), List.of());
        UserScramCredential renewed = credential(user, SHA_256, "new", 16384);
        store().alter(List.of(renewed), List.of());

        assertEquals(Optional.of(renewed.credential()), store().find(user, SHA_256));
        assertEquals(Optional.of(credential(user, SHA_512, "old", 4096).credential()), store().find(user, SHA_512));
    }

    @Test
    void deletionsRemoveOneMechanismAndReportWhatWasMissing() {
        String user = uniqueName("carol");
        String other = uniqueName("dave");
        store().alter(List.of(credential(user, SHA_256, "c", 4096), credential(user, SHA_512, "c", 4096)), List.of());

        Set<ScramCredentialKey> missing = store().alter(List.of(), List.of(new ScramCredentialKey(user, SHA_256),
                new ScramCredentialKey(other, SHA_256)));

        assertEquals(Set.of(new ScramCredentialKey(other, SHA_256)), missing);
        assertEquals(Optional.empty(), store().find(user, SHA_256));
        assertTrue(store().find(user, SHA_512).isPresent());
        assertEquals(Set.of(new ScramCredentialKey(user, SHA_256)),
                store().alter(List.of(), List.of(new ScramCredentialKey(user, SHA_256))), "deleted once only");
    }

    @Test
    void upsertsAndDeletionsOfSeveralUsersInOneCall() {
        String a = uniqueName("erin");
        String b = uniqueName("frank");
        store().alter(List.of(credential(b, SHA_512, "f", 4096)), List.of());

        assertEquals(Set.of(), store().alter(List.of(credential(a, SHA_256, "e", 4096)),
                List.of(new ScramCredentialKey(b, SHA_512))));

        assertTrue(store().find(a, SHA_256).isPresent());
        assertEquals(List.of(), store().findByUsers(List.of(b)));
        List<String> users = store().findByUsers(List.of(a, b)).stream().map(UserScramCredential::user).toList();
        assertEquals(List.of(a), users);
    }

    @Test
    void findAllIsOrderedByUserThenMechanism() {
        String prefix = uniqueName("order");
        store().alter(List.of(credential(prefix + "-b", SHA_512, "x", 4096), credential(prefix + "-a", SHA_512, "x", 4096),
                credential(prefix + "-b", SHA_256, "x", 4096)), List.of());

        List<ScramCredentialKey> mine = store().findAll().stream().filter(c -> c.user().startsWith(prefix))
                .map(UserScramCredential::key).toList();

        assertEquals(List.of(new ScramCredentialKey(prefix + "-a", SHA_512), new ScramCredentialKey(prefix + "-b", SHA_256),
                new ScramCredentialKey(prefix + "-b", SHA_512)), mine);
    }

    @Test
    void userNamesAreKeptExactly() {
        String base = uniqueName("names");
        for (String user : List.of(base + " jörg ✓", base + ",a=b", base + "'; DROP TABLE x; --", base.toUpperCase())) {
            UserScramCredential c = credential(user, SHA_256, "p", 4096);
            store().alter(List.of(c), List.of());
            assertEquals(Optional.of(c.credential()), store().find(user, SHA_256), user);
        }
        assertEquals(Optional.empty(), store().find(base + " JÖRG ✓", SHA_256), "names are case-sensitive");
    }

    @Test
    void aCredentialRoundTripsItsBytes() {
        String user = uniqueName("bytes");
        byte[] salt = new byte[256];
        for (int i = 0; i < salt.length; i++) {
            salt[i] = (byte) i;
        }
        ScramCredential c = new ScramCredential(salt, new byte[] {0, -1, 127, -128}, new byte[64], 16384);
        store().alter(List.of(new UserScramCredential(user, SHA_512, c)), List.of());
        assertEquals(Optional.of(c), store().find(user, SHA_512));
    }
}
