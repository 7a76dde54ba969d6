package dev.pgkafka.domain.log;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Size estimates shared by produce limits and fetch budgets. */
public final class RecordSizes {
    /** Per-record framing in a v2 batch (length, attributes, deltas, key/value lengths), rounded up. */
    public static final int RECORD_OVERHEAD = 16;
    /** Fixed header of a v2 record batch. */
    public static final int BATCH_OVERHEAD = 61;

    private RecordSizes() {
    }

    public static int payload(byte[] key, byte[] value, List<Header> headers) {
        int size = RECORD_OVERHEAD + (key == null ? 0 : key.length) + (value == null ? 0 : value.length);
        for (Header h : headers) {
            size += 4 + h.key().getBytes(StandardCharsets.UTF_8).length + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }
}
