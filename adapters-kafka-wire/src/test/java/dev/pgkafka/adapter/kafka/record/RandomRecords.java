package dev.pgkafka.adapter.kafka.record;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;

/** Seeded random records with the shapes that break codecs: nulls, empties, non-ASCII header keys. */
final class RandomRecords {
    private static final String[] HEADER_KEYS = {"", "trace-id", "k", "schema.version", "ключ", "键", "emoji-\uD83D\uDE00"};

    private final Random random;

    RandomRecords(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    List<LogRecord> records(int count) {
        long timestamp = 1_700_000_000_000L + random.nextInt(1_000_000);
        List<LogRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // timestamps within a batch need not be ordered
            long ts = Math.max(0, timestamp + random.nextInt(20_000) - 10_000);
            records.add(new LogRecord(ts, bytesOrNull(40), bytesOrNull(random.nextInt(8) == 0 ? 5000 : 300),
                    headers()));
        }
        return records;
    }

    private byte[] bytesOrNull(int maxLength) {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return null;
        }
        if (choice == 1) {
            return new byte[0];
        }
        byte[] b = new byte[random.nextInt(maxLength + 1)];
        if (random.nextBoolean()) {
            random.nextBytes(b);
        } else {
            // compressible, like real payloads
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) ('a' + (i % 7));
            }
        }
        return b;
    }

    private List<Header> headers() {
        int count = random.nextInt(4) == 0 ? random.nextInt(5) : 0;
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new Header(HEADER_KEYS[random.nextInt(HEADER_KEYS.length)], bytesOrNull(20)));
        }
        return headers;
    }
}
