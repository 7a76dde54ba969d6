package dev.pgkafka.domain.group;

import java.util.Arrays;
import java.util.Objects;

/**
 * One protocol a member supports (for consumers: an assignor such as {@code range}) with the
 * member's metadata for it (for consumers: its subscription), opaque to the broker.
 */
public record Protocol(String name, byte[] metadata) {
    public Protocol {
        Objects.requireNonNull(name, "protocol name");
        metadata = metadata == null ? new byte[0] : metadata;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Protocol p && name.equals(p.name) && Arrays.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(metadata);
    }

    @Override
    public String toString() {
        return name + "(" + metadata.length + " bytes)";
    }
}
