package dev.pgkafka.domain.config;

import java.util.Objects;

/** What configs belong to: a topic (by name) or a broker (by node id, or "" for the cluster default). */
public record ConfigResource(Type type, String name) {
    public ConfigResource {
        Objects.requireNonNull(type);
        name = name == null ? "" : name;
    }

    public enum Type {
        TOPIC, BROKER,
        /** Resource types pgkafka does not keep configs for (broker loggers, client metrics, groups). */
        UNSUPPORTED
    }
}
