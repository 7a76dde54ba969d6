package dev.pgkafka.domain.config;

import java.util.Objects;

/** One change of an IncrementalAlterConfigs request: set, delete, or append to / subtract from a list. */
public record AlterOp(String name, Kind kind, String value) {
    public AlterOp {
        Objects.requireNonNull(name);
        Objects.requireNonNull(kind);
    }

    /** Kafka's operation codes, in code order (SET is 0). */
    public enum Kind {
        SET, DELETE, APPEND, SUBTRACT
    }
}
