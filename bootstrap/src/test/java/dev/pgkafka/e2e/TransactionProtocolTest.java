package dev.pgkafka.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.AddOffsetsToTxnResponse;
import org.apache.kafka.common.requests.AddPartitionsToTxnResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.DescribeProducersResponse;
import org.apache.kafka.common.requests.DescribeTransactionsResponse;
import org.apache.kafka.common.requests.EndTxnResponse;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ListTransactionsResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.TxnOffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The transaction APIs over raw Kafka protocol: every advertised version answers a well-formed
 * request, and bad requests get Kafka's error codes (the connection stays open throughout).
 */
class TransactionProtocolTest extends BrokerTestSupport {
    private String topic;
    private RawKafkaConnection conn;

    @BeforeAll
    void setUp() throws Exception {
        topic = uniqueTopic("txn-proto");
        createTopic(topic, 1);
        conn = new RawKafkaConnection("127.0.0.1", broker.kafkaPort());
    }

    @AfterAll
    void tearDown() throws Exception {
        conn.close();
    }

    private record Producer(String transactionalId, long id, short epoch) {
    }

    private Producer init(String transactionalId, short version) throws Exception {
        InitProducerIdResponse response = conn.request(new InitProducerIdRequestData().setTransactionalId(transactionalId)
                .setTransactionTimeoutMs(60_000), version, InitProducerIdResponse.class);
        assertEquals(Errors.NONE.code(), response.data().errorCode(), "InitProducerId v" + version);
        return new Producer(transactionalId, response.data().producerId(), response.data().producerEpoch());
    }

    private short addPartition(Producer p, String topicName, short version) throws Exception {
        AddPartitionsToTxnTopicCollection topics = new AddPartitionsToTxnTopicCollection();
        topics.add(new AddPartitionsToTxnTopic().setName(topicName).setPartitions(List.of(0)));
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData();
        if (version < 4) {
            request.setV3AndBelowTransactionalId(p.transactionalId()).setV3AndBelowProducerId(p.id())
                    .setV3AndBelowProducerEpoch(p.epoch()).setV3AndBelowTopics(topics);
            AddPartitionsToTxnResponse response = conn.request(request, version, AddPartitionsToTxnResponse.class);
            return response.data().resultsByTopicV3AndBelow().find(topicName).resultsByPartition().find(0)
                    .partitionErrorCode();
        }
        AddPartitionsToTxnTransactionCollection transactions = new AddPartitionsToTxnTransactionCollection();
        transactions.add(new AddPartitionsToTxnTransaction().setTransactionalId(p.transactionalId()).setProducerId(p.id())
                .setProducerEpoch(p.epoch()).setVerifyOnly(false).setTopics(topics));
        request.setTransactions(transactions);
        AddPartitionsToTxnResponse response = conn.request(request, version, AddPartitionsToTxnResponse.class);
        assertEquals(Errors.NONE.code(), response.data().errorCode());
        return response.data().resultsByTransaction().find(p.transactionalId()).topicResults().find(topicName)
                .resultsByPartition().find(0).partitionErrorCode();
    }

    private short endTxn(Producer p, boolean commit, short version) throws Exception {
        return conn.request(new EndTxnRequestData().setTransactionalId(p.transactionalId()).setProducerId(p.id())
                .setProducerEpoch(p.epoch()).setCommitted(commit), version, EndTxnResponse.class).data().errorCode();
    }

    @Test
    void theTransactionApisAreAdvertisedOverKafkasRanges() throws Exception {
        ApiVersionsResponse response = conn.request(new ApiVersionsRequestData(), (short) 3, ApiVersionsResponse.class);
        assertRange(response, ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 5);
        assertRange(response, ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4);
        assertRange(response, ApiKeys.END_TXN, 0, 5);
        assertRange(response, ApiKeys.TXN_OFFSET_COMMIT, 0, 5);
        assertRange(response, ApiKeys.LIST_TRANSACTIONS, 0, 2);
        assertRange(response, ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0);
        assertRange(response, ApiKeys.DESCRIBE_PRODUCERS, 0, 0);
        assertRange(response, ApiKeys.INIT_PRODUCER_ID, 0, 5);
        // transaction.version 2 is finalized, as Kafka 4 does: clients use KIP-890 (see ADR 11)
        assertEquals(2, response.data().finalizedFeatures().find("transaction.version").maxVersionLevel());
        assertTrue(response.data().finalizedFeaturesEpoch() >= 0);
    }

