package dev.pgkafka.adapter.kafka.record;

import java.nio.ByteBuffer;

import dev.pgkafka.domain.log.AppendBatch;

/** Decodes and validates the records of one partition of a produce request (RecordBatch v2). */
public final class RecordBatchDecoder {
    private RecordBatchDecoder() {
    }

    /**
     * Decodes the single v2 batch that {@code records} holds (position to limit), validating it as
     * Kafka does, decompressing it when compressed. Does not change the buffer's position.
     *
     * @throws InvalidBatchException with Kafka's error code when the batch must be refused
     */
    public static AppendBatch decode(ByteBuffer records) throws InvalidBatchException {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
