package dev.pgkafka.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Hostile produce batches no stock client sends: one record of many zeros, gzip-compressed as it is
 * written (the zeros are never held), framed as a valid v2 batch with a correct CRC.
 */
final class ProduceBombs {
    private static final int HEADER = 61;

    private ProduceBombs() {
    }

    /** A gzip batch whose single record's value is {@code zeros} zero bytes once inflated. */
    static ByteBuffer gzipZeros(long zeros) {
        if (zeros > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("one record holds less than 2 GiB");
        }
        ByteBuffer head = ByteBuffer.allocate(8); // the record's length
        ByteBuffer body = ByteBuffer.allocate(32);
        body.put((byte) 0); // record attributes
        ByteUtils.writeVarlong(0, body); // timestamp delta
        ByteUtils.writeVarint(0, body); // offset delta
        ByteUtils.writeVarint(-1, body); // no key
        ByteUtils.writeVarint((int) zeros, body); // value length
        int prefix = body.position();
        int bodyLength = prefix + (int) zeros + 1; // + header count
        ByteUtils.writeVarint(bodyLength, head);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed, 1 << 16)) {
            gzip.write(head.array(), 0, head.position());
            gzip.write(body.array(), 0, prefix);
            byte[] chunk = new byte[1 << 20];
            for (long left = zeros; left > 0; left -= chunk.length) {
                gzip.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
            gzip.write(0); // no headers (varint 0)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return batch((short) 1, compressed.toByteArray(), 1);
    }

    /** A v2 batch around an already encoded (and compressed, per {@code attributes}) records section. */
    static ByteBuffer batch(short attributes, byte[] records, int count) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + records.length);
        b.putLong(0) // base offset
                .putInt(HEADER - 12 + records.length) // batch length
                .putInt(-1) // partition leader epoch
                .put((byte) 2) // magic
                .putInt(0) // crc, below
                .putShort(attributes)
                .putInt(count - 1) // last offset delta
                .putLong(System.currentTimeMillis()) // base timestamp
                .putLong(System.currentTimeMillis()) // max timestamp
                .putLong(-1L) // producer id
                .putShort((short) -1) // producer epoch
                .putInt(-1) // base sequence
                .putInt(count)
                .put(records);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 21, b.capacity() - 21);
        b.putInt(17, (int) crc.getValue());
        return b.flip();
    }

    /** A Produce request (acks=1) carrying {@code batch} for each of partitions 0..partitions-1 of {@code topic}. */
    static ProduceRequestData request(String topic, int partitions, ByteBuffer batch) {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(30_000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        for (int p = 0; p < partitions; p++) {
            t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(p)
                    .setRecords(MemoryRecords.readableRecords(batch.duplicate())));
        }
        request.topicData().add(t);
        return request;
    }
}
