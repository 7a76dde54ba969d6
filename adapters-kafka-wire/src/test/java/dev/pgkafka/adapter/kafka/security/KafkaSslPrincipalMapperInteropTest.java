package dev.pgkafka.adapter.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pgkafka.domain.security.SslPrincipalMapper;

/**
 * Our {@code ssl.principal.mapping.rules} against Kafka's own {@code SslPrincipalMapper} (kafka-clients
 * 4.3.1): the same rule lists are accepted or refused, print the same, and map the same names to the
 * same principal names, but for the one deliberate difference: a rule that only a line break separates
 * from the next, which Kafka drops silently, is refused.
 */
class KafkaSslPrincipalMapperInteropTest {
    private static final List<String> RULES = List.of(
            "DEFAULT", "", " , ,, ", "default", "DEFAUL", "DEFAULT/L", "DEFAULT/U", "DEFAULT, RULE:^CN=(.*?)$/$1/Q",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L, DEFAULT",
            "RULE:^CN=(.*?),OU=(.*?),O=(.*?),L=(.*?),ST=(.*?),C=(.*?)$/$1@$2/",
            "RULE:^.*[Cc][Nn]=([a-zA-Z0-9.]*).*$/$1/L",
            "RULE:^cn=(.?),ou=(.?),dc=(.?),dc=(.?)$/$1@$2/U",
            "RULE:^CN=([^,ADEFLTU,]+)(,.*|$)/$1/",
            "RULE:^CN=([^,DEFAULT,]+)(,.*|$)/$1/",
            "RULE:CN=(.*?),OU=ServiceUsers.*/$1",
            "rule:^CN=(.*?),OU=ServiceUsers.*$/$1/",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/$1/L/U",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/L",
            "RULE:^CN=(.*?),OU=ServiceUsers.*$/LU",
            "RULE://", "RULE:/.*/", "RULE:/.*/L", "RULE://,DEFAULT", "  RULE:// ,  DEFAULT  ",
            "  RULE:   /     / ,  DEFAULT  ", "  RULE:  /     /U   ,DEFAULT  ",
            "  RULE:([A-Z]*)/$1/U   ,RULE:([a-z]+)/$1/,   DEFAULT  ",
            ",   , , ,      , , ,   ", ",,RULE://,,,DEFAULT,,", ",  , RULE: /   /    ,,,   DEFAULT, ,   ",
            "RULE:\\/\\\\\\(\\)\\n\\t/\\/\\//", "RULE:\\**\\/+/*/L,RULE:\\/*\\**/**/",
            "RULE:,RULE:,/,RULE:,\\//U,RULE:,/RULE:,/,RULE:,RULE:,/L,RULE:,/L,RULE:, DEFAULT, /DEFAULT/,DEFAULT",
            "RULE:^CN=((\\\\, *|\\w)+)(,.*|$)/$1/,DEFAULT",
            "RULE:.*/x/", "RULE:^.*$/x/", "RULE:^CN=([a-z]+).*$/$1$2/", "RULE:^CN=([a-z]+).*$/$12/",
            "RULE:^CN=([a-z]+)(.*)$/$2-$1/U, DEFAULT",
            "RULE:^CN=(?<user>[a-z]+),.*$/${user}/",
            "RULE:^CN=(.*?)$/$1/\nRULE:^OU=(.*?)$/$1/",
            "RULE:^CN=([a-z]+),OU=eng,.*$/$1/L,\n  RULE:^CN=([A-Za-z]+),.*$/$1/U,\n  DEFAULT");
    /** Rule lists Kafka accepts while ignoring a rule in them; refused here. */
    private static final List<String> DROPPED_BY_KAFKA = List.of("RULE:^CN=(.*?)$/$1/\nRULE:^OU=(.*?)$/$1/");
    private static final List<String> NAMES = List.of(
            "CN=Duke,OU=ServiceUsers,O=Org,C=US", "CN=Duke,OU=SME,O=mycp,L=Fulton,ST=MD,C=US",
            "cn=duke,ou=sme,dc=mycp,dc=com", "cN=duke,OU=JavaSoft,O=Sun Microsystems",
            "OU=JavaSoft,O=Sun Microsystems,C=US", "CN=Tkac\\, Adam,OU=ITZ,DC=geodis,DC=cz",
            "CN=alice,OU=eng,O=corp", "CN=alice", "", "CN=Bob,OU=Sales,O=corp,C=FR",
            "1.2.840.113549.1.9.1=#16056140622e63,CN=alice");

    @Test
    void parsesAndMapsExactlyAsKafkaDoes() {
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String rules : RULES) {
            String ours = parseOurs(rules);
            String kafka = parseKafka(rules);
            if (DROPPED_BY_KAFKA.contains(rules)) {
                assertEquals("invalid", ours, rules);
                assertEquals(false, kafka.equals("invalid"), rules);
                continue;
            }
            if (!ours.equals(kafka)) {
                differences.add("rules " + quoted(rules) + ": ours " + ours + ", Kafka's " + kafka);
                continue;
            }
            if (ours.startsWith("invalid")) {
                continue;
            }
            SslPrincipalMapper mapper = SslPrincipalMapper.fromRules(rules);
            org.apache.kafka.common.security.ssl.SslPrincipalMapper theirs =
                    org.apache.kafka.common.security.ssl.SslPrincipalMapper.fromRules(rules);
            for (String name : NAMES) {
                String a = mapOurs(mapper, name);
                String b = mapKafka(theirs, name);
                compared++;
                if (!a.equals(b)) {
                    differences.add("rules " + quoted(rules) + ", name " + quoted(name) + ": ours " + a + ", Kafka's " + b);
                }
            }
        }
        assertEquals(List.of(), differences);
        assertEquals(true, compared > 200, "compared " + compared);
    }

    private static String parseOurs(String rules) {
        try {
            return "rules " + SslPrincipalMapper.fromRules(rules);
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }

    private static String parseKafka(String rules) {
        try {
            String printed = org.apache.kafka.common.security.ssl.SslPrincipalMapper.fromRules(rules).toString();
            return "rules " + printed.substring("SslPrincipalMapper(rules = ".length(), printed.length() - 1);
        } catch (IllegalArgumentException e) {
            return "invalid";
        }
    }

    private static String mapOurs(SslPrincipalMapper mapper, String name) {
        try {
            return "name " + mapper.principalName(name);
        } catch (SslPrincipalMapper.PrincipalMappingException e) {
            return e.getMessage().startsWith("No rules apply") ? "no match" : "failure";
        }
    }

    private static String mapKafka(org.apache.kafka.common.security.ssl.SslPrincipalMapper mapper, String name) {
        try {
            return "name " + mapper.getName(name);
        } catch (java.io.IOException e) {
            return "no match";
        } catch (RuntimeException e) {
            return "failure";
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }
}
