package dev.pgkafka.domain.log;

import java.util.Arrays;
import java.util.List;

/**
 * A record as a producer sent it, before the log gives it an offset. Key and value may be null
 * (a null value is a tombstone on a compacted topic).
 */
public record LogRecord(long timestamp, byte[] key, byte[] value, List<Header> headers) {
    /** Kafka's "no timestamp" (-1): such records are exempt from the timestamp range checks. */
    public static final long NO_TIMESTAMP = -1L;

    public LogRecord {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** Bytes of payload this record carries; the basis of fetch size budgets. */
    public int payloadSize() {
        return RecordSizes.payload(key, value, headers);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && timestamp == r.timestamp && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value) && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(timestamp) * 31 + Arrays.hashCode(key) * 17 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "LogRecord[ts=" + timestamp + ", key=" + len(key) + ", value=" + len(value) + ", headers=" + headers + "]";
    }

    static String len(byte[] b) {
        return b == null ? "null" : b.length + "B";
    }
}
