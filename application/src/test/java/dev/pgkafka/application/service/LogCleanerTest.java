package dev.pgkafka.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.service.group.MutableClock;
import dev.pgkafka.application.memory.InMemoryStorage;
import dev.pgkafka.application.port.in.TopicsUseCase.CreateTopicCommand;
import dev.pgkafka.domain.log.AppendBatch;
import dev.pgkafka.domain.log.BatchAttributes;
import dev.pgkafka.domain.log.LogRecord;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.log.ProducerStamp;
import dev.pgkafka.domain.log.StoredRecord;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/** The log cleaner's decisions on the in-memory storage, with a clock the test sets. */
class LogCleanerTest {
    private static final long HOUR = 3_600_000L;

    private final InMemoryStorage storage = new InMemoryStorage();
    private final TopicService topics = new TopicService(storage.topics(), storage.log(), BrokerSettings.defaults());
    private final MutableClock clock = new MutableClock(10 * HOUR);
    private final LogCleaner cleaner = new LogCleaner(topics, storage.log(), storage.cleaner(), clock,
            new LogCleaner.Settings(3, 1_000));

    private TopicIdPartition topic(Map<String, String> configs) {
        Topic t = topics.create(new CreateTopicCommand("t-" + System.nanoTime(), 1, configs, false)).topic();
        return t.partition(0);
    }

    /** Appends one record per "timestamp:key=value" ("k=" a tombstone, no key before '=' none). */
    private void append(TopicIdPartition tp, String... records) {
        List<LogRecord> list = new ArrayList<>();
        for (String r : records) {
            String[] tsRest = r.split(":", 2);
            String[] kv = tsRest[1].split("=", -1);
            list.add(new LogRecord(Long.parseLong(tsRest[0]), kv[0].isEmpty() ? null : bytes(kv[0]),
                    kv[1].isEmpty() ? null : bytes(kv[1]), List.of()));
        }
        storage.log().append(tx -> {
            PartitionHead head = tx.lockHeads(new TreeSet<>(List.of(tp))).get(tp);
            tx.append(tp, head.highWatermark(), new AppendBatch(ProducerStamp.NONE, BatchAttributes.PLAIN, list, 100));
            return null;
        });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Long> offsets(TopicIdPartition tp) {
        return storage.log().read(tp, 0, Long.MAX_VALUE, Integer.MAX_VALUE, true).stream().map(StoredRecord::offset).toList();
    }

    private PartitionHead head(TopicIdPartition tp) {
        return storage.log().heads(List.of(tp)).get(tp);
    }

    @Test
    void retentionMsRemovesThePrefixOlderThanTheCutoffAndKeepsAnUntimestampedTail() {
        TopicIdPartition tp = topic(Map.of("retention.ms", Long.toString(HOUR)));
        append(tp, (8 * HOUR) + ":a=1", (8 * HOUR) + ":b=2", (9 * HOUR + 1) + ":c=3", (8 * HOUR) + ":d=4", "-1:e=5");

        LogCleaner.Pass pass = cleaner.runOnce();

        assertEquals(2, head(tp).logStartOffset(), "up to the first record younger than an hour");
        assertEquals(List.of(2L, 3L, 4L), offsets(tp));
        assertEquals(2, pass.removedBelowLogStart());

        clock.advance(HOUR);
        cleaner.runOnce();
        assertEquals(4, head(tp).logStartOffset(), "all timestamped records expired; the untimestamped one stays");
        assertEquals(List.of(4L), offsets(tp));
    }

    @Test
    void retentionBytesRemovesTheOldestRecordsOverTheLimit() {
        TopicIdPartition tp = topic(Map.of("retention.bytes", "100"));
        for (int i = 0; i < 10; i++) {
            append(tp, clock.millis() + ":k=" + "x".repeat(32)); // 16 + 1 + 32 = 49 bytes each
        }
        cleaner.runOnce();
        assertEquals(List.of(8L, 9L), offsets(tp));
        assertEquals(98L, storage.cleaner().sizes(List.of(tp)).get(tp));
    }

    @Test
    void keepEverythingTopicsAreLeftAlone() {
        TopicIdPartition tp = topic(Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        append(tp, "0:a=1", "1:b=2");
        clock.advance(1000 * HOUR);
        cleaner.runOnce();
        assertEquals(List.of(0L, 1L), offsets(tp));
    }

    @Test
    void compactionWithTombstonesAndTheirHorizon() {
        TopicIdPartition tp = topic(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0",
                "delete.retention.ms", Long.toString(HOUR)));
        long t = clock.millis();
        append(tp, t + ":a=1", t + ":b=1", t + ":a=2", t + ":b=", t + ":c=1");

        cleaner.runOnce();
        assertEquals(List.of(2L, 3L, 4L), offsets(tp));

        clock.advance(HOUR - 1);
        cleaner.runOnce();
        assertEquals(List.of(2L, 3L, 4L), offsets(tp), "the tombstone's horizon has not passed");

        clock.advance(1);
        cleaner.runOnce();
        assertEquals(List.of(2L, 4L), offsets(tp));
        assertEquals(PartitionHead.of(0, 5), head(tp));
    }

    @Test
    void minCompactionLagKeepsYoungRecordsUncompactedAndDirtyRatioWaits() {
        TopicIdPartition lagged = topic(Map.of("cleanup.policy", "compact", "min.cleanable.dirty.ratio", "0",
                "min.compaction.lag.ms", Long.toString(HOUR)));
        append(lagged, clock.millis() + ":a=1", clock.millis() + ":a=2");
        TopicIdPartition ratio = topic(Map.of("cleanup.policy", "compact"));
        append(ratio, clock.millis() + ":a=1", clock.millis() + ":a=2", clock.millis() + ":b=1", clock.millis() + ":b=2");

        cleaner.runOnce();
        assertEquals(List.of(0L, 1L), offsets(lagged), "too young");
        assertEquals(List.of(1L, 3L), offsets(ratio), "all dirty: ratio 1.0 >= 0.5");

        append(ratio, clock.millis() + ":a=3");
        cleaner.runOnce();
        assertEquals(List.of(1L, 3L, 4L), offsets(ratio), "1 dirty of 5: below the ratio");
        clock.advance(2 * HOUR);
        cleaner.runOnce();
        assertEquals(List.of(1L), offsets(lagged));
    }
}
