package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

import dev.pgkafka.bootstrap.BrokerOptions;

/** {@code pgkafka.transactional.ids.max} = 2: a third transactional id is refused, the first two keep working. */
class TransactionalIdLimitTest extends BrokerTestSupport {

    @Override
    protected BrokerOptions options(String jdbcUrl) {
        return testOptions(jdbcUrl, true).withProperties(Map.of("pgkafka.transactional.ids.max", "2"));
    }

    private KafkaProducer<byte[], byte[]> transactional(String id) {
        return producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id, ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000));
    }

    @Test
    void aNewTransactionalIdPastTheLimitFailsInitTransactionsAndTheOthersKeepWorking() throws Exception {
        String topic = uniqueTopic("txn-limit");
        createTopic(topic, 1);
        KafkaProducer<byte[], byte[]> first = transactional("limit-a");
        first.initTransactions();
        transactional("limit-b").initTransactions();

        KafkaProducer<byte[], byte[]> third = transactional("limit-c");
        KafkaException refused = assertThrows(KafkaException.class, third::initTransactions);
        assertTrue(String.valueOf(refused.getMessage()).contains("policy"), refused.getMessage());

        first.beginTransaction();
        first.send(new ProducerRecord<>(topic, "v".getBytes())).get();
        first.commitTransaction();
        KafkaProducer<byte[], byte[]> again = transactional("limit-a");
        again.initTransactions(); // a known id is not new: it fences the first producer and goes on
        again.beginTransaction();
        again.send(new ProducerRecord<>(topic, "w".getBytes())).get();
        again.commitTransaction();
    }
}
