package dev.pgkafka.domain.security.scram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;

class ScramMechanismTest {

    @Test
    void namesAndKafkaTypeCodes() {
        assertEquals(Optional.of(ScramMechanism.SCRAM_SHA_256), ScramMechanism.forMechanismName("SCRAM-SHA-256"));
        assertEquals(Optional.of(ScramMechanism.SCRAM_SHA_512), ScramMechanism.forMechanismName("SCRAM-SHA-512"));
        assertEquals(Optional.empty(), ScramMechanism.forMechanismName("scram-sha-256"), "names are case-sensitive");
        assertEquals(Optional.empty(), ScramMechanism.forMechanismName("SCRAM-SHA-1"));
        assertEquals(Optional.of(ScramMechanism.SCRAM_SHA_256), ScramMechanism.forType(1));
        assertEquals(Optional.of(ScramMechanism.SCRAM_SHA_512), ScramMechanism.forType(2));
        assertEquals(Optional.empty(), ScramMechanism.forType(0), "Kafka's UNKNOWN");
        assertEquals(Optional.empty(), ScramMechanism.forType(3));
        assertEquals(4096, ScramMechanism.SCRAM_SHA_512.minIterations());
        assertEquals(16384, ScramMechanism.SCRAM_SHA_256.maxIterations());
    }

    @Test
    void hiIsPbkdf2AsTheJdkComputesIt() throws Exception {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        for (ScramMechanism m : ScramMechanism.values()) {
            String jdk = m == ScramMechanism.SCRAM_SHA_256 ? "PBKDF2WithHmacSHA256" : "PBKDF2WithHmacSHA512";
            for (int iterations : new int[] {1, 2, 4096}) {
                for (String password : new String[] {"pencil", "pässwörd ✓", "x"}) {
                    byte[] expected = SecretKeyFactory.getInstance(jdk).generateSecret(
                            new PBEKeySpec(password.toCharArray(), salt, iterations, m.hashLength() * 8)).getEncoded();
                    assertArrayEquals(expected, m.saltedPassword(password, salt, iterations),
                            m + " " + iterations + " " + password);
                }
            }
        }
    }

    @Test
    void rfc7677KeysOfUserPencil() {
        // RFC 7677 section 3: the client proof of the example, from the keys this class derives
        ScramMechanism m = ScramMechanism.SCRAM_SHA_256;
        byte[] salted = m.saltedPassword("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,"
                + "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
                + "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                Base64.getEncoder().encodeToString(m.clientProof(salted, authMessage)));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
                Base64.getEncoder().encodeToString(m.signature(m.serverKey(salted), authMessage)));
    }

    @Test
    void aCredentialMatchesItsPasswordOnly() {
        byte[] salt = "salt".getBytes(StandardCharsets.UTF_8);
        for (ScramMechanism m : ScramMechanism.values()) {
            ScramCredential c = m.credentialFromPassword("alice-secret", salt, 4096);
            assertTrue(m.matches("alice-secret", c));
            assertFalse(m.matches("alice-secreT", c));
            assertFalse(m.matches("", c));
            assertEquals(m.hashLength(), c.storedKey().length);
            assertEquals(m.hashLength(), c.serverKey().length);
        }
        assertNotEquals(ScramMechanism.SCRAM_SHA_256.credentialFromPassword("p", salt, 4096),
                ScramMechanism.SCRAM_SHA_256.credentialFromPassword("p", "other".getBytes(StandardCharsets.UTF_8), 4096));
    }

    @Test
    void aCredentialIsAValueThatShowsNoKey() {
        byte[] salt = {1, 2, 3};
        ScramCredential a = ScramMechanism.SCRAM_SHA_512.credentialFromPassword("p", salt, 4096);
        ScramCredential b = ScramMechanism.SCRAM_SHA_512.credentialFromPassword("p", salt.clone(), 4096);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        salt[0] = 9;
        assertEquals(a, b, "the salt was copied in");
        a.salt()[0] = 9;
        assertEquals(a, b, "and is copied out");
        assertEquals("ScramCredential(salt=[hidden], storedKey=[hidden], serverKey=[hidden], iterations=4096)",
                a.toString());
    }
}
