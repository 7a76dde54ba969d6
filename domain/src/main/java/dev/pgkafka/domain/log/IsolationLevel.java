package dev.pgkafka.domain.log;

/** What a consumer may read: everything written, or only up to the last stable offset. */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED
}
