package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/**
 * The base of the storage contract kit. A storage adapter proves itself by extending each contract
 * class ({@link TopicStoreContract}, {@link PartitionLogContract}, {@link ProducerIdContract},
 * {@link ClusterStoreContract}, {@link GroupStoreContract}, {@link OffsetStoreContract}) with the two
 * factory methods below, e.g.
 *
 * <pre>{@code
 * class MyTopicStoreTest extends TopicStoreContract {
 *     protected StorageUnderTest createStorage() { return MyStorage.open(freshDatabase()); }
 *     protected StorageUnderTest reopenStorage() { return MyStorage.open(sameDatabase()); }
 * }
 * }</pre>
 *
 * The tests create their own topics with unique names and never assume that the storage is empty
 * beyond that, so an adapter may share one database between the tests of a class.
 */
public abstract class StorageContract {
    private final List<StorageUnderTest> opened = new ArrayList<>();
    /** The storage of the running test, from {@link #createStorage()}. */
    protected StorageUnderTest storage;

    /** A storage for one test. Closed after the test. */
    protected abstract StorageUnderTest createStorage();

    /**
     * Another instance over the data of the storage {@link #createStorage()} made for this test, as a
     * broker restart (or a second broker) would see it. Closed after the test.
     */
    protected abstract StorageUnderTest reopenStorage();

    @BeforeEach
    void openStorage() {
        storage = track(createStorage());
    }

    @AfterEach
    void closeStorages() {
        for (StorageUnderTest s : opened.reversed()) {
            s.close();
        }
        opened.clear();
    }

    /** {@link #reopenStorage()}, closed after the test. */
    protected StorageUnderTest reopen() {
        return track(reopenStorage());
    }

    private StorageUnderTest track(StorageUnderTest s) {
        opened.add(s);
        return s;
    }

    // ---- helpers shared by the contracts ----

    protected static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    protected Topic createTopic(int partitions) {
        return createTopic(partitions, Map.of());
    }

    protected Topic createTopic(int partitions, Map<String, String> configs) {
        Topic topic = new Topic(TopicIds.random(), uniqueName("contract"), partitions, configs);
        assertTrue(storage.topics().create(topic).isPresent(), "the topic is created");
        return topic;
    }

    protected static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    protected static LogRecord record(long timestamp, String key, String value) {
        return new LogRecord(timestamp, bytes(key), bytes(value), List.of());
    }

    protected static AppendBatch plainBatch(LogRecord... records) {
        return new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN, Arrays.asList(records), 100);
    }

    /** A plain batch of {@code count} records with values {@code prefix-0, prefix-1, ...} and timestamp 1000 + i. */
    protected static AppendBatch plainBatch(String prefix, int count) {
        LogRecord[] records = new LogRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = record(1000 + i, null, prefix + "-" + i);
        }
        return plainBatch(records);
    }

    /** Appends the batch at the partition's high watermark in its own transaction; returns the base offset. */
    protected long append(TopicIdPartition tp, AppendBatch batch) {
        return storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp);
            tx.append(tp, head.highWatermark(), batch);
            return head.highWatermark();
        });
    }

    protected PartitionHead head(TopicIdPartition tp) {
        return storage.log().heads(List.of(tp)).get(tp);
    }

    /** Everything in the partition below its high watermark. */
    protected List<StoredRecord> readAll(TopicIdPartition tp) {
        return storage.log().read(tp, 0, head(tp).highWatermark(), Integer.MAX_VALUE, true);
    }

    /** The record a batch's record becomes when stored at {@code offset}. */
    protected static StoredRecord stored(AppendBatch batch, int index, long baseOffset) {
        LogRecord r = batch.records().get(index);
        ProducerStamp p = batch.producer();
        return new StoredRecord(baseOffset + index, r.timestamp(), r.key(), r.value(), r.headers(), p.producerId(),
                p.producerEpoch(), p.sequenceAt(index), batch.attributes());
    }

    protected static List<StoredRecord> stored(AppendBatch batch, long baseOffset) {
        List<StoredRecord> out = new ArrayList<>();
        for (int i = 0; i < batch.recordCount(); i++) {
            out.add(stored(batch, i, baseOffset));
        }
        return out;
    }

    protected static List<Long> offsets(List<StoredRecord> records) {
        return records.stream().map(StoredRecord::offset).toList();
    }

    /** The records have exactly the offsets {@code from, from + 1, ..., to - 1}; a short message when not. */
    protected static void assertOffsetRange(long from, long to, List<StoredRecord> records) {
        assertEquals(to - from, records.size(), "number of records in [" + from + ", " + to + ")");
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i).offset() != from + i) {
                fail("offset " + (from + i) + " expected at index " + i + ", found " + records.get(i).offset());
            }
        }
    }
}
