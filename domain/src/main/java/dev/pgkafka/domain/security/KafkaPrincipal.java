package dev.pgkafka.domain.security;

import java.util.Objects;

/**
 * Who a connection is, as Kafka names it: a type and a name, written {@code User:alice}. ACLs,
 * {@code super.users} and quotas match on it. A connection that did not authenticate (PLAINTEXT,
 * or SSL without a client certificate) is {@link #ANONYMOUS}.
 */
public record KafkaPrincipal(String type, String name) {
    public static final String USER_TYPE = "User";
    public static final KafkaPrincipal ANONYMOUS = new KafkaPrincipal(USER_TYPE, "ANONYMOUS");

    public KafkaPrincipal {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static KafkaPrincipal user(String name) {
        return new KafkaPrincipal(USER_TYPE, name);
    }

    /**
     * Parses {@code Type:name} as Kafka's {@code SecurityUtils.parseKafkaPrincipal} does: the type is
     * everything before the first colon, the name everything after it (names may contain colons).
     *
     * @throws IllegalArgumentException when there is no colon or either part is empty
     */
    public static KafkaPrincipal parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("principal must not be empty");
        }
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("principal '" + text + "' is not of the form Type:name");
        }
        return new KafkaPrincipal(text.substring(0, colon), text.substring(colon + 1));
    }

    @Override
    public String toString() {
        return type + ":" + name;
    }
}
