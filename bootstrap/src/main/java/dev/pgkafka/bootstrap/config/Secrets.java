package dev.pgkafka.bootstrap.config;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What must never be shown: Kafka's PASSWORD-typed configs (under any {@code listener.name.<l>.}
 * and mechanism prefix) and the password inside a database URL. Shown values read {@code [hidden]}
 * as in Kafka's logs.
 */
public final class Secrets {
    public static final String HIDDEN = "[hidden]";

    /** Kafka's broker configs of type PASSWORD, and ours. */
    private static final Set<String> PASSWORD_KEYS = Set.of(
            "ssl.keystore.password", "ssl.key.password", "ssl.truststore.password",
            "ssl.keystore.key", "ssl.keystore.certificate.chain", "ssl.truststore.certificates",
            "sasl.jaas.config", "sasl.oauthbearer.client.credentials.client.secret",
            "sasl.oauthbearer.assertion.private.key.passphrase", "password.encoder.secret",
            "password.encoder.old.secret", "delegation.token.secret.key", "delegation.token.master.key",
            "sasl.login.callback.handler.class.password");

    private static final Pattern JDBC_PASSWORD = Pattern.compile("(?i)([?&;]password=)([^&;]*)");
    private static final Pattern URL_USERINFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@:\\s]*:)([^/@\\s]*)(@)");

    private Secrets() {
    }

    /** Whether a config key holds a secret. */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        if (k.equals("password") || k.endsWith(".password") || k.endsWith("sasl.jaas.config") || k.endsWith(".secret")
                || k.equals(ConfigKeys.DATABASE_URL)) {
            return true;
        }
        for (String p : PASSWORD_KEYS) {
            if (k.equals(p) || k.endsWith("." + p)) {
                return true;
            }
        }
        return false;
    }

    /** A value as it may be shown: secrets hidden, a database URL with its password masked. */
    public static String shown(String key, String value) {
        if (value == null) {
            return null;
        }
        if (key.equals(ConfigKeys.DATABASE_URL)) {
            return redactUrl(value);
        }
        return isSensitive(key) ? HIDDEN : value;
    }

    /**
     * A database URL with its password replaced, in JDBC form ({@code ...?user=u&password=p}) and in
     * URI form ({@code postgres://u:p@host/db}).
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        String out = JDBC_PASSWORD.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        return URL_USERINFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN) + "$3");
    }

    /** A text (an error message from a library, say) with any occurrence of the given secrets masked. */
    public static String scrub(String text, Iterable<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 3) {
                out = out.replace(secret, HIDDEN);
            }
        }
        return redactUrl(out);
    }
}
