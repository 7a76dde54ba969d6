package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterUserScramCredentialsResult;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.DuplicateResourceException;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.UnacceptableCredentialException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.apache.kafka.common.message.AlterUserScramCredentialsRequestData;
import org.apache.kafka.common.message.DescribeUserScramCredentialsRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AlterUserScramCredentialsResponse;
import org.apache.kafka.common.requests.DescribeUserScramCredentialsResponse;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.junit.jupiter.api.Test;

/**
 * SCRAM users through the stock Admin client, as {@code kafka-configs --entity-type users} manages
 * them: upserts, deletions, descriptions and Kafka's errors for each mistake, and rows in
 * {@code kafka.scram_credentials} that hold the keys Kafka derives and never a password. The
 * connection is PLAINTEXT without an authorizer: everything is allowed.
 */
class ScramCredentialsTest extends BrokerTestSupport {

    private static UserScramCredentialUpsertion upsert(String user, ScramMechanism m, int iterations, String password) {
        return new UserScramCredentialUpsertion(user, new ScramCredentialInfo(m, iterations), password);
    }

    private static Throwable failure(KafkaFuture<?> future) {
        return assertThrows(ExecutionException.class, future::get).getCause();
    }

    private static void assertFailure(Class<? extends Throwable> type, String message, KafkaFuture<?> future) {
        Throwable t = failure(future);
        assertInstanceOf(type, t, t.toString());
        assertEquals(message, t.getMessage());
    }

    private static String unique(String prefix) {
        return uniqueTopic(prefix);
    }

