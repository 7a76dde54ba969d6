package dev.pgkafka.domain.security;

import java.util.Objects;

/**
 * What an authorization decision needs to know about who asks: the principal and the client's IP
 * address as text ({@code 10.0.0.7}, {@code 0:0:0:0:0:0:0:1}), which ACL host fields match.
 */
public record Requester(KafkaPrincipal principal, String host) {
    public Requester {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return principal + "@" + host;
    }
}
