package dev.pgkafka.adapter.kafka.record;

import static dev.pgkafka.adapter.kafka.record.BatchLayout.getInt;
import static dev.pgkafka.adapter.kafka.record.BatchLayout.getLong;
import static dev.pgkafka.adapter.kafka.record.BatchLayout.getShort;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.Header;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.ProducerStamp;
import org.xerial.snappy.SnappyError;

/**
 * Decodes and validates the records of one partition of a produce request (RecordBatch v2).
 *
 * <p>The checks and their error codes follow Apache Kafka's broker, in its order: the framing of
 * {@code MemoryRecords.batches()} ({@code ByteBufferLogInputStream}), Produce v3+'s "exactly one
 * batch of magic 2" rule ({@code ProduceRequest.validateRecords}), {@code UnifiedLog
 * .analyzeAndValidateRecords} (base offset 0, size and CRC), then {@code LogValidator.validateBatch}
 * and the record reading of {@code DefaultRecord}:
 * <table>
 *   <caption>refusals</caption>
 *   <tr><th>input</th><th>error</th><th>Kafka's reason</th></tr>
 *   <tr><td>fewer than 17 bytes, or a batchLength longer than the buffer (truncated)</td>
 *       <td>INVALID_RECORD</td><td>no complete batch is found: "must have at least one record batch"</td></tr>
 *   <tr><td>batchLength below 14</td><td>CORRUPT_MESSAGE</td>
 *       <td>{@code ByteBufferLogInputStream}: "Record size is less than the minimum record overhead"</td></tr>
 *   <tr><td>magic below 0 or above 2</td><td>CORRUPT_MESSAGE</td><td>"Invalid magic found in record"</td></tr>
 *   <tr><td>magic 0 or 1</td><td>INVALID_RECORD</td>
 *       <td>"Produce requests with version 3 and above are only allowed to contain record batches with magic
 *       version 2"</td></tr>
 *   <tr><td>bytes after the batch</td><td>INVALID_RECORD</td>
 *       <td>"exactly one record batch per partition" (Kafka drops an incomplete tail silently; we refuse it)</td></tr>
 *   <tr><td>baseOffset not 0</td><td>INVALID_RECORD</td><td>"The baseOffset of the record batch should be 0"</td></tr>
 *   <tr><td>batch below the 61-byte header, CRC-32C mismatch</td><td>CORRUPT_MESSAGE</td>
 *       <td>{@code DefaultRecordBatch.isValid()}: "Record is corrupt"</td></tr>
 *   <tr><td>compression codec 5, 6 or 7</td><td>CORRUPT_MESSAGE</td>
 *       <td>Kafka fails with an IllegalArgumentException, which becomes UNKNOWN_SERVER_ERROR; a batch
 *       with a valid CRC and an unknown codec is corrupt, so we say so</td></tr>
 *   <tr><td>lastOffsetDelta + 1 &lt;= 0, record count &lt;= 0 or different from lastOffsetDelta + 1,
 *       control batch, producer id with a negative base sequence</td>
 *       <td>INVALID_RECORD</td><td>{@code LogValidator.validateBatch}</td></tr>
 *   <tr><td>compressed data the codec cannot read</td><td>CORRUPT_MESSAGE</td>
 *       <td>what KAFKA-3160 made the broker answer; newer brokers let the KafkaException through</td></tr>
 *   <tr><td>compressed data that inflates beyond {@code maxUncompressedBytes}, or records that would take
 *       the request's {@link DecodingAllowance} over its limit (their bytes plus an overhead a record, counted
 *       before anything is inflated as far as the header tells it)</td><td>MESSAGE_TOO_LARGE</td>
 *       <td>our own bounds against decompression bombs (Kafka has none); the Java producer answers it by
 *       splitting the batch</td></tr>
 *   <tr><td>records that do not parse, run past the batch or leave bytes over, record lengths that
 *       disagree with their fields, offset deltas other than 0..n-1, negative header counts or key
 *       lengths, header keys that are not UTF-8</td>
 *       <td>INVALID_RECORD</td><td>{@code DefaultRecord.readFrom}'s InvalidRecordException. Kafka does not
 *       check the deltas of an uncompressed batch nor the UTF-8 of header keys, but every client writes
 *       0..n-1, and a key we cannot hold as text would be altered silently</td></tr>
 * </table>
 * Checks that depend on the topic (max.message.bytes, timestamp bounds, keys on compacted topics,
 * LogAppendTime from a producer) are the caller's: the batch carries its size and attributes for them.
 */
