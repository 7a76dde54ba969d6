/**
 * Server-side partition assignors of the consumer group protocol (KIP-848): given the members of a
 * group, what each subscribes to and holds now, and the topics' partition counts, compute the target
 * assignment. Pure functions of their input; the coordinator persists and reconciles the result.
 *
 * <p>{@link dev.pgkafka.domain.assignment.PartitionAssignors#builtIn()} holds {@code uniform} (the
 * default) and {@code range}; see {@code docs/adr/0009-server-side-assignors.md}.
 */
package dev.pgkafka.domain.assignment;
