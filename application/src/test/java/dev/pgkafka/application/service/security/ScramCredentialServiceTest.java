package dev.pgkafka.application.service.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.AlterResult;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.CredentialInfo;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.Deletion;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.UserDescription;
import dev.pgkafka.application.port.in.ScramCredentialsUseCase.Upsertion;
import dev.pgkafka.application.port.out.ScramCredentialStorePort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.scram.AddScramArgument;
import dev.pgkafka.domain.security.scram.ScramMechanism;

/** Kafka's rules and messages for DescribeUserScramCredentials and AlterUserScramCredentials. */
class ScramCredentialServiceTest {
    private static final int SHA_256 = 1;
    private static final int SHA_512 = 2;

    private final ScramCredentialStorePort store = new InMemoryStorage().scramCredentials();
    private final ScramCredentialService service = new ScramCredentialService(store);

    /** What the Admin client sends for a password. */
    private static Upsertion upsertion(String user, int type, String password, int iterations) {
        byte[] salt = ("salt-" + user).getBytes(StandardCharsets.UTF_8);
        ScramMechanism m = ScramMechanism.forType(type).orElse(ScramMechanism.SCRAM_SHA_256);
        return new Upsertion(user, type, iterations, salt, m.saltedPassword(password, salt, Math.max(1, Math.min(iterations, 20000))));
    }

    private Map<String, AlterResult> alter(List<Upsertion> upsertions, List<Deletion> deletions) {
        List<AlterResult> results = service.alter(upsertions, deletions);
        Map<String, AlterResult> byUser = results.stream().collect(Collectors.toMap(AlterResult::user, r -> r));
        assertEquals(results.size(), byUser.size(), "one result per user: " + results);
        return byUser;
    }

    private static void assertResult(ErrorCode error, String message, AlterResult result) {
        assertEquals(error, result.error(), result.toString());
        assertEquals(message, result.message(), result.toString());
    }

    @Test
    void anUpsertStoresKeysDerivedFromTheSaltedPasswordNeverThePassword() {
        Map<String, AlterResult> results = alter(List.of(upsertion("alice", SHA_512, "alice-secret", 8192)), List.of());

        assertResult(ErrorCode.NONE, null, results.get("alice"));
        var stored = store.find("alice", ScramMechanism.SCRAM_SHA_512).orElseThrow();
        assertEquals(8192, stored.iterations());
        assertTrue(ScramMechanism.SCRAM_SHA_512.matches("alice-secret", stored));
        assertEquals(ScramMechanism.SCRAM_SHA_512.credentialFromPassword("alice-secret",
                "salt-alice".getBytes(StandardCharsets.UTF_8), 8192), stored);
    }

    @Test
    void describeShowsMechanismsAndIterationsOfAllUsersOrOfThoseAsked() {
        alter(List.of(upsertion("bob", SHA_256, "b", 4096), upsertion("alice", SHA_512, "a", 8192)), List.of());
        alter(List.of(upsertion("bob", SHA_512, "b", 16384)), List.of());

        assertEquals(List.of(
                new UserDescription("alice", ErrorCode.NONE, null, List.of(new CredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192))),
                new UserDescription("bob", ErrorCode.NONE, null, List.of(new CredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                        new CredentialInfo(ScramMechanism.SCRAM_SHA_512, 16384)))), service.describe(List.of()));

