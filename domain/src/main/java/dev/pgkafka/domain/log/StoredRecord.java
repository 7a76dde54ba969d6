package dev.pgkafka.domain.log;

import java.util.Arrays;
import java.util.List;

/** A record as the log holds it: with its offset and the batch fields it was written with. */
public record StoredRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers,
                           long producerId, short producerEpoch, int sequence, BatchAttributes attributes) {
    public StoredRecord {
        headers = headers == null ? List.of() : headers;
    }

    public int payloadSize() {
        return RecordSizes.payload(key, value, headers);
    }

    /** True when this record can sit in the same rebuilt batch as {@code previous}. */
    public boolean continuesBatchOf(StoredRecord previous) {
        return previous.producerId == producerId && previous.producerEpoch == producerEpoch
                && previous.attributes.equals(attributes) && !attributes.control()
                && (sequence == ProducerStamp.NO_SEQUENCE
                    ? previous.sequence == ProducerStamp.NO_SEQUENCE
                    : previous.sequence != ProducerStamp.NO_SEQUENCE && Sequences.follows(previous.sequence, sequence));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredRecord r && offset == r.offset && timestamp == r.timestamp
                && Arrays.equals(key, r.key) && Arrays.equals(value, r.value) && headers.equals(r.headers)
                && producerId == r.producerId && producerEpoch == r.producerEpoch && sequence == r.sequence
                && attributes.equals(r.attributes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset) * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "StoredRecord[offset=" + offset + ", ts=" + timestamp + ", key=" + LogRecord.len(key) + ", value="
                + LogRecord.len(value) + ", pid=" + producerId + ", seq=" + sequence + ", " + attributes + "]";
    }
}
