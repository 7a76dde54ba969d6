package dev.pgkafka.adapter.kafka.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.junit.jupiter.api.Test;

/**
 * Randomized round trips in both directions, each iteration from its own seed (printed on failure;
 * set {@code -Dcodec.seed=N} to start elsewhere).
 */
class RoundTripPropertyTest {
    private static final long BASE_SEED = Long.getLong("codec.seed", 0x5EED_C0DECL);
    private static final int ITERATIONS = 250;
    private static final Compression[] CODECS = Compression.values();

    @Test
    void batchesTheKafkaProducerWritesDecodeToTheirRecords() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + i;
            RandomRecords random = new RandomRecords(seed);
            Random r = random.random();
            Compression codec = CODECS[r.nextInt(CODECS.length)];
            List<LogRecord> records = random.records(1 + r.nextInt(60));
            ProducerStamp producer = switch (r.nextInt(3)) {
                case 0 -> ProducerStamp.NONE;
                default -> new ProducerStamp(r.nextInt(Integer.MAX_VALUE), (short) r.nextInt(Short.MAX_VALUE),
                        r.nextInt(Integer.MAX_VALUE));
            };
            boolean transactional = producer.hasProducerId() && r.nextBoolean();
            TimestampType timestampType = r.nextInt(5) == 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
            ByteBuffer produced = KafkaRecords.produced(codec, timestampType, producer.producerId(),
                    producer.producerEpoch(), producer.baseSequence(), transactional, records);
            String context = "seed " + seed + " (" + codec + ", " + records.size() + " records)";

            AppendBatch batch = RecordBatchDecoder.decode(produced);

            assertEquals(records, batch.records(), context);
            assertEquals(producer, batch.producer(), context);
            assertEquals(new BatchAttributes(codec, timestampType, transactional, false), batch.attributes(), context);
            assertEquals(produced.remaining(), batch.sizeInBytes(), context);
        }
    }

    @Test
    void batchesWeEncodeReadBackInKafkaRecordForRecord() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 1_000_000 + i;
            RandomRecords random = new RandomRecords(seed);
            Random r = random.random();
            List<StoredRecord> records = storedLog(random);
            Compression compression = r.nextInt(3) == 0 ? null : CODECS[r.nextInt(CODECS.length)];
            String context = "seed " + seed + " (" + compression + ", " + records.size() + " records)";

            List<KafkaRecords.ReadBatch> batches = KafkaRecords.read(RecordBatchEncoder.encode(records, compression));

            int index = 0;
            for (KafkaRecords.ReadBatch batch : batches) {
                for (int j = 0; j < batch.records().size(); j++, index++) {
                    StoredRecord expected = records.get(index);
                    StoredRecord actual = batch.records().get(j);
                    String where = context + ", record " + index;
                    assertEquals(expected.offset(), actual.offset(), where);
                    assertEquals(expected.timestamp(), actual.timestamp(), where);
                    assertArrayEquals(expected.key(), actual.key(), where);
                    assertArrayEquals(expected.value(), actual.value(), where);
                    assertEquals(expected.headers(), actual.headers(), where);
                    assertEquals(expected.producerId(), actual.producerId(), where);
                    assertEquals(expected.producerEpoch(), actual.producerEpoch(), where);
                    BatchAttributes attributes = expected.attributes();
                    Compression codec = compression == null || attributes.control() ? attributes.compression() : compression;
                    assertEquals(attributes.withCompression(codec), actual.attributes(), where);
                    if (expected.sequence() != ProducerStamp.NO_SEQUENCE) {
                        assertEquals(expected.sequence(), actual.sequence(), where);
                    }
                }
            }
            assertEquals(records.size(), index, context);
        }
    }

    @Test
    void ourDecoderReadsWhatOurEncoderWrites() throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = BASE_SEED + 2_000_000 + i;
            RandomRecords random = new RandomRecords(seed);
            Random r = random.random();
            List<LogRecord> records = random.records(1 + r.nextInt(60));
            Compression codec = CODECS[r.nextInt(CODECS.length)];
            ProducerStamp producer = r.nextBoolean() ? ProducerStamp.NONE
                    : new ProducerStamp(r.nextInt(1000), (short) r.nextInt(10), Integer.MAX_VALUE - r.nextInt(100));
            BatchAttributes attributes = new BatchAttributes(codec, TimestampType.CREATE_TIME,
                    producer.hasProducerId() && r.nextBoolean(), false);
            List<StoredRecord> stored = new ArrayList<>();
            for (int j = 0; j < records.size(); j++) {
                LogRecord l = records.get(j);
                stored.add(new StoredRecord(j, l.timestamp(), l.key(), l.value(), l.headers(), producer.producerId(),
                        producer.producerEpoch(), producer.sequenceAt(j), attributes));
            }
            String context = "seed " + seed + " (" + codec + ", " + records.size() + " records)";

            AppendBatch batch = RecordBatchDecoder.decode(RecordBatchEncoder.encode(stored, null));

            assertEquals(records, batch.records(), context);
            assertEquals(producer, batch.producer(), context);
            assertEquals(attributes, batch.attributes(), context);
        }
    }

    /** A stretch of log as the storage adapter returns it: producers' runs, compaction gaps, markers. */
    private static List<StoredRecord> storedLog(RandomRecords random) {
        Random r = random.random();
        List<StoredRecord> log = new ArrayList<>();
        long offset = r.nextInt(10_000);
        int runs = 1 + r.nextInt(5);
        for (int run = 0; run < runs; run++) {
            boolean idempotent = r.nextBoolean();
            long producerId = idempotent ? r.nextInt(4) : ProducerStamp.NO_PRODUCER_ID;
            short epoch = idempotent ? (short) r.nextInt(3) : ProducerStamp.NO_PRODUCER_EPOCH;
            int sequence = idempotent ? r.nextInt(1000) : ProducerStamp.NO_SEQUENCE;
            boolean transactional = idempotent && r.nextBoolean();
            TimestampType timestampType = r.nextInt(4) == 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
            BatchAttributes attributes = new BatchAttributes(CODECS[r.nextInt(CODECS.length)], timestampType,
                    transactional, false);
            long appendTime = 1_700_000_000_000L + r.nextInt(1000);
            for (LogRecord l : random.records(1 + r.nextInt(40))) {
                long timestamp = timestampType == TimestampType.LOG_APPEND_TIME ? appendTime : l.timestamp();
                log.add(new StoredRecord(offset, timestamp, l.key(), l.value(), l.headers(), producerId, epoch, sequence,
                        attributes));
                // only a compacted log has gaps, and compaction keeps no sequence to check against them
                offset += idempotent || r.nextInt(4) != 0 ? 1 : 2 + r.nextInt(10);
                sequence = idempotent ? sequence + 1 : sequence;
            }
            if (transactional) {
                ControlRecordType type = r.nextBoolean() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
                Record marker = MemoryRecords.withEndTransactionMarker(0L, appendTime, 0, producerId, epoch,
                        new EndTransactionMarker(type, r.nextInt(100))).batches().iterator().next().iterator().next();
                log.add(new StoredRecord(offset++, appendTime, KafkaRecords.bytes(marker.key()),
                        KafkaRecords.bytes(marker.value()), List.of(), producerId, epoch, ProducerStamp.NO_SEQUENCE,
                        new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true)));
            }
        }
        return log;
    }
}
