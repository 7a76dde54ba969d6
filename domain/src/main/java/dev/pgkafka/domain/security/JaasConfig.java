package dev.pgkafka.domain.security;

import java.io.IOException;
import java.io.StreamTokenizer;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Kafka's {@code sasl.jaas.config} syntax, parsed as Kafka's {@code JaasConfig} parses it (the same
 * JDK tokenizer, configured the same way, so quoting, escapes and comments behave identically):
 *
 * <pre>{@code
 * <LoginModuleClass> <required|requisite|sufficient|optional> (<key>=<value>)* ;   (one or more entries)
 * }</pre>
 *
 * Values are words ({@code alice-secret}) or quoted strings ({@code "a b"}, {@code 'x'}, with {@code \"}
 * escapes); a value starting with a digit must be quoted. Error messages name keys only where the text
 * clearly is a key, never a value: values are passwords.
 */
public final class JaasConfig {
    /** Kafka's login module for SASL/PLAIN; its {@code user_<name>} options are the PLAIN users. */
    public static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    private static final String USER_PREFIX = "user_";

    private JaasConfig() {
    }

    /**
     * All the entries of a config, in order.
     *
     * @throws IllegalArgumentException when the text is not a JAAS config; the message contains no value
     */
    public static List<JaasLoginModule> parse(String text) {
        StreamTokenizer tokenizer = new StreamTokenizer(new StringReader(text));
        tokenizer.slashSlashComments(true);
        tokenizer.slashStarComments(true);
        tokenizer.wordChars('-', '-');
        tokenizer.wordChars('_', '_');
        tokenizer.wordChars('$', '$');
        List<JaasLoginModule> entries = new ArrayList<>();
        try {
            while (tokenizer.nextToken() != StreamTokenizer.TT_EOF) {
                entries.add(entry(tokenizer, entries.size() + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("Login module not specified in JAAS config");
        }
        return Collections.unmodifiableList(entries);
    }

    /**
     * The one entry of a {@code sasl.jaas.config} property, which Kafka requires to hold exactly one.
     *
     * @throws IllegalArgumentException with Kafka's messages
     */
    public static JaasLoginModule parseSingle(String text) {
        List<JaasLoginModule> entries = parse(text);
        if (entries.size() != 1) {
            throw new IllegalArgumentException("JAAS config property contains " + entries.size()
                    + " login modules, should be 1 module");
        }
        return entries.getFirst();
    }

    /**
     * The PLAIN users and their passwords: the {@code user_<name>="<password>"} options of
     * {@link #PLAIN_LOGIN_MODULE} entries; the first entry naming a user wins, as Kafka looks them up.
     */
    public static Map<String, String> plainUsers(List<JaasLoginModule> entries) {
        Map<String, String> users = new LinkedHashMap<>();
        for (JaasLoginModule entry : entries) {
            if (!entry.loginModule().equals(PLAIN_LOGIN_MODULE)) {
                continue;
            }
            for (Map.Entry<String, String> option : entry.options().entrySet()) {
                if (option.getKey().startsWith(USER_PREFIX) && option.getKey().length() > USER_PREFIX.length()) {
                    users.putIfAbsent(option.getKey().substring(USER_PREFIX.length()), option.getValue());
                }
            }
        }
        return Collections.unmodifiableMap(users);
    }

    /** One entry; the tokenizer stands on its first token. */
    private static JaasLoginModule entry(StreamTokenizer tokenizer, int number) throws IOException {
        if (tokenizer.ttype != StreamTokenizer.TT_WORD && tokenizer.ttype != '"' && tokenizer.ttype != '\'') {
            throw new IllegalArgumentException("Login module class expected at the start of entry " + number
                    + " in JAAS config");
        }
        String loginModule = tokenizer.sval;
        if (tokenizer.nextToken() == StreamTokenizer.TT_EOF) {
            throw new IllegalArgumentException("Login module control flag not specified in JAAS config");
        }
        JaasLoginModule.ControlFlag flag = controlFlag(tokenizer);
        Map<String, String> options = new LinkedHashMap<>();
        int option = 0;
        while (tokenizer.nextToken() != StreamTokenizer.TT_EOF && tokenizer.ttype != ';') {
            option++;
            String key = tokenizer.sval;
            boolean plainWord = tokenizer.ttype == StreamTokenizer.TT_WORD;
            if (key == null || tokenizer.nextToken() != '=') {
                // not "key=": the text may be the middle of an unquoted value with spaces, so it is not repeated
                throw new IllegalArgumentException("Expected key=value as option " + option + " of login module "
                        + loginModule + " in JAAS config (quote values that contain spaces or start with a digit)");
            }
            if (tokenizer.nextToken() == StreamTokenizer.TT_EOF || tokenizer.sval == null) {
                throw new IllegalArgumentException(plainWord
                        ? "Value not specified for key '" + key + "' in JAAS config"
                        : "Value not specified for option " + option + " of login module " + loginModule
                                + " in JAAS config");
            }
            options.put(key, tokenizer.sval);
        }
        if (tokenizer.ttype != ';') {
            throw new IllegalArgumentException("JAAS config entry not terminated by semi-colon");
        }
        return new JaasLoginModule(loginModule, flag, options);
    }

    private static JaasLoginModule.ControlFlag controlFlag(StreamTokenizer tokenizer) {
        String flag = tokenizer.sval;
        if (flag == null) {
            throw new IllegalArgumentException("Login module control flag is not available in the JAAS config");
        }
        return switch (flag.toUpperCase(Locale.ROOT)) {
            case "REQUIRED" -> JaasLoginModule.ControlFlag.REQUIRED;
            case "REQUISITE" -> JaasLoginModule.ControlFlag.REQUISITE;
            case "SUFFICIENT" -> JaasLoginModule.ControlFlag.SUFFICIENT;
            case "OPTIONAL" -> JaasLoginModule.ControlFlag.OPTIONAL;
            // a quoted flag is a value out of place: not repeated
            default -> throw new IllegalArgumentException(tokenizer.ttype == StreamTokenizer.TT_WORD
                    ? "Invalid login module control flag '" + flag + "' in JAAS config"
                    : "Invalid login module control flag in JAAS config");
        };
    }
}
