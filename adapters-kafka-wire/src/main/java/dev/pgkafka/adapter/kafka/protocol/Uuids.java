package dev.pgkafka.adapter.kafka.protocol;

import java.util.UUID;

import org.apache.kafka.common.Uuid;

/** Kafka's {@link Uuid} and the JDK's {@link UUID} carry the same 128 bits. */
public final class Uuids {
    private Uuids() {
    }

    public static Uuid toKafka(UUID id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    public static UUID fromKafka(Uuid id) {
        return new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }
}