    private static void assertRange(ApiVersionsResponse response, ApiKeys key, int min, int max) {
        var v = response.data().apiKeys().find(key.id);
        assertEquals(min, v.minVersion(), key.name);
        assertEquals(max, v.maxVersion(), key.name);
    }

    @Test
    void everyVersionCommitsATransaction() throws Exception {
        for (short v = 0; v <= 5; v++) {
            Producer p = init("sweep-" + v + "-" + topic, v);
            // AddPartitionsToTxn 0-5, EndTxn 0-5
            assertEquals(Errors.NONE.code(), addPartition(p, topic, v), "AddPartitionsToTxn v" + v);
            if (v <= 4) {
                AddOffsetsToTxnResponse offsets = conn.request(new AddOffsetsToTxnRequestData().setTransactionalId(
                                p.transactionalId()).setProducerId(p.id()).setProducerEpoch(p.epoch()).setGroupId("sweep-group"),
                        v, AddOffsetsToTxnResponse.class);
                assertEquals(Errors.NONE.code(), offsets.data().errorCode(), "AddOffsetsToTxn v" + v);
                TxnOffsetCommitRequestData commit = new TxnOffsetCommitRequestData().setTransactionalId(p.transactionalId())
                        .setGroupId("sweep-group").setProducerId(p.id()).setProducerEpoch(p.epoch());
                commit.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic).setPartitions(
                        List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                                .setCommittedOffset(v).setCommittedMetadata("m"))));
                TxnOffsetCommitResponse committed = conn.request(commit, v, TxnOffsetCommitResponse.class);
                assertEquals(Errors.NONE.code(), committed.data().topics().get(0).partitions().get(0).errorCode(),
                        "TxnOffsetCommit v" + v);
            }
            assertEquals(Errors.NONE.code(), endTxn(p, true, v), "EndTxn v" + v);
            // a retried EndTxn of a completed transaction is answered NONE
            assertEquals(Errors.NONE.code(), endTxn(p, true, v), "EndTxn retry v" + v);
        }
        // TxnOffsetCommit v5 too
        Producer p = init("sweep-offsets5-" + topic, (short) 5);
        conn.request(new AddOffsetsToTxnRequestData().setTransactionalId(p.transactionalId()).setProducerId(p.id())
                .setProducerEpoch(p.epoch()).setGroupId("sweep-group"), (short) 4, AddOffsetsToTxnResponse.class);
        TxnOffsetCommitRequestData commit = new TxnOffsetCommitRequestData().setTransactionalId(p.transactionalId())
                .setGroupId("sweep-group").setProducerId(p.id()).setProducerEpoch(p.epoch());
        commit.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic).setPartitions(
                List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(42).setCommittedMetadata("m"))));
        assertEquals(Errors.NONE.code(), conn.request(commit, (short) 5, TxnOffsetCommitResponse.class).data().topics().get(0)
                .partitions().get(0).errorCode());

        // pending transactional offsets are unstable for require_stable fetches until the commit
        assertEquals(Errors.UNSTABLE_OFFSET_COMMIT.code(), fetchOffset(true).errorCode());
        assertEquals(4, fetchOffset(false).committedOffset(), "the offsets of the v4 transaction are committed");
        assertEquals(Errors.NONE.code(), endTxn(p, true, (short) 5));
        OffsetFetchResponseData.OffsetFetchResponsePartition stable = fetchOffset(true);
        assertEquals(Errors.NONE.code(), stable.errorCode());
        assertEquals(42, stable.committedOffset());

        for (short v = 0; v <= 2; v++) {
            ListTransactionsRequestData request = new ListTransactionsRequestData();
            if (v >= 2) {
                request.setTransactionalIdPattern("sweep-.*");
            }
            ListTransactionsResponse list = conn.request(request, v, ListTransactionsResponse.class);
            assertEquals(Errors.NONE.code(), list.data().errorCode(), "ListTransactions v" + v);
            assertTrue(list.data().transactionStates().stream()
                    .anyMatch(s -> s.transactionalId().equals(p.transactionalId()) && s.transactionState().equals("CompleteCommit")),
                    "ListTransactions v" + v);
        }
        DescribeTransactionsResponse described = conn.request(new DescribeTransactionsRequestData().setTransactionalIds(
                List.of(p.transactionalId(), "never-seen")), (short) 0, DescribeTransactionsResponse.class);
        assertEquals(Errors.NONE.code(), described.data().transactionStates().get(0).errorCode());
        assertEquals(p.id(), described.data().transactionStates().get(0).producerId());
        assertEquals(Errors.TRANSACTIONAL_ID_NOT_FOUND.code(), described.data().transactionStates().get(1).errorCode());

        DescribeProducersRequestData producers = new DescribeProducersRequestData();
        producers.topics().add(new DescribeProducersRequestData.TopicRequest().setName(topic).setPartitionIndexes(List.of(0)));
        producers.topics().add(new DescribeProducersRequestData.TopicRequest().setName("no-such-topic")
                .setPartitionIndexes(List.of(0)));
        DescribeProducersResponse dp = conn.request(producers, (short) 0, DescribeProducersResponse.class);
        assertEquals(Errors.NONE.code(), dp.data().topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), dp.data().topics().get(1).partitions().get(0).errorCode());
    }

    private OffsetFetchResponseData.OffsetFetchResponsePartition fetchOffset(boolean requireStable) throws Exception {
        OffsetFetchRequestData request = new OffsetFetchRequestData().setGroupId("sweep-group").setRequireStable(requireStable);
        request.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0)));
        OffsetFetchResponse response = conn.request(request, (short) 7, OffsetFetchResponse.class);
        return response.data().topics().get(0).partitions().get(0);
    }

    @Test
    void badRequestsGetKafkasErrors() throws Exception {
        Producer unknown = new Producer("never-initialised-" + topic, 12345, (short) 0);
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), endTxn(unknown, true, (short) 5));
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), addPartition(unknown, topic, (short) 3));

        Producer p = init("bad-" + topic, (short) 4);
        // nothing added: there is no transaction to end
        assertEquals(Errors.INVALID_TXN_STATE.code(), endTxn(p, true, (short) 4));
        // an unknown partition fails the request
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), addPartition(p, "no-such-topic", (short) 3));
        // a transactional batch for a partition the transaction does not hold
        assertEquals(Errors.INVALID_TXN_STATE.code(), produceTransactional(p, 0));

        assertEquals(Errors.NONE.code(), addPartition(p, topic, (short) 3));
        assertEquals(Errors.NONE.code(), produceTransactional(p, 0));
        Producer wrongId = new Producer(p.transactionalId(), p.id() + 1, p.epoch());
        assertEquals(Errors.INVALID_PRODUCER_ID_MAPPING.code(), endTxn(wrongId, true, (short) 4));
        Producer oldEpoch = new Producer(p.transactionalId(), p.id(), (short) (p.epoch() - 1));
        assertEquals(Errors.PRODUCER_FENCED.code(), endTxn(oldEpoch, true, (short) 4));
        // before KIP-588's versions the same is INVALID_PRODUCER_EPOCH
        assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), endTxn(oldEpoch, true, (short) 1));
        assertEquals(Errors.NONE.code(), endTxn(p, false, (short) 4));
        // committing what was aborted
        assertEquals(Errors.INVALID_TXN_STATE.code(), endTxn(p, true, (short) 4));

        InitProducerIdResponse tooLong = conn.request(new InitProducerIdRequestData().setTransactionalId("bad-timeout")
                .setTransactionTimeoutMs(Integer.MAX_VALUE), (short) 4, InitProducerIdResponse.class);
        assertEquals(Errors.INVALID_TRANSACTION_TIMEOUT.code(), tooLong.data().errorCode());

        ListTransactionsResponse badPattern = conn.request(new ListTransactionsRequestData().setTransactionalIdPattern("(["),
                (short) 2, ListTransactionsResponse.class);
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(), badPattern.data().errorCode());
        // RE2/J, as Kafka: a pattern that backtracks exponentially in the JDK's engine (2^40 steps on this id)
        // is answered at once
        String aaa = "a".repeat(40) + "!";
        assertEquals(Errors.NONE.code(), conn.request(new InitProducerIdRequestData().setTransactionalId(aaa)
                .setTransactionTimeoutMs(60_000), (short) 4, InitProducerIdResponse.class).data().errorCode());
        long start = System.nanoTime();
        ListTransactionsResponse pathological = conn.request(new ListTransactionsRequestData()
                .setTransactionalIdPattern("(a+)+$"), (short) 2, ListTransactionsResponse.class);
        assertEquals(Errors.NONE.code(), pathological.data().errorCode());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "answered within a second");
        ListTransactionsResponse longPattern = conn.request(new ListTransactionsRequestData()
                .setTransactionalIdPattern("a".repeat(1025)), (short) 2, ListTransactionsResponse.class);
        assertEquals(Errors.INVALID_REGULAR_EXPRESSION.code(), longPattern.data().errorCode(), "longer than 1,024");
        ListTransactionsResponse unknownState = conn.request(new ListTransactionsRequestData().setStateFilters(
                List.of("NoSuchState")), (short) 0, ListTransactionsResponse.class);
        assertEquals(List.of("NoSuchState"), unknownState.data().unknownStateFilters());
        assertTrue(unknownState.data().transactionStates().isEmpty());
    }

    @Test
    void transactionVersion2ProduceAddsItsPartitionAndEndTxnBumpsTheEpoch() throws Exception {
        Producer p = init("tv2-" + topic, (short) 5);
        // Produce v12 adds the partition itself: no AddPartitionsToTxn
        assertEquals(Errors.NONE.code(), produceTransactional(p, 0, (short) 12));
        // so does TxnOffsetCommit v5 for its group: no AddOffsetsToTxn
        TxnOffsetCommitRequestData commit = new TxnOffsetCommitRequestData().setTransactionalId(p.transactionalId())
                .setGroupId("tv2-group").setProducerId(p.id()).setProducerEpoch(p.epoch());
        commit.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic).setPartitions(
                List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)
                        .setCommittedOffset(7).setCommittedMetadata(""))));
        assertEquals(Errors.NONE.code(), conn.request(commit, (short) 5, TxnOffsetCommitResponse.class).data().topics().get(0)
                .partitions().get(0).errorCode());
        // Produce v11 (transaction version 1) to a partition already in the transaction
        assertEquals(Errors.NONE.code(), produceTransactional(p, 1, (short) 11));

        EndTxnResponse end = conn.request(new EndTxnRequestData().setTransactionalId(p.transactionalId())
                .setProducerId(p.id()).setProducerEpoch(p.epoch()).setCommitted(true), (short) 5, EndTxnResponse.class);
        assertEquals(Errors.NONE.code(), end.data().errorCode());
        assertEquals(p.id(), end.data().producerId());
        assertEquals(p.epoch() + 1, end.data().producerEpoch(), "EndTxn v5 bumps the epoch");
        // a retry of the same EndTxn (its answer was lost) succeeds with the new epoch
        EndTxnResponse retry = conn.request(new EndTxnRequestData().setTransactionalId(p.transactionalId())
                .setProducerId(p.id()).setProducerEpoch(p.epoch()).setCommitted(true), (short) 5, EndTxnResponse.class);
        assertEquals(Errors.NONE.code(), retry.data().errorCode());
        assertEquals(p.epoch() + 1, retry.data().producerEpoch());
        // the old epoch is fenced, the new one starts a transaction at sequence 0
        assertEquals(Errors.INVALID_PRODUCER_EPOCH.code(), produceTransactional(p, 2, (short) 12));
        Producer next = new Producer(p.transactionalId(), p.id(), end.data().producerEpoch());
        assertEquals(Errors.NONE.code(), produceTransactional(next, 0, (short) 12));
        EndTxnResponse abort = conn.request(new EndTxnRequestData().setTransactionalId(p.transactionalId())
                .setProducerId(p.id()).setProducerEpoch(next.epoch()).setCommitted(false), (short) 5, EndTxnResponse.class);
        assertEquals(Errors.NONE.code(), abort.data().errorCode());
        assertEquals(next.epoch() + 1, abort.data().producerEpoch());

        OffsetFetchRequestData fetch = new OffsetFetchRequestData().setGroupId("tv2-group").setRequireStable(true);
        fetch.topics().add(new OffsetFetchRequestData.OffsetFetchRequestTopic().setName(topic).setPartitionIndexes(List.of(0)));
        assertEquals(7, conn.request(fetch, (short) 7, OffsetFetchResponse.class).data().topics().get(0).partitions().get(0)
                .committedOffset());
    }

    private short produceTransactional(Producer p, int baseSequence) throws Exception {
        return produceTransactional(p, baseSequence, (short) 11);
    }

    private short produceTransactional(Producer p, int baseSequence, short version) throws Exception {
        MemoryRecords records = MemoryRecords.withTransactionalRecords(Compression.NONE, p.id(), p.epoch(), baseSequence,
                new SimpleRecord("t".getBytes(StandardCharsets.UTF_8)));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000)
                .setTransactionalId(p.transactionalId());
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        request.topicData().add(t);
        ProduceResponse response = conn.request(request, version, ProduceResponse.class);
        return response.data().responses().iterator().next().partitionResponses().get(0).errorCode();
    }
}