public final class RecordBatchDecoder {
    /**
     * How much a compressed batch may inflate to, by default. A legitimate batch is at most
     * max.message.bytes (1 MiB by default) compressed, and real data rarely compresses 64 times.
     */
    public static final int DEFAULT_MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

    private RecordBatchDecoder() {
    }

    /**
     * Decodes the single v2 batch that {@code records} holds (position to limit), validating it as
     * Kafka does, decompressing it when compressed. Does not change the buffer's position.
     *
     * @throws InvalidBatchException with Kafka's error code when the batch must be refused
     */
    public static AppendBatch decode(ByteBuffer records) throws InvalidBatchException {
        return decode(records, DEFAULT_MAX_UNCOMPRESSED_BYTES);
    }

    /**
     * As {@link #decode(ByteBuffer)}, refusing with MESSAGE_TOO_LARGE a compressed batch whose records
     * take more than {@code maxUncompressedBytes} once decompressed.
     */
    public static AppendBatch decode(ByteBuffer records, int maxUncompressedBytes) throws InvalidBatchException {
        return decode(records, maxUncompressedBytes, DecodingAllowance.unbounded());
    }

    /**
     * As {@link #decode(ByteBuffer, int)}, and takes what the decoded records hold from {@code allowance}
     * (only when the batch is accepted), refusing with MESSAGE_TOO_LARGE a batch that would take more than
     * it has left: a batch whose record count alone is too much is refused before it is decompressed, and
     * decompression stops as soon as the output passes what is left.
     */
    public static AppendBatch decode(ByteBuffer records, int maxUncompressedBytes, DecodingAllowance allowance)
            throws InvalidBatchException {
        if (maxUncompressedBytes < 0) {
            throw new IllegalArgumentException("maxUncompressedBytes must be >= 0, was " + maxUncompressedBytes);
        }
        ByteBuffer view = records.slice();
        try {
            int size = frame(view);
            byte[] array;
            int start;
            if (view.hasArray()) {
                array = view.array();
                start = view.arrayOffset();
            } else {
                array = new byte[size];
                view.get(0, array);
                start = 0;
            }
            return decodeBatch(array, start, size, maxUncompressedBytes, allowance);
        } catch (InvalidBatchException e) {
            throw e;
        } catch (RuntimeException e) {
            // a safety net: bad input must never escape as anything but Kafka's answer
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Found invalid record structure", e);
        }
    }

