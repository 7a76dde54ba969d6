package dev.pgkafka.adapter.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text the admin API shows that comes from elsewhere (a storage error, a database description) with
 * any password a connection URL carries masked, in JDBC form ({@code ...?user=u&password=p}) and in
 * URI form ({@code postgres://u:p@host/db}), as the bootstrap masks them in its logs.
 */
final class Secrets {
    static final String HIDDEN = "[hidden]";
    private static final Pattern PARAMETER = Pattern.compile("(?i)([?&;]password=)([^&;\\s]*)");
    private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://[^/@:\\s]*:)([^/@\\s]*)(@)");

    private Secrets() {
    }

    static String masked(String text) {
        if (text == null) {
            return null;
        }
        String out = PARAMETER.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN));
        return USER_INFO.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(HIDDEN) + "$3");
    }
}
