package dev.pgkafka.domain.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.pgkafka.domain.security.SslPrincipalMapper.PrincipalMappingException;

/** {@code ssl.principal.mapping.rules} as Kafka parses and applies them. */
class SslPrincipalMapperTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "DEFAULT",
            "RULE:^CN=(.*?),OU=Clients.*$/$1/",
            "RULE:^CN=(.*?),OU=Clients.*$/$1/L, DEFAULT",
            "RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/",
            "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/U",
            "RULE:^CN=([^,DEFAULT,]+)(,.*|$)/$1/",
            "",
            " , ,, "})
    void acceptsValidRules(String rules) {
        SslPrincipalMapper.fromRules(rules);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "default", "DEFAUL", "DEFAULT/L", "DEFAULT/U", "DEFAULTS",
            "RULE:^CN=(.*?),OU=Clients.*/$1",          // no closing slash
            "rule:^CN=(.*?)$/$1/",                      // RULE is upper case
            "RULE:^CN=(.*?)$/$1/L/U",                   // one flag only
            "RULE:^CN=(.*?)$/$1/LU",
            "RULE:^CN=(.*?)$/L",                        // no replacement
            "RULE:^CN=(.*?)$/$1/X",                     // unknown flag
            "DEFAULT, RULE:^CN=(.*?)$/$1/Q"})
    void refusesInvalidRulesNamingThem(String rules) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SslPrincipalMapper.fromRules(rules));
        assertTrue(e.getMessage().startsWith("Invalid rule: `"), e.getMessage());
    }

    @Test
    void saysWhatIsWrongWithARule() {
        assertEquals("Invalid rule: `RULE:^CN=(.*?)$/$1/L/U`, unmatched substring: `/U`",
                assertThrows(IllegalArgumentException.class,
                        () -> SslPrincipalMapper.fromRules("RULE:^CN=(.*?)$/$1/L/U")).getMessage());
        assertEquals("Invalid rule: `default`, unmatched substring: `default`",
                assertThrows(IllegalArgumentException.class, () -> SslPrincipalMapper.fromRules("default")).getMessage());
        IllegalArgumentException regex = assertThrows(IllegalArgumentException.class,
                () -> SslPrincipalMapper.fromRules("RULE:^CN=(.*$/$1/"));
        assertTrue(regex.getMessage().startsWith("Invalid rule: `RULE:^CN=(.*$/$1/`: `^CN=(.*$` is not a regular "
                + "expression: Unclosed group"), regex.getMessage());
    }

    @Test
    void theFirstMatchingRuleWins() throws Exception {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules(String.join(", ",
                "RULE:^CN=(.*?),OU=Clients.*$/$1/L",
                "RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/L",
                "RULE:^cn=(.*?),ou=(.*?),dc=(.*?),dc=(.*?)$/$1@$2/U",
                "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/U",
                "DEFAULT"));
        assertEquals("alice", mapper.principalName("CN=Alice,OU=Clients,O=Corp,C=US"));
        assertEquals("bob@eng", mapper.principalName("CN=Bob,OU=Eng,O=corp,L=Lyon,ST=ARA,C=FR"));
        assertEquals("CAROL@OPS", mapper.principalName("cn=carol,ou=ops,dc=corp,dc=example"));
        assertEquals("DAVE", mapper.principalName("cN=dave,OU=Sales,O=Corp Inc"));
        assertEquals("OU=Sales,O=Corp Inc,C=US", mapper.principalName("OU=Sales,O=Corp Inc,C=US"));
    }

    @Test
    void refusesARuleThatOnlyALineBreakSeparatesFromTheNext() throws Exception {
        // Kafka silently keeps only the last of these two rules
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SslPrincipalMapper.fromRules("RULE:^CN=([a-z]+)$/$1/\nRULE:^OU=(.*)$/$1/"));
        assertEquals("Invalid rule: `RULE:^CN=([a-z]+)$/$1/` is not separated from the next rule by a comma (rules "
                + "are separated by commas; a line break alone does not separate them, and Kafka would ignore this rule)",
                e.getMessage());
        // a comma, then a line break and indentation, is how Kafka's documentation lays rules out
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=(.*?),OU=a$/$1/,\n  RULE:^CN=(.*?),OU=b$/$1/U,\n  DEFAULT");
        assertEquals("[RULE:^CN=(.*?),OU=a$/$1, RULE:^CN=(.*?),OU=b$/$1/U, DEFAULT]", mapper.toString());
        assertEquals("BOB", mapper.principalName("CN=bob,OU=b"));
    }

    @Test
    void defaultKeepsTheNameAndIsTheDefault() throws Exception {
        assertEquals("CN=alice,OU=eng,O=corp", SslPrincipalMapper.fromRules(null).principalName("CN=alice,OU=eng,O=corp"));
        assertEquals(KafkaPrincipal.user("CN=alice,OU=eng,O=corp"), SslPrincipalMapper.DEFAULT.principal("CN=alice,OU=eng,O=corp"));
        java.util.function.Function<String, String> asListenersUseIt = SslPrincipalMapper.fromRules(
                "RULE:^CN=([^,]+),.*$/$1/")::principalName;
        assertEquals("alice", asListenersUseIt.apply("CN=alice,OU=eng,O=corp"));
        assertThrows(PrincipalMappingException.class, () -> asListenersUseIt.apply("OU=eng"));
    }

    @Test
    void noMatchingRuleIsAFailure() {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=(.*?),OU=Clients$/$1/");
        PrincipalMappingException e = assertThrows(PrincipalMappingException.class,
                () -> mapper.principalName("CN=mallory,OU=Elsewhere"));
        assertEquals("No rules apply to CN=mallory,OU=Elsewhere, rules [RULE:^CN=(.*?),OU=Clients$/$1]", e.getMessage());
        assertThrows(PrincipalMappingException.class, () -> SslPrincipalMapper.fromRules("").principalName("CN=a"));
    }

    @Test
    void splitsRulesAtCommasOutsidePatternsAndReplacements() {
        assertRules("[]", "");
        assertRules("[DEFAULT]", "DEFAULT");
        assertRules("[RULE:/]", "RULE://");
        assertRules("[RULE:/.*/L]", "RULE:/.*/L");
        assertRules("[RULE:/, DEFAULT]", "  RULE:// ,  DEFAULT  ");
        assertRules("[RULE:   /     /U, DEFAULT]", "  RULE:   /     /U   ,DEFAULT  ");
        assertRules("[RULE:([A-Z]*)/$1/U, RULE:([a-z]+)/$1, DEFAULT]", "RULE:([A-Z]*)/$1/U ,RULE:([a-z]+)/$1/,  DEFAULT");
        // empty entries are skipped
        assertRules("[]", ",   , , ,  ");
        assertRules("[RULE:/, DEFAULT]", ",,RULE://,,,DEFAULT,,");
        // escapes: a backslash makes the next character part of the pattern or replacement
        assertRules("[RULE:\\/\\\\\\(\\)\\n\\t/\\/\\/]", "RULE:\\/\\\\\\(\\)\\n\\t/\\/\\//");
        assertRules("[RULE:\\**\\/+/*/L, RULE:\\/*\\**/**]", "RULE:\\**\\/+/*/L,RULE:\\/*\\**/**/");
        // commas inside a pattern or replacement belong to the rule; "RULE:" inside one is just text
        assertRules("[RULE:,RULE:,/,RULE:,\\//U, RULE:,/RULE:,, RULE:, DEFAULT, /DEFAULT, DEFAULT]",
                "RULE:,RULE:,/,RULE:,\\//U,RULE:,/RULE:,/,RULE:, DEFAULT, /DEFAULT/,DEFAULT");
    }

    private static void assertRules(String expected, String rules) {
        assertEquals(expected, SslPrincipalMapper.fromRules(rules).toString());
    }

    @Test
    void anEscapedCommaInTheNameCanBeMatched() throws Exception {
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=((\\\\, *|\\w)+)(,.*|$)/$1/,DEFAULT");
        assertEquals("Doe\\, John", mapper.principalName("CN=Doe\\, John,OU=IT,DC=corp,DC=example"));
    }

    @Test
    void referencesToMissingGroupsAreLiteralText() throws Exception {
        assertEquals("alice$2", SslPrincipalMapper.fromRules("RULE:^CN=([a-z]+)$/$1$2/").principalName("CN=alice"));
        // $12 with one group: group 1, then the digit 2 (Java's longest valid group reference)
        assertEquals("alice2", SslPrincipalMapper.fromRules("RULE:^CN=([a-z]+)$/$12/").principalName("CN=alice"));
        assertEquals("user-$1", SslPrincipalMapper.fromRules("RULE:^CN=[a-z]+$/user-$1/").principalName("CN=alice"));
        assertEquals("$1", SslPrincipalMapper.fromRules("RULE:^CN=([a-z]+)$/\\$1/").principalName("CN=alice"));
        PrincipalMappingException e = assertThrows(PrincipalMappingException.class,
                () -> SslPrincipalMapper.fromRules("RULE:^CN=([a-z]+)$/${nope}/").principalName("CN=alice"));
        assertTrue(e.getMessage().startsWith("Failed to map name for 'CN=alice' based on SSL principal mapping rules"),
                e.getMessage());
    }

    @Test
    void aPatternThatAlsoMatchesTheEmptyEndReplacesTwiceAsKafkaDoes() throws Exception {
        // Kafka applies String.replaceAll once the pattern matched the whole name
        assertEquals("xx", SslPrincipalMapper.fromRules("RULE:.*/x/").principalName("CN=alice"));
        assertEquals("x", SslPrincipalMapper.fromRules("RULE:^.*$/x/").principalName("CN=alice"));
    }

    @Test
    void mapsTheNameTheJdkGivesForACertificateSubject() throws Exception {
        // X500Principal#getName() is RFC 2253: no spaces after the commas, special characters escaped
        X500Principal subject = new X500Principal("CN=alice, OU=eng, O=Corp\\, Inc., C=FR");
        assertEquals("CN=alice,OU=eng,O=Corp\\, Inc.,C=FR", subject.getName());
        assertEquals(KafkaPrincipal.user("CN=alice,OU=eng,O=Corp\\, Inc.,C=FR"),
                SslPrincipalMapper.DEFAULT.principal(subject.getName()));
        SslPrincipalMapper mapper = SslPrincipalMapper.fromRules("RULE:^CN=([^,]+),OU=eng,.*$/$1/U");
        assertEquals(KafkaPrincipal.user("ALICE"), mapper.principal(subject.getName()));
        // an attribute without an RFC 2253 keyword is written as its OID and the hex of its DER value
        X500Principal withEmail = new X500Principal("EMAILADDRESS=a@b.c, CN=alice");
        assertEquals("1.2.840.113549.1.9.1=#16056140622e63,CN=alice", withEmail.getName());
    }
}
