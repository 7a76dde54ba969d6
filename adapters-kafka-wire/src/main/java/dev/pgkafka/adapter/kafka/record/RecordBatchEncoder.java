package dev.pgkafka.adapter.kafka.record;

import static dev.pgkafka.adapter.kafka.record.Varints.sizeOfVarint;
import static dev.pgkafka.adapter.kafka.record.Varints.sizeOfVarlong;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;

/**
 * Encodes stored records as RecordBatch v2 batches for fetch responses.
 *
 * <p>This is the consumer's hot path, so it works in two passes over the records: the first finds
 * the batches and the exact size of every record, the second writes them into one array (for an
 * uncompressed batch straight into the response; for a compressed one into a scratch array reused
 * across the batches, then through the codec).
 */
public final class RecordBatchEncoder {
    /**
     * Records of one batch take at most this many bytes uncompressed (a single larger record gets a
     * batch of its own), so that a large fetch is not one giant batch for the client to inflate.
     */
    public static final int MAX_BATCH_RECORDS_BYTES = 1024 * 1024;

    private RecordBatchEncoder() {
    }

    /**
     * Encodes {@code records} (ascending offsets, gaps allowed) as consecutive v2 batches: a new batch
     * starts wherever {@link StoredRecord#continuesBatchOf} says the record cannot join the previous
     * one. Each batch is compressed with {@code compression}, or with the codec the records were
     * produced with when {@code compression} is null (Kafka's {@code compression.type=producer}).
     *
     * <p>A batch also ends where its records would exceed {@link #MAX_BATCH_RECORDS_BYTES}, where an
     * offset delta would not fit an int, and, for LogAppendTime batches, where the append time changes
     * (a consumer gives every record of such a batch the batch's max timestamp). Control records
     * (transaction markers) are batches of their own and keep the codec they were written with, as
     * Kafka never recompresses them. Batches carry partition leader epoch 0.
     */
    public static ByteBuffer encode(List<StoredRecord> records, Compression compression) {
        int n = records.size();
        if (n == 0) {
            return ByteBuffer.allocate(0);
        }
        Plan plan = plan(records);
        GrowableBytes out = new GrowableBytes(plan.uncompressedSize(), GrowableBytes.MAX_ARRAY);
        GrowableBytes scratch = null;
        try (Compressions.Compressor compressor = new Compressions.Compressor()) {
            int from = 0;
            for (int b = 0; b < plan.batchCount; b++) {
                int to = plan.batchEnds[b];
                StoredRecord first = records.get(from);
                BatchAttributes attributes = first.attributes();
                Compression codec = compression == null || attributes.control() ? attributes.compression() : compression;
                int batchStart = out.size;
                out.ensureFree(BatchLayout.HEADER_SIZE);
                out.size += BatchLayout.HEADER_SIZE;
                int recordsBytes = plan.batchRecordsBytes[b];
                if (codec == Compression.NONE) {
                    out.ensureFree(recordsBytes);
                    out.size = writeRecords(records, plan.bodySizes, from, to, out.array, out.size);
                } else {
                    if (scratch == null) {
                        scratch = new GrowableBytes(plan.largestBatchRecordsBytes, GrowableBytes.MAX_ARRAY);
                    }
                    scratch.size = 0;
                    scratch.ensureFree(recordsBytes);
                    scratch.size = writeRecords(records, plan.bodySizes, from, to, scratch.array, 0);
                    compressor.compress(codec, scratch.array, 0, scratch.size, out);
                }
                writeHeader(records, from, to, attributes.withCompression(codec), out.array, batchStart, out.size);
                from = to;
            }
        }
        return ByteBuffer.wrap(out.array, 0, out.size).slice();
    }

    /** Where the batches end and how large every record is, found in one pass. */
    private static final class Plan {
        final int[] bodySizes;
        int[] batchEnds = new int[4];
        int[] batchRecordsBytes = new int[4];
        int batchCount;
        int largestBatchRecordsBytes;

        Plan(int records) {
            bodySizes = new int[records];
        }

        void endBatch(int end, int recordsBytes) {
            if (batchCount == batchEnds.length) {
                batchEnds = Arrays.copyOf(batchEnds, batchCount * 2);
                batchRecordsBytes = Arrays.copyOf(batchRecordsBytes, batchCount * 2);
            }
            batchEnds[batchCount] = end;
            batchRecordsBytes[batchCount++] = recordsBytes;
            largestBatchRecordsBytes = Math.max(largestBatchRecordsBytes, recordsBytes);
        }

        int uncompressedSize() {
            long size = 0;
            for (int b = 0; b < batchCount; b++) {
                size += BatchLayout.HEADER_SIZE + (long) batchRecordsBytes[b];
            }
            return (int) Math.min(size, GrowableBytes.MAX_ARRAY);
        }
    }

    private static Plan plan(List<StoredRecord> records) {
        int n = records.size();
        Plan plan = new Plan(n);
        StoredRecord first = records.getFirst();
        StoredRecord previous = null;
        int recordsBytes = 0;
        for (int i = 0; i < n; i++) {
            StoredRecord r = records.get(i);
            boolean newBatch = previous != null && !joins(r, previous, first);
            int body = bodySize(r, r.offset() - first.offset(), r.timestamp() - first.timestamp());
            if (!newBatch && previous != null && recordsBytes + sizeOfVarint(body) + body > MAX_BATCH_RECORDS_BYTES) {
                newBatch = true;
            }
            if (newBatch) {
                plan.endBatch(i, recordsBytes);
                first = r;
                recordsBytes = 0;
                body = bodySize(r, 0, 0);
            }
            plan.bodySizes[i] = body;
            recordsBytes += sizeOfVarint(body) + body;
            previous = r;
        }
        plan.endBatch(n, recordsBytes);
        return plan;
    }

