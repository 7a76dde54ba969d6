package dev.pgkafka.domain.producer;

/** What the log remembers of one of a producer's recent batches on a partition, for duplicate detection. */
public record BatchMetadata(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long maxTimestamp) {
}
