package dev.pgkafka.domain.quota;

import java.util.Objects;

/**
 * Whose use a quota counts together: Kafka's quota metric tags. A quota set for {@code /users/alice}
 * counts all of alice's clients together ({@code user=alice, client-id=""}); one set for
 * {@code /clients/<default>} counts each client id on its own ({@code user="", client-id=x}).
 * An empty string means "not part of the bucket".
 */
public record QuotaBucket(String user, String clientId) {
    public QuotaBucket {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(clientId, "clientId");
    }

    @Override
    public String toString() {
        return "user=" + user + ", client-id=" + clientId;
    }
}