    @Test
    void upsertDescribeAndDeleteRoundTrip() throws Exception {
        Admin admin = admin();
        String alice = unique("alice");
        String bob = unique("bob");
        admin.alterUserScramCredentials(List.of(
                upsert(alice, ScramMechanism.SCRAM_SHA_256, 4096, "alice-secret"),
                upsert(bob, ScramMechanism.SCRAM_SHA_512, 8192, "bob-secret"))).all().get();
        admin.alterUserScramCredentials(List.of(upsert(alice, ScramMechanism.SCRAM_SHA_512, 16384, "alice-secret")))
                .all().get();

        Map<String, UserScramCredentialsDescription> all = admin.describeUserScramCredentials().all().get();
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 16384)), all.get(alice).credentialInfos());
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)), all.get(bob).credentialInfos());
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192)),
                admin.describeUserScramCredentials(List.of(bob)).description(bob).get().credentialInfos());

        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(alice, ScramMechanism.SCRAM_SHA_256)))
                .all().get();
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 16384)),
                admin.describeUserScramCredentials(List.of(alice)).description(alice).get().credentialInfos());
        admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(alice, ScramMechanism.SCRAM_SHA_512)))
                .all().get();
        assertFailure(ResourceNotFoundException.class, "Attempt to describe a user credential that does not exist: " + alice,
                admin.describeUserScramCredentials(List.of(alice)).description(alice));
        assertFalse(admin.describeUserScramCredentials().all().get().containsKey(alice));
    }

    @Test
    void kafkasErrorsForEachMistake() throws Exception {
        Admin admin = admin();
        String carol = unique("carol");
        admin.alterUserScramCredentials(List.of(upsert(carol, ScramMechanism.SCRAM_SHA_256, 4096, "c"))).all().get();

        assertFailure(ResourceNotFoundException.class, "Attempt to describe a user credential that does not exist: nobody",
                admin.describeUserScramCredentials(List.of(carol, "nobody")).description("nobody"));
        assertFailure(DuplicateResourceException.class,
                "Cannot describe SCRAM credentials for the same user twice in a single request: " + carol,
                admin.describeUserScramCredentials(List.of(carol, carol)).all());
        assertFailure(UnacceptableCredentialException.class, "Too few iterations", admin.alterUserScramCredentials(
                List.of(upsert(carol, ScramMechanism.SCRAM_SHA_256, 1000, "c"))).all());
        assertFailure(UnacceptableCredentialException.class, "Too many iterations", admin.alterUserScramCredentials(
                List.of(upsert(carol, ScramMechanism.SCRAM_SHA_256, 20000, "c"))).all());
        assertFailure(ResourceNotFoundException.class, "Attempt to delete a user credential that does not exist",
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion("nobody",
                        ScramMechanism.SCRAM_SHA_256))).all());
        assertFailure(ResourceNotFoundException.class, "Attempt to delete a user credential that does not exist",
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(carol,
                        ScramMechanism.SCRAM_SHA_512))).all());
        assertFailure(DuplicateResourceException.class, "A user credential cannot be altered twice in the same request",
                admin.alterUserScramCredentials(List.of(upsert(carol, ScramMechanism.SCRAM_SHA_256, 4096, "x"),
                        upsert(carol, ScramMechanism.SCRAM_SHA_512, 4096, "x"))).all());
        // Kafka stores an empty salt; pgkafka refuses it (a deliberate difference)
        assertFailure(UnacceptableCredentialException.class, "Salt must not be empty", admin.alterUserScramCredentials(
                List.of(new UserScramCredentialUpsertion(carol, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096),
                        "c".getBytes(StandardCharsets.UTF_8), new byte[0]))).all());

        String dave = unique("dave");
        AlterUserScramCredentialsResult mixed = admin.alterUserScramCredentials(List.of(
                upsert(dave, ScramMechanism.SCRAM_SHA_512, 4096, "d"),
                new UserScramCredentialDeletion(carol, ScramMechanism.SCRAM_SHA_512)));
        mixed.values().get(dave).get();
        assertInstanceOf(ResourceNotFoundException.class, failure(mixed.values().get(carol)));
        assertEquals(List.of(new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096)),
                admin.describeUserScramCredentials(List.of(carol)).description(carol).get().credentialInfos(),
                "carol's failed alterations changed nothing");
    }

    @Test
    void rawRequestsWithAnUnknownMechanismAndNullUsers() throws Exception {
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort())) {
            AlterUserScramCredentialsRequestData alter = new AlterUserScramCredentialsRequestData();
            alter.upsertions().add(new AlterUserScramCredentialsRequestData.ScramCredentialUpsertion().setName("eve")
                    .setMechanism((byte) 0).setIterations(4096).setSalt(new byte[] {1}).setSaltedPassword(new byte[32]));
            alter.deletions().add(new AlterUserScramCredentialsRequestData.ScramCredentialDeletion().setName("")
                    .setMechanism((byte) 1));
            AlterUserScramCredentialsResponse altered = conn.request(alter, (short) 0, AlterUserScramCredentialsResponse.class);
            var byUser = altered.data().results().stream().collect(java.util.stream.Collectors.toMap(r -> r.user(), r -> r));
            assertEquals(Errors.UNSUPPORTED_SASL_MECHANISM.code(), byUser.get("eve").errorCode());
            assertEquals("Unknown SCRAM mechanism", byUser.get("eve").errorMessage());
            assertEquals(Errors.UNACCEPTABLE_CREDENTIAL.code(), byUser.get("").errorCode());
            assertEquals("Username must not be empty", byUser.get("").errorMessage());

            DescribeUserScramCredentialsResponse described = conn.request(
                    new DescribeUserScramCredentialsRequestData().setUsers(null), (short) 0,
                    DescribeUserScramCredentialsResponse.class);
            assertEquals(Errors.NONE.code(), described.data().errorCode());
            assertTrue(described.data().results().stream().noneMatch(r -> r.user().equals("eve")));
        }
        assertInstanceOf(UnsupportedSaslMechanismException.class, failure(admin().alterUserScramCredentials(List.of(
                new UserScramCredentialDeletion("eve", ScramMechanism.UNKNOWN))).all()), "refused by the client itself");
    }

    @Test
    void theTableHoldsTheKeysKafkaDerivesAndNeverThePassword() throws Exception {
        String frank = unique("frank");
        String password = "frank-Pa55word";
        admin().alterUserScramCredentials(List.of(upsert(frank, ScramMechanism.SCRAM_SHA_512, 8192, password))).all().get();

        try (Connection c = DriverManager.getConnection(jdbcUrl);
             PreparedStatement ps = c.prepareStatement("SELECT * FROM kafka.scram_credentials WHERE user_name = ?")) {
            ps.setString(1, frank);
            try (ResultSet r = ps.executeQuery()) {
                assertTrue(r.next());
                assertEquals("SCRAM-SHA-512", r.getString("mechanism"));
                assertEquals(8192, r.getInt("iterations"));
                byte[] salt = r.getBytes("salt");
                ScramFormatter kafka = new ScramFormatter(
                        org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512);
                byte[] salted = kafka.saltedPassword(password, salt, 8192);
                assertArrayEquals(kafka.storedKey(kafka.clientKey(salted)), r.getBytes("stored_key"));
                assertArrayEquals(kafka.serverKey(salted), r.getBytes("server_key"));

                byte[] passwordBytes = password.getBytes(StandardCharsets.UTF_8);
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    byte[] value = r.getBytes(i);
                    String column = r.getMetaData().getColumnName(i);
                    assertFalse(contains(value, passwordBytes), column + " holds the password");
                    assertFalse(contains(value, salted), column + " holds the salted password");
                }
                assertFalse(r.next());
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
