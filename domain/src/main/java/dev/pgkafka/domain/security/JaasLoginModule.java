package dev.pgkafka.domain.security;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a JAAS config: the login module class, its control flag and its options. Options hold
 * passwords ({@code password}, {@code user_<name>}), so {@link #toString()} shows their names only.
 */
public record JaasLoginModule(String loginModule, ControlFlag controlFlag, Map<String, String> options) {

    /** JAAS's control flags; Kafka's login modules treat them all alike. */
    public enum ControlFlag { REQUIRED, REQUISITE, SUFFICIENT, OPTIONAL }

    public JaasLoginModule {
        Objects.requireNonNull(loginModule, "loginModule");
        Objects.requireNonNull(controlFlag, "controlFlag");
        options = Map.copyOf(options);
    }

    @Override
    public String toString() {
        return loginModule + " " + controlFlag.name().toLowerCase(Locale.ROOT) + " " + options.keySet();
    }
}
