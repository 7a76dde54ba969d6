package dev.pgkafka.domain.quota;

import java.util.Objects;

/**
 * Who a request counts against: the principal's name (Kafka's {@code KafkaPrincipal.getName()}:
 * {@code alice} for {@code User:alice}, {@code ANONYMOUS} without a login) and the request's client id
 * ("" when the client sent none).
 */
public record QuotaClient(String user, String clientId) {
    public QuotaClient {
        Objects.requireNonNull(user, "user");
        clientId = clientId == null ? "" : clientId;
    }
}
