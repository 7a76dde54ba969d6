package dev.pgkafka.domain.log;

/** Whose clock a record timestamp comes from: the producer's or the log's at append time. */
public enum TimestampType {
    CREATE_TIME,
    LOG_APPEND_TIME
}
