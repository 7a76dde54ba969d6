package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.service.LogCleaner;

/**
 * The bloat check: under a produce/expire loop the records table stays bounded, because the
 * cleaner removes expired rows and has their space reused (docs/adr/0008-retention-layout.md).
 * Logs the cleaner's throughput.
 */
class BloatTest extends BrokerTestSupport {
    private static final System.Logger LOG = System.getLogger(BloatTest.class.getName());
    private static final int ROUNDS = 6;
    private static final int RECORDS_PER_ROUND = 30_000;

    private final MovableClock clock = new MovableClock();

    @Override
    protected Clock clock() {
        return clock;
    }

    @Test
    void theRecordsTableStaysBoundedWhileRecordsComeAndExpire() throws Exception {
        String topic = uniqueTopic("bloat");
        admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms", "60000"))))
                .all().get();
        KafkaProducer<byte[], byte[]> producer = producer(Map.of(ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024));
        RecordsTable table = new RecordsTable(jdbcUrl);
        List<Long> sizes = new ArrayList<>();
        long removed = 0;
        long cleanerNanos = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < RECORDS_PER_ROUND; i++) {
                producer.send(new ProducerRecord<>(topic, 0, clock.millis(), null, new byte[100]));
            }
            producer.flush();
            sizes.add(table.totalSize());
            clock.advance(Duration.ofMinutes(2)); // everything produced so far expires
            LogCleaner.Pass pass = broker.logCleaner().runOnce();
            removed += pass.removedBelowLogStart();
            cleanerNanos += pass.took().toNanos();
            assertEquals(List.of(), table.offsets(topic, 0), "round " + round + ": every expired row is gone");
        }
        LOG.log(Level.INFO, String.format("records table size after each round of %,d records (MB): %s; the cleaner "
                        + "removed %,d records in %.2f s of passes = %,.0f records/s (VACUUM included)", RECORDS_PER_ROUND,
                sizes.stream().map(s -> String.format("%.1f", s / 1048576.0)).toList(), removed, cleanerNanos / 1e9,
                removed / (cleanerNanos / 1e9)));

        assertEquals((long) ROUNDS * RECORDS_PER_ROUND, removed);
        long firstRound = sizes.getFirst();
        long last = sizes.getLast();
        assertTrue(last <= 3 * firstRound, "the table stays within a few rounds' worth: " + sizes);
        long laterMax = sizes.subList(ROUNDS / 2, ROUNDS).stream().mapToLong(Long::longValue).max().orElseThrow();
        long earlierMax = sizes.subList(0, ROUNDS / 2).stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(laterMax <= earlierMax * 1.25, "no growth round over round: " + sizes);
    }
}
