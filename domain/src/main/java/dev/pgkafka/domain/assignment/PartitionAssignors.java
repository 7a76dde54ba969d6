package dev.pgkafka.domain.assignment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The assignors a broker offers, by name. The first is the default, used when a member names none;
 * a name not found here is answered with {@code UNSUPPORTED_ASSIGNOR}. Names match exactly, as in Kafka.
 */
public final class PartitionAssignors {
    private final Map<String, PartitionAssignor> byName;

    private PartitionAssignors(Map<String, PartitionAssignor> byName) {
        this.byName = byName;
    }

    /** Kafka's defaults ({@code group.consumer.assignors}): {@code uniform}, then {@code range}. */
    public static PartitionAssignors builtIn() {
        return of(List.of(new UniformAssignor(), new RangeAssignor()));
    }

    /** The given assignors, the first being the default; names must be distinct. */
    public static PartitionAssignors of(List<? extends PartitionAssignor> assignors) {
        if (assignors.isEmpty()) {
            throw new IllegalArgumentException("at least one assignor is needed");
        }
        Map<String, PartitionAssignor> byName = new LinkedHashMap<>();
        for (PartitionAssignor assignor : assignors) {
            if (byName.putIfAbsent(assignor.name(), assignor) != null) {
                throw new IllegalArgumentException("two assignors are named " + assignor.name());
            }
        }
        return new PartitionAssignors(byName);
    }

    public Optional<PartitionAssignor> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public PartitionAssignor defaultAssignor() {
        return byName.values().iterator().next();
    }

    /** The names, default first. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
