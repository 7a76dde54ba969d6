package dev.pgkafka.domain.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Kafka's {@code ssl.principal.mapping.rules}: how the distinguished name of a client certificate
 * becomes a principal name, as Kafka's {@code SslPrincipalMapper} and {@code DefaultKafkaPrincipalBuilder}
 * do it.
 *
 * <p>The rules are a comma-separated list (whitespace around the commas is ignored, empty entries are
 * skipped), tried in order; the first that matches the whole name gives the principal name:
 * <ul>
 *   <li>{@code DEFAULT}: the distinguished name unchanged;</li>
 *   <li>{@code RULE:pattern/replacement/} with an optional {@code L} (lower case) or {@code U} (upper
 *       case) after the last slash: when the Java regular expression {@code pattern} matches the whole
 *       name, the name with every match replaced by {@code replacement} ({@code $1}... refer to groups; a
 *       reference to a group the pattern does not have is kept as literal text). A backslash escapes
 *       the next character in both, so {@code \/} is a slash and {@code \,} a comma.</li>
 * </ul>
 * A name no rule matches has no principal: Kafka then fails the connection. Without the setting
 * the rules are {@code DEFAULT}. One difference from Kafka: a rule followed by a line break but no
 * comma, which Kafka ignores without a word, is refused.
 *
 * <p>The name is the one {@code javax.security.auth.x500.X500Principal#getName()} gives (RFC 2253:
 * {@code CN=alice,OU=eng,O=corp}, no space after the commas, special characters escaped with a
 * backslash, attributes without an RFC 2253 keyword such as emailAddress as an OID and a hex value).
 * Immutable and thread-safe.
 */
public final class SslPrincipalMapper {
    /** Kafka's default for {@code ssl.principal.mapping.rules}. */
    public static final String DEFAULT_RULES = "DEFAULT";

    /*
     * The grammar of one rule. The pattern and the replacement are runs of escaped characters or
     * characters other than backslash and slash; text after the flag belongs to the rule (and makes it
     * invalid) up to the next comma. Anything that is neither DEFAULT nor RULE:... is captured as
     * "other" and refused, so that a typo never silently drops a rule.
     */
    private static final String ESCAPED_TEXT = "(?:\\\\.|[^\\\\/])*";
    private static final String RULE_GRAMMAR = "(?<default>DEFAULT)"
            + "|RULE:(?<pattern>" + ESCAPED_TEXT + ")/(?<replacement>" + ESCAPED_TEXT + ")/(?<flag>[LU]?).*?"
            + "|(?<other>.*?)";
    /** One rule of the list, with the whitespace and comma that end it. */
    private static final Pattern LIST_ENTRY = Pattern.compile("\\s*(?<rule>" + RULE_GRAMMAR + ")\\s*(?:,\\s*|$)");
    private static final Pattern RULE = Pattern.compile(RULE_GRAMMAR);
    private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$(\\d+)");

    /** The mapper of Kafka's default rules: every name unchanged. */
    public static final SslPrincipalMapper DEFAULT = fromRules(DEFAULT_RULES);

    private final List<Rule> rules;

