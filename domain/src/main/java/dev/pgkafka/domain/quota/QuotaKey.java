package dev.pgkafka.domain.quota;

import java.util.Optional;

/**
 * The client quota keys under Kafka's names ({@code QuotaConfig}), with the type Kafka gives each:
 * byte rates are whole numbers (LONG), the request percentage and the mutation rate may be
 * fractional (DOUBLE), the connection rate is an INT.
 */
public enum QuotaKey {
    /** Bytes per second a user or client may produce (the produce requests' size), on each broker. */
    PRODUCER_BYTE_RATE("producer_byte_rate", ValueType.LONG, false),
    /** Bytes per second a user or client may fetch (the fetch responses' size), on each broker. */
    CONSUMER_BYTE_RATE("consumer_byte_rate", ValueType.LONG, false),
    /** Percent of one request-handling thread's time per second (100 = one thread), on each broker. */
    REQUEST_PERCENTAGE("request_percentage", ValueType.DOUBLE, false),
    /** Partitions per second a user or client may create or delete (topics or partitions). */
    CONTROLLER_MUTATION_RATE("controller_mutation_rate", ValueType.DOUBLE, false),
    /** New connections per second from an IP address. */
    CONNECTION_CREATION_RATE("connection_creation_rate", ValueType.INT, true);

    /** Kafka's {@code ConfigDef} types of the quota keys, which decide what values are valid. */
    public enum ValueType {
        INT, LONG, DOUBLE
    }

    private final String kafkaName;
    private final ValueType type;
    private final boolean forIp;

    QuotaKey(String kafkaName, ValueType type, boolean forIp) {
        this.kafkaName = kafkaName;
        this.type = type;
        this.forIp = forIp;
    }

    public String kafkaName() {
        return kafkaName;
    }

    public ValueType type() {
        return type;
    }

    /** Whether the key is set on IP entities (else on users and client ids). */
    public boolean forIp() {
        return forIp;
    }

    public static Optional<QuotaKey> fromKafkaName(String name) {
        for (QuotaKey k : values()) {
            if (k.kafkaName.equals(name)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kafkaName;
    }
}
