package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/**
 * Transactions with the stock kafka-clients producer, consumer and admin client: commit and abort
 * as read_committed and read_uncommitted consumers see them, markers occupying offsets, the last
 * stable offset, zombie fencing, the transaction timeout, and the admin views.
 */
class TransactionsTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        // abort timed-out transactions within half a second; cap timeouts at a minute
        return testOptions(jdbcUrl, true).withTransactions(60_000, 604_800_000L, 200);
    }

    /** Transaction version 2 (KIP-890) bumps the epoch with every EndTxn; version 1 does not. */
    protected int epochBumpPerTransaction() {
        return 1;
    }

    private KafkaProducer<byte[], byte[]> transactional(String transactionalId, int timeoutMs) {
        KafkaProducer<byte[], byte[]> p = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs));
        p.initTransactions();
        return p;
    }

    private KafkaConsumer<byte[], byte[]> consumer(IsolationLevel isolation) {
        return consumer(Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString()));
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, int partition, String value) {
        return new ProducerRecord<>(topic, partition, null, value.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> values(Collection<ConsumerRecord<byte[], byte[]>> records) {
        List<String> out = new ArrayList<>();
        records.forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
        return out;
    }

    /** Reads until the consumer's position reaches {@code end} on the partition, or the time is up. */
    private static List<ConsumerRecord<byte[], byte[]>> readTo(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp,
                                                             long end) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.position(tp) < end && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(out::add);
        }
        assertEquals(end, consumer.position(tp), "position of " + tp);
        return out;
    }

    private long endOffset(TopicPartition tp, IsolationLevel isolation) throws Exception {
        Admin admin = admin();
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(isolation)).all().get()
                .get(tp).offset();
    }

    @Test
    void committedRecordsAreReadCommittedAndMarkersOccupyOffsets() throws Exception {
        String topic = uniqueTopic("txn-commit");
        createTopic(topic, 2);
        String id = "commit-" + topic;
        KafkaProducer<byte[], byte[]> producer = transactional(id, 30_000);
        int epoch = admin().describeTransactions(List.of(id)).description(id).get().producerEpoch();
        producer.beginTransaction();
        for (int i = 0; i < 10; i++) {
            producer.send(record(topic, i % 2, "c" + i));
        }
        producer.commitTransaction();
        assertEquals(epoch + epochBumpPerTransaction(),
                admin().describeTransactions(List.of(id)).description(id).get().producerEpoch());

        TopicPartition p0 = new TopicPartition(topic, 0);
        // 5 records and one commit marker
        assertEquals(6, endOffset(p0, IsolationLevel.READ_UNCOMMITTED));
        assertEquals(6, endOffset(p0, IsolationLevel.READ_COMMITTED));
        List<ConsumerRecord<byte[], byte[]>> read = readTo(consumer(IsolationLevel.READ_COMMITTED), p0, 6);
        assertEquals(List.of("c0", "c2", "c4", "c6", "c8"), values(read));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), read.stream().map(ConsumerRecord::offset).toList());
    }

    @Test
    void abortedRecordsAreHiddenFromReadCommittedOnly() throws Exception {
        String topic = uniqueTopic("txn-abort");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<byte[], byte[]> producer = transactional("abort-" + topic, 30_000);
        producer.beginTransaction();
        producer.send(record(topic, 0, "kept-1"));
        producer.commitTransaction();
        producer.beginTransaction();
        producer.send(record(topic, 0, "aborted-1"));
        producer.send(record(topic, 0, "aborted-2"));
        producer.flush();
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(record(topic, 0, "kept-2"));
        producer.commitTransaction();

        // kept-1 @0, commit @1, aborted @2-3, abort marker @4, kept-2 @5, commit @6
        assertEquals(7, endOffset(tp, IsolationLevel.READ_UNCOMMITTED));
        List<ConsumerRecord<byte[], byte[]>> committed = readTo(consumer(IsolationLevel.READ_COMMITTED), tp, 7);
        assertEquals(List.of("kept-1", "kept-2"), values(committed));
        assertEquals(List.of(0L, 5L), committed.stream().map(ConsumerRecord::offset).toList());
        List<ConsumerRecord<byte[], byte[]>> all = readTo(consumer(IsolationLevel.READ_UNCOMMITTED), tp, 7);
        assertEquals(List.of("kept-1", "aborted-1", "aborted-2", "kept-2"), values(all));
    }

    @Test
    void anOpenTransactionHoldsTheLastStableOffset() throws Exception {
        String topic = uniqueTopic("txn-lso");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<byte[], byte[]> plain = producer(Map.of());
        plain.send(record(topic, 0, "before")).get();
        KafkaProducer<byte[], byte[]> producer = transactional("lso-" + topic, 30_000);
        producer.beginTransaction();
        producer.send(record(topic, 0, "open")).get();
        plain.send(record(topic, 0, "after")).get();

        assertEquals(3, endOffset(tp, IsolationLevel.READ_UNCOMMITTED));
        assertEquals(1, endOffset(tp, IsolationLevel.READ_COMMITTED));
        KafkaConsumer<byte[], byte[]> rc = consumer(IsolationLevel.READ_COMMITTED);
        assertEquals(List.of("before"), values(readTo(rc, tp, 1)));
        // nothing past the LSO while the transaction is open
        assertTrue(rc.poll(Duration.ofMillis(500)).isEmpty());

        producer.commitTransaction();
        assertEquals(4, endOffset(tp, IsolationLevel.READ_COMMITTED));
        assertEquals(List.of("before", "open", "after"), values(readTo(rc, tp, 4)));
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        String topic = uniqueTopic("txn-fence");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        String id = "fence-" + topic;
        KafkaProducer<byte[], byte[]> zombie = transactional(id, 30_000);
        zombie.beginTransaction();
        zombie.send(record(topic, 0, "zombie")).get();

        // the new instance aborts what the zombie left open and bumps the epoch
        KafkaProducer<byte[], byte[]> fresh = transactional(id, 30_000);
        fresh.beginTransaction();
        fresh.send(record(topic, 0, "fresh")).get();
        fresh.commitTransaction();

        // as Kafka (since 2.7): a produce with the old epoch gets INVALID_PRODUCER_EPOCH, then the
        // transaction's own requests get PRODUCER_FENCED
        ExecutionException sendFailed = assertThrows(ExecutionException.class,
                () -> zombie.send(record(topic, 0, "zombie-2")).get());
        assertInstanceOf(InvalidProducerEpochException.class, sendFailed.getCause(), String.valueOf(sendFailed.getCause()));
        assertThrows(KafkaException.class, zombie::commitTransaction);
        assertThrows(ProducerFencedException.class, zombie::abortTransaction);

        long end = endOffset(tp, IsolationLevel.READ_UNCOMMITTED);
        assertEquals(end, endOffset(tp, IsolationLevel.READ_COMMITTED));
        assertEquals(List.of("fresh"), values(readTo(consumer(IsolationLevel.READ_COMMITTED), tp, end)));
    }

    @Test
    void anAbandonedTransactionIsAbortedWhenItTimesOut() throws Exception {
        String topic = uniqueTopic("txn-timeout");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        KafkaProducer<byte[], byte[]> abandoned = transactional("timeout-" + topic, 1_000);
        abandoned.beginTransaction();
        abandoned.send(record(topic, 0, "abandoned")).get();
        assertEquals(0, endOffset(tp, IsolationLevel.READ_COMMITTED));

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (endOffset(tp, IsolationLevel.READ_COMMITTED) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // the record and the abort marker
        assertEquals(2, endOffset(tp, IsolationLevel.READ_COMMITTED));
        assertEquals(List.of(), values(readTo(consumer(IsolationLevel.READ_COMMITTED), tp, 2)));
        assertEquals(List.of("abandoned"), values(readTo(consumer(IsolationLevel.READ_UNCOMMITTED), tp, 2)));
        // the producer that left it is fenced: its epoch was bumped by the abort
        assertThrows(ProducerFencedException.class, abandoned::commitTransaction);
    }

    @Test
    void aTimeoutAboveTheBrokersMaximumIsRefused() {
        KafkaProducer<byte[], byte[]> p = producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueTopic("too-long"),
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000));
        // the client reports INVALID_TRANSACTION_TIMEOUT from InitProducerId as a plain KafkaException
        KafkaException e = assertThrows(KafkaException.class, p::initTransactions);
        assertTrue(e.getMessage().contains("transaction.max.timeout.ms"), e.getMessage());
    }

    @Test
    void theTransactionOptionsAreBrokerConfigsUnderKafkasNames() throws Exception {
        ConfigResource brokerResource = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config config = admin().describeConfigs(List.of(brokerResource)).all().get()
                .get(brokerResource);
        assertEquals("60000", config.get("transaction.max.timeout.ms").value());
        assertTrue(config.get("transaction.max.timeout.ms").isReadOnly());
        assertEquals("200", config.get("transaction.abort.timed.out.transaction.cleanup.interval.ms").value());
        assertEquals("604800000", config.get("transactional.id.expiration.ms").value());
    }

    @Test
    void theAdminClientListsAndDescribesTransactionsAndProducers() throws Exception {
        String topic = uniqueTopic("txn-admin");
        createTopic(topic, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        String id = "admin-" + topic;
        KafkaProducer<byte[], byte[]> producer = transactional(id, 30_000);
        producer.beginTransaction();
        producer.send(record(topic, 0, "x")).get();

        Admin admin = admin();
        TransactionListing listing = admin.listTransactions().all().get().stream()
                .filter(l -> l.transactionalId().equals(id)).findFirst().orElseThrow();
        assertEquals("Ongoing", listing.state().toString());
        TransactionDescription description = admin.describeTransactions(List.of(id)).description(id).get();
        assertEquals(listing.producerId(), description.producerId());
        assertEquals(30_000, description.transactionTimeoutMs());
        assertEquals(List.of(tp), List.copyOf(description.topicPartitions()));
        assertTrue(description.transactionStartTimeMs().isPresent());
        List<ProducerState> producers = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers();
        assertEquals(1, producers.size());
        assertEquals(listing.producerId(), producers.getFirst().producerId());
        assertEquals(0L, producers.getFirst().currentTransactionStartOffset().orElse(-1L));

        // the HTTP admin API shows the same
        HttpURLConnection http = (HttpURLConnection) URI.create("http://127.0.0.1:"
                + broker.httpPort() + "/api/v1/transactions/" + id).toURL().openConnection();
        assertEquals(200, http.getResponseCode());
        String body;
        try (InputStream in = http.getInputStream()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(body.contains("\"state\":\"Ongoing\""), body);
        assertTrue(body.contains("\"topic\":\"" + topic + "\""), body);

        producer.commitTransaction();
        assertEquals("CompleteCommit", admin.describeTransactions(List.of(id)).description(id).get().state().toString());
        ProducerState after = admin.describeProducers(List.of(tp)).partitionResult(tp).get().activeProducers().getFirst();
        assertTrue(after.currentTransactionStartOffset().isEmpty());
    }
}
