package dev.pgkafka.adapter.kafka.record;

import java.nio.ByteBuffer;
import java.util.List;

import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.StoredRecord;

/** Encodes stored records as RecordBatch v2 batches for fetch responses. */
public final class RecordBatchEncoder {
    private RecordBatchEncoder() {
    }

    /**
     * Encodes {@code records} (ascending offsets, gaps allowed) as consecutive v2 batches: a new batch
     * starts wherever {@link StoredRecord#continuesBatchOf} says the record cannot join the previous
     * one. Each batch is compressed with {@code compression}, or with the codec the records were
     * produced with when {@code compression} is null (Kafka's {@code compression.type=producer}).
     */
    public static ByteBuffer encode(List<StoredRecord> records, Compression compression) {
        throw new UnsupportedOperationException("not yet implemented");
    }
}
