package dev.pgkafka.domain.quota;

import java.util.Optional;

/** What a client quota is set for, under Kafka's names ({@code ClientQuotaEntity.USER}, ...). */
public enum QuotaEntityType {
    /** The principal's name ({@code alice} for {@code User:alice}, {@code ANONYMOUS} without a login). */
    USER("user"),
    /** The {@code client.id} a client sends in every request header. */
    CLIENT_ID("client-id"),
    /** The client's address: only {@code connection_creation_rate} applies to it. */
    IP("ip");

    private final String kafkaName;

    QuotaEntityType(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    public String kafkaName() {
        return kafkaName;
    }

    public static Optional<QuotaEntityType> fromKafkaName(String name) {
        for (QuotaEntityType t : values()) {
            if (t.kafkaName.equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
