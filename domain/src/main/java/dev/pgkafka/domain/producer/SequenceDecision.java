package dev.pgkafka.domain.producer;

import dev.pgkafka.domain.error.ErrorCode;

/** What the log does with an idempotent producer's batch. */
public sealed interface SequenceDecision {

    /** Write it. */
    record Append() implements SequenceDecision {
    }

    /** A retry of a batch already written: answer with the original offsets, write nothing. */
    record Duplicate(BatchMetadata original) implements SequenceDecision {
    }

    /** Refuse it with Kafka's error. */
    record Reject(ErrorCode error, String message) implements SequenceDecision {
    }
}
