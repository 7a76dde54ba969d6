package dev.pgkafka.domain.log;

import java.util.List;
import java.util.Objects;

/**
 * A validated record batch ready to be appended: the producer stamp, the batch attributes, the
 * records in order and the size the batch had on the wire (for {@code max.message.bytes}).
 */
public record AppendBatch(ProducerStamp producer, BatchAttributes attributes, List<LogRecord> records,
                          int sizeInBytes) {
    public AppendBatch {
        Objects.requireNonNull(producer);
        Objects.requireNonNull(attributes);
        records = List.copyOf(records);
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a batch holds at least one record");
        }
    }

    public int recordCount() {
        return records.size();
    }

    public int lastSequence() {
        return producer.sequenceAt(records.size() - 1);
    }

    public long maxTimestamp() {
        long max = Long.MIN_VALUE;
        for (LogRecord r : records) {
            max = Math.max(max, r.timestamp());
        }
        return max;
    }

    public boolean isIdempotent() {
        return producer.hasProducerId() && producer.baseSequence() != ProducerStamp.NO_SEQUENCE;
    }

    /** The same batch with every timestamp replaced by the log's append time. */
    public AppendBatch stampedAt(long logAppendTime) {
        List<LogRecord> stamped = records.stream()
                .map(r -> new LogRecord(logAppendTime, r.key(), r.value(), r.headers()))
                .toList();
        return new AppendBatch(producer, attributes.withTimestampType(TimestampType.LOG_APPEND_TIME), stamped,
                sizeInBytes);
    }
}
