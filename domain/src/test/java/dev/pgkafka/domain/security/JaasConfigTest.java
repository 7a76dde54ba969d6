package dev.pgkafka.domain.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Kafka's sasl.jaas.config syntax, and the PLAIN users it holds. */
class JaasConfigTest {
    private static final String PLAIN = JaasConfig.PLAIN_LOGIN_MODULE;

    @Test
    void kafkasDocumentedPlainConfig() {
        JaasLoginModule entry = JaasConfig.parseSingle(PLAIN + " required username=\"admin\" password=\"admin-secret\""
                + " user_admin=\"admin-secret\" user_alice=\"alice-secret\";");
        assertEquals(PLAIN, entry.loginModule());
        assertEquals(JaasLoginModule.ControlFlag.REQUIRED, entry.controlFlag());
        assertEquals(Map.of("username", "admin", "password", "admin-secret", "user_admin", "admin-secret",
                "user_alice", "alice-secret"), entry.options());
        assertEquals(Map.of("admin", "admin-secret", "alice", "alice-secret"), JaasConfig.plainUsers(List.of(entry)));
    }

    @Test
    void unquotedWordsSingleQuotesEscapesAndComments() {
        JaasLoginModule entry = JaasConfig.parseSingle("""
                /* the broker's users */
                org.apache.kafka.common.security.plain.PlainLoginModule Required  // any case
                    user_bob=bob-secret
                    user_carol='carol secret'
                    user_dave="quote\\" backslash\\\\ tab\\t"
                    user_$x=a.b-c_d;
                """);
        assertEquals(Map.of("bob", "bob-secret", "carol", "carol secret", "dave", "quote\" backslash\\ tab\t",
                "$x", "a.b-c_d"), JaasConfig.plainUsers(List.of(entry)));
    }

    @Test
    void severalModulesEveryControlFlagAndTheFirstPlainEntryWins() {
        List<JaasLoginModule> entries = JaasConfig.parse(
                "org.apache.kafka.common.security.scram.ScramLoginModule requisite user_ignored=x;"
                        + PLAIN + " sufficient user_alice=first;"
                        + PLAIN + " optional user_alice=second user_bob=b;");
        assertEquals(List.of(JaasLoginModule.ControlFlag.REQUISITE, JaasLoginModule.ControlFlag.SUFFICIENT,
                JaasLoginModule.ControlFlag.OPTIONAL), entries.stream().map(JaasLoginModule::controlFlag).toList());
        assertEquals(Map.of("alice", "first", "bob", "b"), JaasConfig.plainUsers(entries));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JaasConfig.parseSingle(
                PLAIN + " required; " + PLAIN + " required;"));
        assertEquals("JAAS config property contains 2 login modules, should be 1 module", e.getMessage());
    }

    @Test
    void aModuleWithoutOptionsAndAUserPrefixWithoutName() {
        JaasLoginModule entry = JaasConfig.parseSingle(PLAIN + " required user_=x;");
        assertEquals(Map.of(), JaasConfig.plainUsers(List.of(entry)));
        assertEquals(Map.of(), JaasConfig.parseSingle(PLAIN + " required;").options());
    }

    @Test
    void toStringShowsOptionNamesOnly() {
        JaasLoginModule entry = JaasConfig.parseSingle(PLAIN + " required user_admin=\"s3cret\";");
        assertEquals(PLAIN + " required [user_admin]", entry.toString());
    }

    @Test
    void kafkasErrorMessages() {
        assertError("Login module not specified in JAAS config", "");
        assertError("Login module not specified in JAAS config", "  /* only a comment */ ");
        assertError("Login module control flag not specified in JAAS config", PLAIN);
        assertError("Invalid login module control flag 'needed' in JAAS config", PLAIN + " needed;");
        assertError("Login module control flag is not available in the JAAS config", PLAIN + " 42;");
        assertError("JAAS config entry not terminated by semi-colon", PLAIN + " required user_a=\"x\"");
        assertError("Value not specified for key 'user_a' in JAAS config", PLAIN + " required user_a=;");
        assertError("Value not specified for key 'user_a' in JAAS config", PLAIN + " required user_a=");
    }

    @Test
    void hostileOrBrokenConfigsNeverEchoAPassword() {
        String secret = "Tr0ub4dor";
        for (String config : List.of(
                PLAIN + " required user_admin=" + secret + " x" + secret + ";",          // unquoted value with a space
                PLAIN + " required user_admin=\"" + secret + "\" \"" + secret + "\";",   // a stray quoted value
                PLAIN + " \"" + secret + "\" user_admin=x;",                              // a value as control flag
                "\"" + secret + "\"",                                                    // a value alone
                PLAIN + " required user_admin=1" + secret + ";",                         // a value starting with a digit
                PLAIN + " required \"" + secret + "\"=;",                                // a quoted key without value
                PLAIN + " required user_admin " + secret + ";",                          // no equals sign
                "= " + secret + ";",                                                     // no module
                PLAIN + " required user_admin=\"" + secret)) {                           // unterminated quote
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JaasConfig.parse(config),
                    config);
            assertFalse(e.getMessage().contains(secret), e.getMessage());
            assertFalse(e.getMessage().contains("roub"), e.getMessage());
        }
    }

    @Test
    void aDigitStartsANumberAsInKafka() {
        // StreamTokenizer reads -1 and 12ab as numbers: Kafka refuses such unquoted values, so do we
        assertError("Value not specified for key 'user_a' in JAAS config", PLAIN + " required user_a=12ab;");
        assertEquals(Map.of("a", "12ab"), JaasConfig.plainUsers(List.of(
                JaasConfig.parseSingle(PLAIN + " required user_a=\"12ab\";"))));
    }

    private static void assertError(String message, String config) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> JaasConfig.parse(config)).getMessage());
    }
}
