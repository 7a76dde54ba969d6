package dev.pgkafka.domain.assignment;

/**
 * Computes a consumer group's target assignment on the broker (KIP-848). Implementations are pure:
 * the same {@link AssignmentSpec} always yields the same {@link GroupAssignment}, whatever the
 * iteration order of its maps and sets.
 */
public interface PartitionAssignor {
    /** The name clients ask for in {@code group.remote.assignor}, e.g. {@code uniform}. */
    String name();

    /**
     * The target assignment: every member of the spec appears in the result (with no partitions if it
     * gets none); a partition goes to at most one member, and only to one subscribed to its topic.
     */
    GroupAssignment assign(AssignmentSpec spec);
}
