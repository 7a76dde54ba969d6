package dev.pgkafka.application.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.PartitionLogPort.OffsetAndTimestamp;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.CleanerCheckpoint;
import dev.pgkafka.domain.log.CompactionRange;
import dev.pgkafka.domain.log.Compression;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.log.TimestampType;
import dev.pgkafka.domain.producer.BatchMetadata;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.topic.TopicIds;

/**
 * The contract of {@link dev.pgkafka.application.port.out.LogCleanerPort}: moving the log start
 * offset, removing what lies below it, sizes, compaction, checkpoints, purging deleted topics; and
 * that the log's reads and lookups stay right around all of that.
 */
public abstract class LogCleanerContract extends StorageContract {

    // ---- log start offset ----

    @Test
    void logStartMovesUpNeverDownAndNeverPastTheHighWatermark() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch("r", 10));

        assertEquals(PartitionHead.of(4, 10), storage.cleaner().advanceLogStart(tp, 4).orElseThrow());
        assertEquals(PartitionHead.of(4, 10), storage.cleaner().advanceLogStart(tp, 2).orElseThrow(), "never down");
        assertEquals(PartitionHead.of(10, 10), storage.cleaner().advanceLogStart(tp, 99).orElseThrow(), "capped");
        assertEquals(PartitionHead.of(10, 10), head(tp));

        assertEquals(10, append(tp, plainBatch("more", 2)), "appends go on at the high watermark");
        assertEquals(PartitionHead.of(10, 12), head(tp));
        assertOffsetRange(10, 12, storage.log().read(tp, 10, 12, Integer.MAX_VALUE, true));
    }

    @Test
    void unknownPartitionsHaveNoHeadToMove() {
        Topic topic = createTopic(1);
        assertEquals(Optional.empty(), storage.cleaner().advanceLogStart(topic.partition(1), 1));
        assertEquals(Optional.empty(), storage.cleaner().advanceLogStart(new TopicIdPartition(UUID.randomUUID(), 0), 1));
        assertEquals(0, storage.cleaner().removeBelowLogStart(topic.partition(1), 10));
    }

    @Test
    void recordsBelowTheLogStartAreRemovedInBatchesOldestFirst() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch("a", 6));
        append(tp, plainBatch("b", 4));
        storage.cleaner().advanceLogStart(tp, 7);

        assertEquals(3, storage.cleaner().removeBelowLogStart(tp, 3));
        assertEquals(3, storage.cleaner().removeBelowLogStart(tp, 3));
        assertEquals(1, storage.cleaner().removeBelowLogStart(tp, 3));
        assertEquals(0, storage.cleaner().removeBelowLogStart(tp, 3));

        assertOffsetRange(7, 10, storage.log().read(tp, 0, 10, Integer.MAX_VALUE, true));
        assertEquals(PartitionHead.of(7, 10), head(tp));
    }

    @Test
    void timestampLookupsIgnoreRecordsBelowTheLogStart() {
        TopicIdPartition tp = createTopic(1).partition(0);
        // the largest timestamp comes first; later records never raise it
        append(tp, plainBatch(record(9000, null, "max"), record(1000, null, "a"), record(2000, null, "b")));
        append(tp, plainBatch(record(3000, null, "c"), record(1500, null, "d")));
        assertEquals(Optional.of(new OffsetAndTimestamp(0, 9000)), storage.log().maxTimestamp(tp, 5));

        storage.cleaner().advanceLogStart(tp, 1);
        assertEquals(Optional.of(new OffsetAndTimestamp(3, 3000)), storage.log().maxTimestamp(tp, 5),
                "before the removal");
        assertEquals(Optional.of(new OffsetAndTimestamp(2, 2000)), storage.log().firstAtOrAfter(tp, 1800, 5));
        assertEquals(Optional.of(new OffsetAndTimestamp(1, 1000)), storage.log().firstAtOrAfter(tp, 0, 5));

        storage.cleaner().removeBelowLogStart(tp, 100);
        assertEquals(Optional.of(new OffsetAndTimestamp(3, 3000)), storage.log().maxTimestamp(tp, 5), "after it");
        assertEquals(Optional.of(new OffsetAndTimestamp(2, 2000)), storage.log().firstAtOrAfter(tp, 1800, 5));
        assertEquals(Optional.of(new OffsetAndTimestamp(3, 3000)), storage.log().firstAtOrAfter(tp, 2500, 5));
        assertEquals(Optional.empty(), storage.log().firstAtOrAfter(tp, 5000, 5));

        append(tp, plainBatch(record(4000, null, "e")));
        assertEquals(Optional.of(new OffsetAndTimestamp(5, 4000)), storage.log().maxTimestamp(tp, 6));
        assertEquals(Optional.of(new OffsetAndTimestamp(5, 4000)), storage.log().firstAtOrAfter(tp, 3500, 6));
    }

    @Test
    void theLastTimestampedRecordIsFoundBelowTheEnd() {
        TopicIdPartition tp = createTopic(1).partition(0);
        assertEquals(OptionalLong.empty(), storage.cleaner().lastTimestamped(tp, 0));
        append(tp, plainBatch(record(-1, null, "none"), record(5, null, "a"), record(7, null, "b"),
                record(-1, null, "none"), record(-1, null, "none")));
        assertEquals(OptionalLong.of(2), storage.cleaner().lastTimestamped(tp, 5));
        assertEquals(OptionalLong.of(1), storage.cleaner().lastTimestamped(tp, 2));
        assertEquals(OptionalLong.empty(), storage.cleaner().lastTimestamped(tp, 1));
        storage.cleaner().advanceLogStart(tp, 3);
        assertEquals(OptionalLong.empty(), storage.cleaner().lastTimestamped(tp, 5), "only from the log start");
    }

    // ---- sizes ----

    @Test
    void sizesCountThePayloadFromTheLogStartOn() {
        Topic topic = createTopic(2);
        TopicIdPartition tp = topic.partition(0);
        AppendBatch batch = plainBatch(record(1, "key", "value"), record(2, null, "v".repeat(100)), record(3, "k", null));
        append(tp, batch);
        long total = batch.records().stream().mapToLong(LogRecord::payloadSize).sum();

        Map<TopicIdPartition, Long> sizes = storage.cleaner().sizes(List.of(tp, topic.partition(1), topic.partition(2)));
        assertEquals(Map.of(tp, total, topic.partition(1), 0L), sizes);

        storage.cleaner().advanceLogStart(tp, 1);
        long rest = total - batch.records().getFirst().payloadSize();
        assertEquals(rest, storage.cleaner().sizes(List.of(tp)).get(tp), "records below the log start do not count");
        storage.cleaner().removeBelowLogStart(tp, 10);
        assertEquals(rest, storage.cleaner().sizes(List.of(tp)).get(tp));
    }

    @Test
    void startForSizeKeepsTheNewestRecordsThatFit() {
        TopicIdPartition tp = createTopic(1).partition(0);
        for (int i = 0; i < 10; i++) {
            append(tp, plainBatch(record(i, null, "x".repeat(84)))); // 100 bytes each with the record overhead
        }
        assertEquals(0, storage.cleaner().startForSize(tp, 1000));
        assertEquals(0, storage.cleaner().startForSize(tp, 5000));
        assertEquals(1, storage.cleaner().startForSize(tp, 999));
        assertEquals(5, storage.cleaner().startForSize(tp, 500));
        assertEquals(6, storage.cleaner().startForSize(tp, 450));
        assertEquals(10, storage.cleaner().startForSize(tp, 0));
        storage.cleaner().advanceLogStart(tp, 7);
        assertEquals(7, storage.cleaner().startForSize(tp, 500));
        assertEquals(8, storage.cleaner().startForSize(tp, 200));
    }

    // ---- compaction ----

    @Test
    void compactionKeepsTheLatestRecordPerKeyAtItsOffset() {
        Topic topic = createTopic(1);
        TopicIdPartition tp = topic.partition(0);
        append(tp, plainBatch(record(1, "a", "a1"), record(2, "b", "b1"), record(3, "a", "a2")));
        append(tp, plainBatch(record(4, "c", "c1"), record(5, "b", null), record(6, "a", "a3")));
        append(tp, plainBatch(record(7, "d", "d1")));
        long sizeBefore = storage.cleaner().sizes(List.of(tp)).get(tp);

        int removed = storage.cleaner().compact(tp, new CompactionRange(0, 0, 7, 0));

        assertEquals(3, removed, "a1, b1, a2");
        List<StoredRecord> left = readAll(tp);
        assertEquals(List.of(3L, 4L, 5L, 6L), offsets(left));
        assertEquals(List.of("c1", "<tombstone>", "a3", "d1"), valuesOf(left));
        assertEquals(PartitionHead.of(0, 7), head(tp), "the head does not move");
        assertTrue(storage.cleaner().sizes(List.of(tp)).get(tp) < sizeBefore, "the size shrinks");

        assertEquals(1, storage.cleaner().compact(tp, new CompactionRange(0, 7, 7, 6)), "the tombstone past its horizon");
        assertEquals(List.of(3L, 5L, 6L), offsets(readAll(tp)));
    }

    private static List<String> valuesOf(List<StoredRecord> records) {
        List<String> values = new ArrayList<>();
        for (StoredRecord r : records) {
            values.add(r.value() == null ? "<tombstone>" : new String(r.value()));
        }
        return values;
    }

    @Test
    void onlyKeysOfTheDirtyPartAndRecordsBelowTheCleanEndCount() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch(record(1, "a", "a1"), record(2, "b", "b1")));   // 0, 1: compacted before
        append(tp, plainBatch(record(3, "a", "a2"), record(4, "c", "c1")));   // 2, 3: dirty
        append(tp, plainBatch(record(5, "b", "b2"), record(6, "c", "c2")));   // 4, 5: beyond the clean end

        assertEquals(1, storage.cleaner().compact(tp, new CompactionRange(0, 2, 4, 0)));

        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), offsets(readAll(tp)),
                "a1 goes (a2 is dirty); b1 stays (b2 is beyond the clean end); c1 stays");
    }

    @Test
    void idleProducersWithoutAnOpenTransactionAreForgotten() throws InterruptedException {
        TopicIdPartition tp = createTopic(1).partition(0);
        ProducerPartitionState idle = ProducerPartitionState.empty(11L)
                .withBatch((short) 0, new BatchMetadata(0, 4, 0, 4, 5), false);
        ProducerPartitionState inTransaction = ProducerPartitionState.empty(12L)
                .withBatch((short) 0, new BatchMetadata(0, 0, 5, 5, 6), true);
        storage.log().append(tx -> {
            tx.lockHeads(new TreeSet<>(List.of(tp)));
            tx.saveProducerState(tp, idle);
            tx.saveProducerState(tp, inTransaction);
            return null;
        });
        assertEquals(0, storage.cleaner().expireProducers(3_600_000L), "an hour has not passed");
        assertEquals(2, storage.log().producers(tp).size());
        Thread.sleep(120);
        assertEquals(1, storage.cleaner().expireProducers(100L));
        assertEquals(List.of(12L), storage.log().producers(tp).stream().map(ProducerPartitionState::producerId).toList(),
                "the producer with an open transaction stays");
    }

    @Test
    void compactionRemovesKeylessRecordsAndLeavesControlRecords() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch(record(1, null, "no key"), record(2, "k", "v1")));
        AppendBatch marker = new AppendBatch(new ProducerStamp(7L, (short) 0, ProducerStamp.NO_SEQUENCE),
                new BatchAttributes(Compression.NONE, TimestampType.CREATE_TIME, true, true),
                List.of(new LogRecord(3, new byte[]{0, 0, 0, 1}, new byte[]{0, 0, 0, 0, 0, 0}, List.of())), 70);
        append(tp, marker);
        append(tp, plainBatch(record(4, "k", "v2")));
        append(tp, marker);

        assertEquals(2, storage.cleaner().compact(tp, new CompactionRange(0, 0, 5, 5)));

        List<StoredRecord> left = readAll(tp);
        assertEquals(List.of(2L, 3L, 4L), offsets(left));
        assertTrue(left.get(0).attributes().control() && left.get(2).attributes().control(), "markers stay");
    }

    @Test
    void readsAndAppendsGoOnAcrossGaps() {
        TopicIdPartition tp = createTopic(1).partition(0);
        append(tp, plainBatch(record(10, "a", "1"), record(2, "a", "2"), record(3, "b", "3"), record(4, "a", "4")));
        storage.cleaner().compact(tp, new CompactionRange(0, 0, 4, 0));

        assertEquals(List.of(2L, 3L), offsets(storage.log().read(tp, 0, 4, Integer.MAX_VALUE, true)));
        assertEquals(List.of(3L), offsets(storage.log().read(tp, 3, 4, Integer.MAX_VALUE, true)));
        assertEquals(List.of(2L), offsets(storage.log().read(tp, 0, 4, 1, true)), "at least one, from the first left");
        assertEquals(Optional.of(new OffsetAndTimestamp(3, 4)), storage.log().maxTimestamp(tp, 4),
                "the record with the largest timestamp (offset 0) was compacted away");
        assertEquals(Optional.of(new OffsetAndTimestamp(2, 3)), storage.log().firstAtOrAfter(tp, 3, 4));

        assertEquals(4, append(tp, plainBatch(record(5, "c", "5"))));
        assertEquals(List.of(2L, 3L, 4L), offsets(readAll(tp)));
        assertEquals(Optional.of(new OffsetAndTimestamp(4, 5)), storage.log().maxTimestamp(tp, 5));
    }

    @Test
    void checkpointsAreStoredPerPartitionAndSurviveAReopen() {
        Topic topic = createTopic(2);
        assertEquals(CleanerCheckpoint.NONE, storage.cleaner().checkpoint(topic.partition(0)));
        CleanerCheckpoint checkpoint = new CleanerCheckpoint(42, 17,
                List.of(new CleanerCheckpoint.Pass(17, 1000), new CleanerCheckpoint.Pass(42, 2000)));

        storage.cleaner().saveCheckpoint(topic.partition(0), checkpoint);

        assertEquals(checkpoint, storage.cleaner().checkpoint(topic.partition(0)));
        assertEquals(CleanerCheckpoint.NONE, storage.cleaner().checkpoint(topic.partition(1)));
        assertEquals(checkpoint, reopen().cleaner().checkpoint(topic.partition(0)));
        CleanerCheckpoint next = new CleanerCheckpoint(50, 42, List.of(new CleanerCheckpoint.Pass(50, 3000)));
        storage.cleaner().saveCheckpoint(topic.partition(0), next);
        assertEquals(next, storage.cleaner().checkpoint(topic.partition(0)));
    }

    // ---- deleted topics ----

    @Test
    void aDeletedTopicIsPurgedAndItsNameServesANewTopic() {
        Topic topic = createTopic(2);
        append(topic.partition(0), plainBatch("p0", 7));
        append(topic.partition(1), plainBatch("p1", 3));
        storage.cleaner().saveCheckpoint(topic.partition(0), new CleanerCheckpoint(3, 0, List.of()));

        assertEquals(Optional.of(topic), storage.topics().delete(topic.id()));

        int purged = 0;
        int step;
        while ((step = storage.cleaner().purgeDeletedTopics(4)) > 0) {
            assertTrue(step <= 4, "at most the batch size per call: " + step);
            purged += step;
        }
        assertTrue(purged <= 10, "at most the topic's records: " + purged);
        assertEquals(List.of(), storage.log().read(topic.partition(0), 0, 10, Integer.MAX_VALUE, true));
        assertEquals(Map.of(), storage.log().heads(List.of(topic.partition(0), topic.partition(1))));

        Topic again = new Topic(TopicIds.random(), topic.name(), 1, Map.of());
        assertEquals(Optional.of(again), storage.topics().create(again));
        assertEquals(PartitionHead.empty(), head(again.partition(0)));
        assertEquals(CleanerCheckpoint.NONE, storage.cleaner().checkpoint(again.partition(0)));
        assertEquals(0, append(again.partition(0), plainBatch("new", 1)));
        assertEquals(1, readAll(again.partition(0)).size());
    }
}