    /** Kafka's framing and "exactly one batch, magic 2" checks; returns the batch size. */
    private static int frame(ByteBuffer buf) throws InvalidBatchException {
        int available = buf.remaining();
        if (available < BatchLayout.LOG_OVERHEAD) {
            throw noBatch(available);
        }
        int length = buf.getInt(BatchLayout.LENGTH);
        if (length < BatchLayout.MIN_BATCH_LENGTH) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Record size " + length
                    + " is less than the minimum record overhead (" + BatchLayout.MIN_BATCH_LENGTH + ")");
        }
        if (available < BatchLayout.HEADER_SIZE_UP_TO_MAGIC) {
            throw noBatch(available);
        }
        byte magic = buf.get(BatchLayout.MAGIC);
        if (magic < 0 || magic > BatchLayout.MAGIC_V2) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Invalid magic found in record: " + magic);
        }
        long size = (long) length + BatchLayout.LOG_OVERHEAD;
        if (size > available) {
            throw noBatch(available);
        }
        if (magic != BatchLayout.MAGIC_V2) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Produce requests with version 3 and above"
                    + " are only allowed to contain record batches with magic version 2, found " + magic);
        }
        if (size != available) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Produce requests with version 3 and above"
                    + " are only allowed to contain exactly one record batch per partition (" + (available - size)
                    + " bytes after a batch of " + size + ")");
        }
        return (int) size;
    }

    private static InvalidBatchException noBatch(int available) {
        return new InvalidBatchException(ErrorCode.INVALID_RECORD, "Produce requests with version 3 and above"
                + " must have at least one record batch per partition (" + available + " bytes hold no complete batch)");
    }

    private static AppendBatch decodeBatch(byte[] a, int start, int size, int maxUncompressedBytes,
                                           DecodingAllowance allowance) throws InvalidBatchException {
        long baseOffset = getLong(a, start + BatchLayout.BASE_OFFSET);
        if (baseOffset != 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD,
                    "The baseOffset of the record batch should be 0, but it is " + baseOffset);
        }
        if (size < BatchLayout.HEADER_SIZE) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Record batch is corrupt (the size " + size
                    + " is smaller than the minimum allowed overhead " + BatchLayout.HEADER_SIZE + ")");
        }
        int storedCrc = getInt(a, start + BatchLayout.CRC);
        CRC32C crc = new CRC32C();
        crc.update(a, start + BatchLayout.ATTRIBUTES, size - BatchLayout.ATTRIBUTES);
        if ((int) crc.getValue() != storedCrc) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Record is corrupt (stored crc = "
                    + Integer.toUnsignedLong(storedCrc) + ", computed crc = " + crc.getValue() + ")");
        }

        int attributeBits = getShort(a, start + BatchLayout.ATTRIBUTES) & 0xFF;
        int codecId = attributeBits & BatchLayout.COMPRESSION_MASK;
        if (codecId > Compression.ZSTD.id()) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Unknown compression type id: " + codecId);
        }
        BatchAttributes attributes = BatchAttributes.fromBits(attributeBits);

        int lastOffsetDelta = getInt(a, start + BatchLayout.LAST_OFFSET_DELTA);
        int count = getInt(a, start + BatchLayout.RECORD_COUNT);
        long countFromOffsets = (long) lastOffsetDelta + 1;
        if (countFromOffsets <= 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD,
                    "Batch has an invalid offset range: [0, " + lastOffsetDelta + "]");
        }
        if (count <= 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Invalid reported count for record batch: " + count);
        }
        if (countFromOffsets != count) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Inconsistent batch offset range [0, "
                    + lastOffsetDelta + "] and count of records " + count);
        }
        if ((attributeBits & BatchLayout.CONTROL_BIT) != 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Clients are not allowed to write control records");
        }
        ProducerStamp producer = new ProducerStamp(getLong(a, start + BatchLayout.PRODUCER_ID),
                getShort(a, start + BatchLayout.PRODUCER_EPOCH), getInt(a, start + BatchLayout.BASE_SEQUENCE));
        if (producer.hasProducerId() && producer.baseSequence() < 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Invalid sequence number "
                    + producer.baseSequence() + " in record batch with producerId " + producer.producerId());
        }

        // what the records will hold besides their bytes is known from the header: refuse before inflating
        long overhead = (long) count * DecodingAllowance.RECORD_OVERHEAD_BYTES;
        long room = allowance.remaining() - overhead;
        if (room < 0) {
            throw overAllowance(allowance, count + " records", overhead);
        }
        RecordCursor cursor = recordsOf(attributes.compression(), a, start + BatchLayout.HEADER_SIZE,
                start + size, maxUncompressedBytes, room, allowance, overhead);
        int recordBytes = cursor.remaining();
        List<LogRecord> logRecords = readRecords(cursor, count, getLong(a, start + BatchLayout.BASE_TIMESTAMP));
        if (!allowance.take(overhead + recordBytes)) {
            throw brokerBudgetSpent();
        }
        return new AppendBatch(producer, attributes, logRecords, size);
    }

    /**
     * The batch would fit its request's bound but the broker's decoded records of all requests hold the
     * broker-wide budget: a retriable error (the producer retries the batch; nothing of it is stored).
     */
    private static InvalidBatchException brokerBudgetSpent() {
        return new InvalidBatchException(ErrorCode.REQUEST_TIMED_OUT, "The broker's memory for decoded records is "
                + "taken by other produce requests; retry");
    }

    /** @param needed at least what the batch needed besides what is left (to tell which bound is short) */
    private static InvalidBatchException overAllowance(DecodingAllowance allowance, String what, long needed) {
        if (allowance.brokerBudgetIsShort(needed)) {
            return brokerBudgetSpent();
        }
        return new InvalidBatchException(ErrorCode.MESSAGE_TOO_LARGE, "The request's records would take more than "
                + allowance.limit() + " bytes once decoded (pgkafka.produce.max.uncompressed.request.bytes); "
                + allowance.used() + " are taken by earlier batches and this one has " + what);
    }

    /**
     * The batch's record section, decompressed when compressed, in at most {@code room} bytes (the rest of
     * the request's allowance) and {@code maxUncompressedBytes} (the per-batch bound).
     */
    private static RecordCursor recordsOf(Compression codec, byte[] a, int from, int to, int maxUncompressedBytes,
                                          long room, DecodingAllowance allowance, long overhead)
            throws InvalidBatchException {
        if (codec == Compression.NONE) {
            if (to - from > room) {
                throw overAllowance(allowance, (to - from) + " bytes of records", overhead + to - from);
            }
            return new RecordCursor(a, from, to);
        }
        int compressed = to - from;
        int limit = (int) Math.min(maxUncompressedBytes, room);
        GrowableBytes out = new GrowableBytes((int) Math.min(limit, 4L * compressed + 1024), limit);
        try {
            Compressions.decompress(codec, a, from, compressed, out);
        } catch (GrowableBytes.LimitExceeded e) {
            if (limit < maxUncompressedBytes) {
                throw overAllowance(allowance, codec.configName() + " records that decompress to more than the "
                        + limit + " bytes left", overhead + limit + 1);
            }
            throw new InvalidBatchException(ErrorCode.MESSAGE_TOO_LARGE, "The " + codec.configName()
                    + " records of the batch decompress to more than " + maxUncompressedBytes + " bytes", e);
        } catch (IOException | RuntimeException | SnappyError e) {
            throw new InvalidBatchException(ErrorCode.CORRUPT_MESSAGE, "Failed to decompress the "
                    + codec.configName() + " record stream: " + e.getMessage(), e);
        }
        return new RecordCursor(out.array, 0, out.size);
    }

    private static List<LogRecord> readRecords(RecordCursor cursor, int count, long baseTimestamp)
            throws InvalidBatchException {
        List<LogRecord> records = new ArrayList<>(Math.min(count, cursor.remaining() / BatchLayout.MIN_RECORD_SIZE + 1));
        int sectionEnd = cursor.end;
        for (int i = 0; i < count; i++) {
            int bodySize = cursor.readVarint();
            if (bodySize < 0 || bodySize > cursor.remaining()) {
                throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Invalid record size: expected " + bodySize
                        + " bytes in record payload, but the buffer has only " + cursor.remaining() + " remaining bytes");
            }
            int bodyEnd = cursor.pos + bodySize;
            cursor.end = bodyEnd;
            records.add(readRecord(cursor, i, baseTimestamp));
            if (cursor.pos != bodyEnd) {
                throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Invalid record size: expected to read "
                        + bodySize + " bytes in record payload, but instead read " + (bodySize - (bodyEnd - cursor.pos)));
            }
            cursor.end = sectionEnd;
        }
        if (cursor.remaining() > 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD,
                    "Incorrect declared batch size, records still remaining in file");
        }
        return records;
    }

    private static LogRecord readRecord(RecordCursor cursor, int index, long baseTimestamp)
            throws InvalidBatchException {
        cursor.readByte(); // record attributes: none are defined
        long timestamp = baseTimestamp + cursor.readVarlong();
        int offsetDelta = cursor.readVarint();
        if (offsetDelta != index) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD,
                    "Record " + index + " of the batch has offset delta " + offsetDelta);
        }
        // any negative length is null, as DefaultRecord reads it
        int keySize = cursor.readVarint();
        byte[] key = keySize < 0 ? null : cursor.readBytes(keySize);
        int valueSize = cursor.readVarint();
        byte[] value = valueSize < 0 ? null : cursor.readBytes(valueSize);
        int headerCount = cursor.readVarint();
        if (headerCount < 0) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Found invalid number of record headers " + headerCount);
        }
        if (headerCount > cursor.remaining()) {
            throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Found invalid number of record headers. "
                    + headerCount + " is larger than the remaining size of the buffer");
        }
        List<Header> headers = headerCount == 0 ? List.of() : readHeaders(cursor, headerCount);
        return new LogRecord(timestamp, key, value, headers);
    }

    private static List<Header> readHeaders(RecordCursor cursor, int count) throws InvalidBatchException {
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int keySize = cursor.readVarint();
            if (keySize < 0) {
                throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Invalid negative header key size " + keySize);
            }
            cursor.require(keySize);
            String key = Utf8.decode(cursor.array(), cursor.pos, keySize);
            if (key == null) {
                throw new InvalidBatchException(ErrorCode.INVALID_RECORD, "Header key is not valid UTF-8");
            }
            cursor.pos += keySize;
            int valueSize = cursor.readVarint();
            headers.add(new Header(key, valueSize < 0 ? null : cursor.readBytes(valueSize)));
        }
        return headers;
    }
}