    private static boolean joins(StoredRecord r, StoredRecord previous, StoredRecord first) {
        long offsetDelta = r.offset() - first.offset();
        return r.continuesBatchOf(previous)
                && offsetDelta > 0 && offsetDelta <= Integer.MAX_VALUE
                && (r.attributes().timestampType() != TimestampType.LOG_APPEND_TIME || r.timestamp() == first.timestamp());
    }

    /** Size of a record after its length varint: attributes, deltas, key, value, headers. */
    private static int bodySize(StoredRecord r, long offsetDelta, long timestampDelta) {
        int size = 1 + sizeOfVarlong(timestampDelta) + sizeOfVarint((int) offsetDelta);
        byte[] key = r.key();
        size += key == null ? 1 : sizeOfVarint(key.length) + key.length;
        byte[] value = r.value();
        size += value == null ? 1 : sizeOfVarint(value.length) + value.length;
        List<Header> headers = r.headers();
        int headerCount = headers.size();
        size += sizeOfVarint(headerCount);
        for (int h = 0; h < headerCount; h++) {
            Header header = headers.get(h);
            int keyLength = Utf8.length(header.key());
            byte[] headerValue = header.value();
            size += sizeOfVarint(keyLength) + keyLength
                    + (headerValue == null ? 1 : sizeOfVarint(headerValue.length) + headerValue.length);
        }
        return size;
    }

    /** Writes records [from, to) at {@code at}; returns the end position. */
    private static int writeRecords(List<StoredRecord> records, int[] bodySizes, int from, int to, byte[] a, int at) {
        StoredRecord first = records.get(from);
        long baseOffset = first.offset();
        long baseTimestamp = first.timestamp();
        int p = at;
        for (int i = from; i < to; i++) {
            StoredRecord r = records.get(i);
            p = Varints.writeVarint(a, p, bodySizes[i]);
            a[p++] = 0;
            p = Varints.writeVarlong(a, p, r.timestamp() - baseTimestamp);
            p = Varints.writeVarint(a, p, (int) (r.offset() - baseOffset));
            p = writeBytes(a, p, r.key());
            p = writeBytes(a, p, r.value());
            List<Header> headers = r.headers();
            int headerCount = headers.size();
            p = Varints.writeVarint(a, p, headerCount);
            for (int h = 0; h < headerCount; h++) {
                Header header = headers.get(h);
                String key = header.key();
                int keyLength = Utf8.length(key);
                p = Varints.writeVarint(a, p, keyLength);
                p = Utf8.write(key, keyLength, a, p);
                p = writeBytes(a, p, header.value());
            }
        }
        return p;
    }

    private static int writeBytes(byte[] a, int p, byte[] bytes) {
        if (bytes == null) {
            return Varints.writeVarint(a, p, -1);
        }
        p = Varints.writeVarint(a, p, bytes.length);
        System.arraycopy(bytes, 0, a, p, bytes.length);
        return p + bytes.length;
    }

    private static void writeHeader(List<StoredRecord> records, int from, int to, BatchAttributes attributes,
                                    byte[] a, int start, int end) {
        StoredRecord first = records.get(from);
        StoredRecord last = records.get(to - 1);
        long maxTimestamp = Long.MIN_VALUE;
        for (int i = from; i < to; i++) {
            maxTimestamp = Math.max(maxTimestamp, records.get(i).timestamp());
        }
        BatchLayout.putLong(a, start + BatchLayout.BASE_OFFSET, first.offset());
        BatchLayout.putInt(a, start + BatchLayout.LENGTH, end - start - BatchLayout.LOG_OVERHEAD);
        BatchLayout.putInt(a, start + BatchLayout.PARTITION_LEADER_EPOCH, 0);
        a[start + BatchLayout.MAGIC] = BatchLayout.MAGIC_V2;
        BatchLayout.putShort(a, start + BatchLayout.ATTRIBUTES, attributes.toBits());
        BatchLayout.putInt(a, start + BatchLayout.LAST_OFFSET_DELTA, (int) (last.offset() - first.offset()));
        BatchLayout.putLong(a, start + BatchLayout.BASE_TIMESTAMP, first.timestamp());
        BatchLayout.putLong(a, start + BatchLayout.MAX_TIMESTAMP, maxTimestamp);
        BatchLayout.putLong(a, start + BatchLayout.PRODUCER_ID, first.producerId());
        BatchLayout.putShort(a, start + BatchLayout.PRODUCER_EPOCH, first.producerEpoch());
        BatchLayout.putInt(a, start + BatchLayout.BASE_SEQUENCE, first.sequence());
        BatchLayout.putInt(a, start + BatchLayout.RECORD_COUNT, to - from);
        CRC32C crc = new CRC32C();
        crc.update(a, start + BatchLayout.ATTRIBUTES, end - start - BatchLayout.ATTRIBUTES);
        BatchLayout.putInt(a, start + BatchLayout.CRC, (int) crc.getValue());
    }
}