        assertEquals(List.of(
                new UserDescription("nobody", ErrorCode.RESOURCE_NOT_FOUND,
                        "Attempt to describe a user credential that does not exist: nobody", List.of()),
                new UserDescription("alice", ErrorCode.DUPLICATE_RESOURCE,
                        "Cannot describe SCRAM credentials for the same user twice in a single request: alice", List.of()),
                new UserDescription("bob", ErrorCode.NONE, null, List.of(new CredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                        new CredentialInfo(ScramMechanism.SCRAM_SHA_512, 16384)))),
                service.describe(List.of("nobody", "alice", "bob", "alice")));
    }

    @Test
    void iterationBoundsMechanismsAndEmptyValuesAreRefusedWithKafkasMessages() {
        Map<String, AlterResult> r = alter(List.of(
                upsertion("few", SHA_256, "p", 4095),
                upsertion("many", SHA_512, "p", 16385),
                upsertion("", SHA_256, "p", 4096),
                upsertion("unknown", 0, "p", 4096),
                upsertion("future", 3, "p", 4096),
                new Upsertion("nosalt", SHA_256, 4096, new byte[0], new byte[32]),
                new Upsertion("nosalted", SHA_256, 4096, new byte[] {1}, new byte[0]),
                upsertion("fine", SHA_256, "p", 16384)),
                List.of(new Deletion("unknowndel", 0)));

        assertResult(ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too few iterations", r.get("few"));
        assertResult(ErrorCode.UNACCEPTABLE_CREDENTIAL, "Too many iterations", r.get("many"));
        assertResult(ErrorCode.UNACCEPTABLE_CREDENTIAL, "Username must not be empty", r.get(""));
        assertResult(ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism", r.get("unknown"));
        assertResult(ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism", r.get("future"));
        assertResult(ErrorCode.UNSUPPORTED_SASL_MECHANISM, "Unknown SCRAM mechanism", r.get("unknowndel"));
        assertResult(ErrorCode.UNACCEPTABLE_CREDENTIAL, "Salt must not be empty", r.get("nosalt"));
        assertResult(ErrorCode.UNACCEPTABLE_CREDENTIAL, "Salted password must not be empty", r.get("nosalted"));
        assertResult(ErrorCode.NONE, null, r.get("fine"));
        assertEquals(List.of("fine"), store.findAll().stream().map(c -> c.user()).toList(), "only the valid one is stored");
    }

    @Test
    void deletingWhatDoesNotExistIsResourceNotFound() {
        alter(List.of(upsertion("carol", SHA_256, "c", 4096)), List.of());
        Map<String, AlterResult> r = alter(List.of(), List.of(new Deletion("nobody", SHA_256), new Deletion("carol", SHA_512)));
        assertResult(ErrorCode.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist", r.get("nobody"));
        assertResult(ErrorCode.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist", r.get("carol"));

        r = alter(List.of(), List.of(new Deletion("carol", SHA_256)));
        assertResult(ErrorCode.NONE, null, r.get("carol"));
        assertTrue(store.findAll().isEmpty());
    }

    @Test
    void aUserNamedTwiceInARequestFailsAsAWholeAndOthersGoOn() {
        alter(List.of(upsertion("dave", SHA_256, "d", 4096), upsertion("frank", SHA_512, "f", 4096)), List.of());

        Map<String, AlterResult> r = alter(List.of(
                        upsertion("erin", SHA_256, "e", 4096), upsertion("erin", SHA_512, "e", 4096),
                        upsertion("dave", SHA_512, "d", 4096),
                        upsertion("ghost", SHA_256, "g", 4096),
                        upsertion("gina", SHA_512, "g", 8192)),
                List.of(new Deletion("dave", SHA_256), new Deletion("frank", SHA_512), new Deletion("frank", SHA_256),
                        new Deletion("ghost", SHA_512)));

        String twice = "A user credential cannot be altered twice in the same request";
        assertResult(ErrorCode.DUPLICATE_RESOURCE, twice, r.get("erin"));
        assertResult(ErrorCode.DUPLICATE_RESOURCE, twice, r.get("dave"));
        // frank is deleted twice (his SCRAM-SHA-256 credential does not even exist): the duplicate is found first
        assertResult(ErrorCode.DUPLICATE_RESOURCE, twice, r.get("frank"));
        // as Kafka: a deletion of a missing credential fails first, and the upsertion of that user is then skipped
        assertResult(ErrorCode.RESOURCE_NOT_FOUND, "Attempt to delete a user credential that does not exist", r.get("ghost"));
        assertResult(ErrorCode.NONE, null, r.get("gina"));
        assertEquals(5, r.size());

        assertTrue(store.find("dave", ScramMechanism.SCRAM_SHA_256).isPresent(), "dave's failed alterations changed nothing");
        assertTrue(store.find("dave", ScramMechanism.SCRAM_SHA_512).isEmpty());
        assertTrue(store.find("frank", ScramMechanism.SCRAM_SHA_512).isPresent());
        assertTrue(store.findByUsers(List.of("erin", "ghost")).isEmpty());
        assertEquals(8192, store.find("gina", ScramMechanism.SCRAM_SHA_512).orElseThrow().iterations());
    }

    @Test
    void credentialsGivenAtStartAreCreatedButNeverResetWhatAUserHas() {
        alter(List.of(upsertion("admin", SHA_512, "old", 4096)), List.of());
        service.createAtStart(AddScramArgument.credentials(List.of("SCRAM-SHA-512=[name=admin,password=new-secret]",
                "SCRAM-SHA-256=[name=admin,password=new-secret,iterations=8192]")));

        assertTrue(ScramMechanism.SCRAM_SHA_512.matches("old", store.find("admin", ScramMechanism.SCRAM_SHA_512).orElseThrow()),
                "a password changed with the Admin API survives a restart with the same --add-scram");
        assertTrue(ScramMechanism.SCRAM_SHA_256.matches("new-secret",
                store.find("admin", ScramMechanism.SCRAM_SHA_256).orElseThrow()));
        assertEquals(8192, store.find("admin", ScramMechanism.SCRAM_SHA_256).orElseThrow().iterations());
        service.createAtStart(List.of());
    }

    @Test
    void anUpsertionShowsNoSecret() {
        Upsertion u = upsertion("alice", SHA_256, "alice-secret", 4096);
        assertEquals("Upsertion(user=alice, mechanismType=1, iterations=4096, salt=[hidden], saltedPassword=[hidden])",
                u.toString());
    }
}
