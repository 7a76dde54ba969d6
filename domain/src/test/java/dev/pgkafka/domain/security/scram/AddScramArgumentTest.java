package dev.pgkafka.domain.security.scram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** kafka-storage format's --add-scram syntax (Kafka's ScramParser), without its habit of echoing passwords. */
class AddScramArgumentTest {

    @Test
    void aPasswordWithDefaultsGivesACredentialThatMatchesIt() {
        List<UserScramCredential> credentials = AddScramArgument.credentials(List.of(
                "SCRAM-SHA-512=[name=admin,password=admin-secret]", "  SCRAM-SHA-256=[name=alice,password=\"a b\",iterations=8192]  "));
        UserScramCredential admin = credentials.get(0);
        assertEquals("admin", admin.user());
        assertEquals(ScramMechanism.SCRAM_SHA_512, admin.mechanism());
        assertEquals(4096, admin.credential().iterations());
        assertTrue(ScramMechanism.SCRAM_SHA_512.matches("admin-secret", admin.credential()));
        UserScramCredential alice = credentials.get(1);
        assertEquals(8192, alice.credential().iterations());
        assertTrue(ScramMechanism.SCRAM_SHA_256.matches("a b", alice.credential()), "quotes are stripped");
    }

    @Test
    void randomSaltsDifferAndAGivenSaltIsKept() {
        UserScramCredential a = AddScramArgument.parse("SCRAM-SHA-256=[name=a,password=p]").toCredential();
        UserScramCredential b = AddScramArgument.parse("SCRAM-SHA-256=[name=a,password=p]").toCredential();
        assertNotEquals(a.credential(), b.credential());
        UserScramCredential salted = AddScramArgument.parse("SCRAM-SHA-256=[name=a,password=p,salt=c2FsdA==]").toCredential();
        assertArrayEquals("salt".getBytes(StandardCharsets.UTF_8), salted.credential().salt());
    }

    @Test
    void aSaltedPasswordWithItsSalt() {
        byte[] salt = "NaCl".getBytes(StandardCharsets.UTF_8);
        byte[] salted = ScramMechanism.SCRAM_SHA_256.saltedPassword("secret", salt, 4096);
        UserScramCredential c = AddScramArgument.parse("SCRAM-SHA-256=[name=bob,salt=" + Base64.getEncoder().encodeToString(salt)
                + ",saltedpassword=" + Base64.getEncoder().encodeToString(salted) + ",iterations=4096]").toCredential();
        assertEquals(ScramMechanism.SCRAM_SHA_256.credentialFromPassword("secret", salt, 4096), c.credential());
    }

    @Test
    void kafkasMessages() {
        assertError("The add-scram mechanism SCRAM-SHA-1 is not supported.", "SCRAM-SHA-1=[name=a,password=p]");
        assertError("Expected configuration string to start with [", "SCRAM-SHA-256=name=a,password=p]");
        assertError("Expected configuration string to end with ]", "SCRAM-SHA-256=[name=a,password=p");
        assertError("You must supply 'name' to add-scram", "SCRAM-SHA-256=[password=p]");
        assertError("You must supply 'name' to add-scram", "SCRAM-SHA-256=[name=,password=p]");
        assertError("You must supply one of 'password' or 'saltedpassword' to add-scram", "SCRAM-SHA-256=[name=a]");
        assertError("You must supply 'salt' with 'saltedpassword' to add-scram", "SCRAM-SHA-256=[name=a,saltedpassword=AAAA]");
        assertError("Failed to decode given salt: %%%", "SCRAM-SHA-256=[name=a,password=p,salt=%%%]");
        assertError("Failed to parse iterations count: many", "SCRAM-SHA-256=[name=a,password=p,iterations=many]");
        assertError("The 'iterations' value must be >= 4096 for add-scram using SCRAM_SHA_256",
                "SCRAM-SHA-256=[name=a,password=p,iterations=4095]");
        assertError("The 'iterations' value must be <= 16384 for add-scram using SCRAM_SHA_512",
                "SCRAM-SHA-512=[name=a,password=p,iterations=16385]");
        assertError("The 'password' must not be empty for add-scram", "SCRAM-SHA-512=[name=a,password=]");
        assertError("No equals sign found in SCRAM component 1 (values cannot contain commas)", "SCRAM-SHA-512=[]");
    }

    @Test
    void noMessageRepeatsAPasswordOrSaltedPassword() {
        String secret = "Sup3rS3cret";
        for (String argument : List.of(
                secret,                                                              // no equals sign at all
                "SCRAM-SHA-256=[name=a,password=" + secret + "," + secret + "]",     // a comma in the password
                "SCRAM-SHA-256=[name=a,password=" + secret + ",x" + secret + "=y]",  // an unknown key made of it
                "SCRAM-SHA-256=[name=a,salt=AAAA,saltedpassword=" + secret + "!]",   // not base64
                "SCRAM-SHA-256=[name=a,password=" + secret + ",iterations=1]",
                "SCRAM-SHA-256=[name=a,password=" + secret)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AddScramArgument.credentials(List.of(argument)));
            assertFalse(e.getMessage().contains(secret), e.getMessage());
        }
        assertFalse(AddScramArgument.parse("SCRAM-SHA-256=[name=a,password=" + secret + "]").toString().contains(secret));
    }

    private static void assertError(String message, String argument) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> AddScramArgument.parse(argument)).getMessage());
    }
}
