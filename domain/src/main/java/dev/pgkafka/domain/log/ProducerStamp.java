package dev.pgkafka.domain.log;

/**
 * The producer fields of a batch: who wrote it and where it sits in that producer's sequence.
 * {@link #NONE} for producers that are neither idempotent nor transactional.
 */
public record ProducerStamp(long producerId, short producerEpoch, int baseSequence) {
    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;

    public static final ProducerStamp NONE = new ProducerStamp(NO_PRODUCER_ID, NO_PRODUCER_EPOCH, NO_SEQUENCE);

    public boolean hasProducerId() {
        return producerId >= 0;
    }

    /** Sequence of the record {@code delta} places after the first, wrapping as Kafka does. */
    public int sequenceAt(int delta) {
        return baseSequence == NO_SEQUENCE ? NO_SEQUENCE : Sequences.add(baseSequence, delta);
    }
}
