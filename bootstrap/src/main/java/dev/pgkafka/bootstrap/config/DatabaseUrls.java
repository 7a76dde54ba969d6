package dev.pgkafka.bootstrap.config;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Database URLs as people have them: the JDBC form, or the {@code postgres://user:password@host/db}
 * form that PaaS platforms and libpq use, turned into the JDBC form the driver takes.
 */
public final class DatabaseUrls {
    private DatabaseUrls() {
    }

    /** @throws ConfigException when the URL is neither form (the message hides its password) */
    public static String toJdbc(String url) {
        String u = url.trim();
        if (u.startsWith("jdbc:postgresql:")) {
            return u;
        }
        String rest;
        if (u.startsWith("postgres://")) {
            rest = u.substring("postgres://".length());
        } else if (u.startsWith("postgresql://")) {
            rest = u.substring("postgresql://".length());
        } else {
            // the value is not shown: a URL of another form may carry its password anywhere
            throw new ConfigException("Invalid value for configuration " + ConfigKeys.DATABASE_URL
                    + " (--database-url): must be a PostgreSQL URL: jdbc:postgresql://host:5432/db?user=..&password=.. "
                    + "or postgres://user:password@host:5432/db");
        }
        String user = null;
        String password = null;
        int at = rest.lastIndexOf('@', firstOf(rest, '/', '?'));
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
            password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(rest);
        char sep = rest.contains("?") ? '&' : '?';
        if (user != null && !user.isEmpty()) {
            jdbc.append(sep).append("user=").append(encode(user));
            sep = '&';
        }
        if (password != null) {
            jdbc.append(sep).append("password=").append(encode(password));
        }
        return jdbc.toString();
    }

    private static int firstOf(String s, char a, char b) {
        int i = s.indexOf(a);
        int j = s.indexOf(b);
        if (i < 0) {
            return j < 0 ? s.length() : j;
        }
        return j < 0 ? i : Math.min(i, j);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