    private SslPrincipalMapper(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * Parses {@code ssl.principal.mapping.rules}; {@code null} means Kafka's default, {@code DEFAULT}.
     *
     * @throws IllegalArgumentException naming the invalid rule and what is wrong with it
     */
    public static SslPrincipalMapper fromRules(String rules) {
        String text = rules == null ? DEFAULT_RULES : rules.trim();
        List<Rule> parsed = new ArrayList<>();
        Matcher entries = LIST_ENTRY.matcher(text);
        int end = 0;
        while (entries.find()) {
            refuseSkipped(text.substring(end, entries.start()));
            end = entries.end();
            Rule rule = parse(entries.group("rule"));
            if (rule != null) {
                parsed.add(rule);
            }
        }
        refuseSkipped(text.substring(end));
        return new SslPrincipalMapper(parsed);
    }

    /**
     * Text no list entry covers: only a line break without a comma before it leaves any. Kafka drops
     * such text silently (so a rule written on its own line without a trailing comma is ignored); a
     * mapping rule that silently does not apply is a security hole, so it is refused here.
     */
    private static void refuseSkipped(String skipped) {
        if (!skipped.isBlank()) {
            throw new IllegalArgumentException("Invalid rule: `" + skipped.strip() + "` is not separated from the "
                    + "next rule by a comma (rules are separated by commas; a line break alone does not separate "
                    + "them, and Kafka would ignore this rule)");
        }
    }

    /** One rule, or null for an empty entry. */
    private static Rule parse(String text) {
        Matcher m = RULE.matcher(text);
        if (!m.lookingAt() || m.end() != text.length()) {
            int end = m.lookingAt() ? m.end() : 0;
            throw new IllegalArgumentException("Invalid rule: `" + text + "`, unmatched substring: `"
                    + text.substring(end) + "`");
        }
        if (m.group("default") != null) {
            return Rule.DEFAULT;
        }
        if (m.group("pattern") == null) {
            return null; // an empty entry: ",," or a list that is only whitespace
        }
        String pattern = m.group("pattern");
        try {
            return new Rule(Pattern.compile(pattern), m.group("replacement"), m.group("flag"));
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("Invalid rule: `" + text + "`: `" + pattern
                    + "` is not a regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
        }
    }

    /**
     * The principal name for a distinguished name: the first matching rule's answer. Usable as a
     * {@code Function<String, String>} ({@code mapper::principalName}).
     *
     * @throws PrincipalMappingException when no rule matches, or a rule's replacement is invalid: the
     *                                   connection must then fail, as Kafka fails it
     */
    public String principalName(String distinguishedName) {
        Objects.requireNonNull(distinguishedName, "distinguishedName");
        for (Rule rule : rules) {
            String name = rule.apply(distinguishedName);
            if (name != null) {
                return name;
            }
        }
        throw new PrincipalMappingException("No rules apply to " + distinguishedName + ", rules " + rules);
    }

    /**
     * The principal of a client that presented a certificate with this subject, as Kafka's
     * {@code DefaultKafkaPrincipalBuilder} builds it: {@code User:} and the mapped name. (A client
     * without a certificate is {@link KafkaPrincipal#ANONYMOUS}.)
     *
     * @param distinguishedName {@code X500Principal#getName()} of the peer's certificate subject
     */
    public KafkaPrincipal principal(String distinguishedName) {
        return KafkaPrincipal.user(principalName(distinguishedName));
    }

    /** The rules as Kafka prints them: {@code [RULE:pattern/replacement/L, DEFAULT]}. */
    @Override
    public String toString() {
        return rules.toString();
    }

    /**
     * No rule maps a name, or a rule's replacement refers to something that does not exist (Kafka
     * throws its KafkaException "Failed to map name for ... based on SSL principal mapping rules").
     */
    public static final class PrincipalMappingException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PrincipalMappingException(String message) {
            super(message);
        }
    }

    private record Rule(Pattern pattern, String replacement, String flag) {
        static final Rule DEFAULT = new Rule(null, null, "");

        String apply(String name) {
            if (pattern == null) {
                return name;
            }
            Matcher matcher = pattern.matcher(name);
            if (!matcher.matches()) {
                return null;
            }
            String mapped;
            try {
                // every match, not only the whole name: a pattern that also matches the empty string
                // at the end adds a second replacement, as it does in Kafka (String.replaceAll)
                mapped = matcher.reset().replaceAll(literalUnknownGroups(replacement, matcher.groupCount()));
            } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                throw new PrincipalMappingException("Failed to map name for '" + name
                        + "' based on SSL principal mapping rules: " + this + ": " + e.getMessage());
            }
            return switch (flag) {
                case "L" -> mapped.toLowerCase(Locale.ENGLISH);
                case "U" -> mapped.toUpperCase(Locale.ENGLISH);
                default -> mapped;
            };
        }

        /**
         * {@code $n} where the pattern has fewer than n groups becomes the literal text {@code $n}
         * (Kafka's rule, taken from Apache NiFi): Java reads the longest prefix of the digits that names
         * a group, so only a first digit beyond the group count needs escaping.
         */
        private static String literalUnknownGroups(String replacement, int groupCount) {
            Matcher ref = GROUP_REFERENCE.matcher(replacement);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            while (ref.find()) {
                if (precededByBackslash(replacement, ref.start())) {
                    continue;
                }
                int firstDigit = ref.group(1).charAt(0) - '0';
                if (firstDigit > groupCount) {
                    out.append(replacement, copied, ref.start()).append('\\');
                    copied = ref.start();
                }
            }
            return out.append(replacement, copied, replacement.length()).toString();
        }

        /** Whether an odd number of backslashes precedes the index (so the char there is escaped). */
        private static boolean precededByBackslash(String text, int index) {
            int count = 0;
            for (int i = index - 1; i >= 0 && text.charAt(i) == '\\'; i--) {
                count++;
            }
            return count % 2 == 1;
        }

        @Override
        public String toString() {
            if (pattern == null) {
                return "DEFAULT";
            }
            StringBuilder out = new StringBuilder("RULE:").append(pattern.pattern());
            if (replacement != null) {
                out.append('/').append(replacement);
            }
            if (!flag.isEmpty()) {
                out.append('/').append(flag);
            }
            return out.toString();
        }
    }
}
