package dev.pgkafka.adapter.kafka.authz;

import static dev.pgkafka.adapter.kafka.authz.Contexts.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;

import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.producer.InitProducerIdHandler;
import dev.pgkafka.adapter.kafka.api.txn.AddOffsetsToTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.AddPartitionsToTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.DescribeProducersHandler;
import dev.pgkafka.adapter.kafka.api.txn.DescribeTransactionsHandler;
import dev.pgkafka.adapter.kafka.api.txn.EndTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.ListTransactionsHandler;
import dev.pgkafka.adapter.kafka.api.txn.TxnOffsetCommitHandler;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.InitProducerIdUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;
import dev.pgkafka.domain.txn.TransactionState;

/** InitProducerId and the transaction APIs with ACLs, as Kafka 4.3.1 answers them. */
class TransactionAuthorizationTest {
    final ScriptedAuthorizer acls = new ScriptedAuthorizer()
            .allow("alice", AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tx1")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, "tx1")
            .allow("alice", AclOperation.WRITE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.READ, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.READ, ResourceType.GROUP, "g1")
            .allowSomewhere("alice", AclOperation.WRITE, ResourceType.TOPIC);
    final AuthHelper auth = new AuthHelper(acls);
    final Fakes.Topics topics = new Fakes.Topics();
    final Topic known = topics.add("known", 1);
    final Topic secret = topics.add("secret", 1);
    final Fakes.Transactions transactions = new Fakes.Transactions();

    @Test
    void initProducerIdNeedsWriteOnTheTransactionalIdOrIdempotentWrite() {
        InitProducerIdUseCase ids = (txnId, timeout, producerId, epoch) -> new InitProducerIdUseCase.ProducerIdResult(
                ErrorCode.NONE, 1000, (short) 0);
        InitProducerIdHandler handler = new InitProducerIdHandler(ids, auth);
        InitProducerIdRequestData idempotent = new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(60000).setProducerId(-1).setProducerEpoch((short) -1);
        assertEquals(Errors.NONE.code(), ((InitProducerIdResponseData) call(handler, "alice", 5, idempotent)).errorCode(),
                "WRITE on some topic is enough (KIP-679)");
        InitProducerIdResponseData bob = call(handler, "bob", 5, idempotent);
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), bob.errorCode());
        assertEquals(-1, bob.producerId());
        assertEquals(-1, bob.producerEpoch());
        assertTrue(acls.loggedDenials().isEmpty(), "IDEMPOTENT_WRITE is asked quietly, as Kafka");
        acls.allowCluster("carol", AclOperation.IDEMPOTENT_WRITE);
        assertEquals(Errors.NONE.code(), ((InitProducerIdResponseData) call(handler, "carol", 5, idempotent)).errorCode());

        InitProducerIdResponseData refused = call(handler, "alice", 5, idempotent.duplicate().setTransactionalId("tx-no"));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(-1, refused.producerId());
        assertEquals(Errors.NONE.code(), ((InitProducerIdResponseData) call(handler, "alice", 5,
                idempotent.duplicate().setTransactionalId("tx1"))).errorCode());
    }

    private static AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection txnTopics(String... names) {
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection topics =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection();
        for (String n : names) {
            topics.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic().setName(n).setPartitions(List.of(0)));
        }
        return topics;
    }

    private static short partitionError(AddPartitionsToTxnResponseData response, String topic) {
        return response.resultsByTopicV3AndBelow().find(topic).resultsByPartition().find(0).partitionErrorCode();
    }

    @Test
    void addPartitionsToTxnChecksTheTransactionalIdThenEveryTopic() {
        AddPartitionsToTxnHandler handler = new AddPartitionsToTxnHandler(transactions, topics, auth);
        AddPartitionsToTxnResponseData mixed = call(handler, "alice", 3, new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx1").setV3AndBelowProducerId(1).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(txnTopics("known", "secret", "nope", "__consumer_offsets")));
        assertEquals(Errors.OPERATION_NOT_ATTEMPTED.code(), partitionError(mixed, "known"));
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partitionError(mixed, "secret"));
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partitionError(mixed, "nope"));
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), partitionError(mixed, "__consumer_offsets"),
                "internal topics are never granted");
        assertFalse(acls.wasAsked(AclOperation.WRITE, ResourceType.TOPIC, "__consumer_offsets"));
        assertTrue(transactions.added.isEmpty());

        AddPartitionsToTxnResponseData refused = call(handler, "alice", 3, new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx-no").setV3AndBelowProducerId(1).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(txnTopics("known", "secret")));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), partitionError(refused, "known"));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), partitionError(refused, "secret"));

        AddPartitionsToTxnResponseData ok = call(handler, "alice", 3, new AddPartitionsToTxnRequestData()
                .setV3AndBelowTransactionalId("tx1").setV3AndBelowProducerId(1).setV3AndBelowProducerEpoch((short) 0)
                .setV3AndBelowTopics(txnTopics("known")));
        assertEquals(Errors.NONE.code(), partitionError(ok, "known"));
        assertEquals(List.of(List.of(known.partition(0))), transactions.added);
    }

    @Test
    void theBrokersBatchedAddPartitionsToTxnNeedsClusterAction() {
        AddPartitionsToTxnHandler handler = new AddPartitionsToTxnHandler(transactions, topics, auth);
        AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection txs =
                new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
        txs.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("tx-no")
                .setProducerId(1).setProducerEpoch((short) 0).setTopics(txnTopics("secret")));
        AddPartitionsToTxnRequestData request = new AddPartitionsToTxnRequestData().setTransactions(txs);
        AddPartitionsToTxnResponseData refused = call(handler, "alice", 5, request);
        assertEquals(Errors.CLUSTER_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertTrue(refused.resultsByTransaction().isEmpty());

        acls.allowCluster("broker", AclOperation.CLUSTER_ACTION);
        AddPartitionsToTxnResponseData ok = call(handler, "broker", 5, request);
        assertEquals(Errors.NONE.code(), ok.errorCode());
        assertEquals(Errors.NONE.code(), ok.resultsByTransaction().find("tx-no").topicResults().find("secret")
                .resultsByPartition().find(0).partitionErrorCode(), "nothing is asked per transaction or topic");
    }

    @Test
    void addOffsetsAndEndTxnNeedWriteOnTheTransactionalIdAndReadOnTheGroup() {
        AddOffsetsToTxnHandler addOffsets = new AddOffsetsToTxnHandler(transactions, auth);
        AddOffsetsToTxnRequestData request = new AddOffsetsToTxnRequestData().setTransactionalId("tx-no")
                .setProducerId(1).setProducerEpoch((short) 0).setGroupId("g2");
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(),
                ((AddOffsetsToTxnResponseData) call(addOffsets, "alice", 4, request)).errorCode(), "the id is checked first");
        assertEquals(Errors.GROUP_AUTHORIZATION_FAILED.code(),
                ((AddOffsetsToTxnResponseData) call(addOffsets, "alice", 4, request.duplicate().setTransactionalId("tx1"))).errorCode());
        assertEquals(Errors.NONE.code(), ((AddOffsetsToTxnResponseData) call(addOffsets, "alice", 4,
                request.duplicate().setTransactionalId("tx1").setGroupId("g1"))).errorCode());

        EndTxnHandler endTxn = new EndTxnHandler(transactions, auth);
        EndTxnResponseData refused = call(endTxn, "alice", 5, new EndTxnRequestData().setTransactionalId("tx-no")
                .setProducerId(1).setProducerEpoch((short) 0).setCommitted(true));
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(-1, refused.producerId());
        assertEquals(-1, refused.producerEpoch());
        assertEquals(List.of("addOffsets tx1 g1"), transactions.calls);
    }

    @Test
    void txnOffsetCommitChecksTheTransactionalIdTheGroupAndEachTopic() {
        TxnOffsetCommitHandler handler = new TxnOffsetCommitHandler(transactions, topics, auth);
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("tx-no").setGroupId("g1")
                .setProducerId(1).setProducerEpoch((short) 0);
        for (String n : List.of("known", "secret")) {
            request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(n).setPartitions(List.of(
                    new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))));
        }
        TxnOffsetCommitResponseData noId = call(handler, "alice", 4, request);
        assertTrue(noId.topics().stream().allMatch(t -> t.partitions().get(0).errorCode()
                == Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        TxnOffsetCommitResponseData noGroup = call(handler, "alice", 4, request.duplicate().setTransactionalId("tx1").setGroupId("g2"));
        assertTrue(noGroup.topics().stream().allMatch(t -> t.partitions().get(0).errorCode()
                == Errors.GROUP_AUTHORIZATION_FAILED.code()));
        TxnOffsetCommitResponseData mixed = call(handler, "alice", 4, request.duplicate().setTransactionalId("tx1"));
        assertEquals(List.of("secret", "known"), mixed.topics().stream().map(t -> t.name()).toList(),
                "refused topics first, as Kafka");
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), mixed.topics().get(0).partitions().get(0).errorCode());
        assertEquals(Errors.NONE.code(), mixed.topics().get(1).partitions().get(0).errorCode());
        assertEquals(List.of("txnOffsetCommit tx1 1"), transactions.calls);
    }

    @Test
    void transactionsAreListedAndDescribedOnlyAsFarAsTheClientMayDescribe() {
        TreeSet<TopicIdPartition> partitions = new TreeSet<>(List.of(known.partition(0), secret.partition(0)));
        transactions.states.put("tx1", new TransactionMetadata("tx1", 1, (short) 0, 60000, TransactionState.ONGOING,
                partitions, new TreeSet<>(), 10, 10));
        transactions.states.put("tx2", new TransactionMetadata("tx2", 2, (short) 0, 60000, TransactionState.ONGOING,
                partitions, new TreeSet<>(), 10, 10));
        ListTransactionsResponseData listed = call(new ListTransactionsHandler(transactions, auth), "alice", 2,
                new ListTransactionsRequestData());
        assertEquals(List.of("tx1"), listed.transactionStates().stream().map(t -> t.transactionalId()).toList());
        assertTrue(acls.loggedDenials().isEmpty(), "the client named no transactional id");

        DescribeTransactionsResponseData described = call(new DescribeTransactionsHandler(transactions, topics, auth), "alice",
                0, new DescribeTransactionsRequestData().setTransactionalIds(List.of("tx1", "tx2")));
        DescribeTransactionsResponseData.TransactionState tx1 = described.transactionStates().get(0);
        assertEquals(Errors.NONE.code(), tx1.errorCode());
        assertEquals(List.of("known"), tx1.topics().stream().map(t -> t.topic()).toList(), "secret's partition is hidden");
        DescribeTransactionsResponseData.TransactionState tx2 = described.transactionStates().get(1);
        assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), tx2.errorCode());
        assertEquals("", tx2.transactionState());
        assertEquals(0, tx2.producerId());
        assertTrue(tx2.topics().isEmpty());
    }

    @Test
    void describeProducersNeedsReadOnEachTopic() {
        DescribeProducersHandler handler = new DescribeProducersHandler(transactions, topics, auth);
        DescribeProducersRequestData request = new DescribeProducersRequestData();
        for (String n : List.of("known", "secret", "nope", "bad/name")) {
            request.topics().add(new DescribeProducersRequestData.TopicRequest().setName(n).setPartitionIndexes(List.of(0)));
        }
        DescribeProducersResponseData response = call(handler, "alice", 0, request);
        assertEquals(Errors.NONE.code(), response.topics().get(0).partitions().get(0).errorCode());
        for (int i : new int[] {1, 2}) {
            DescribeProducersResponseData.PartitionResponse p = response.topics().get(i).partitions().get(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), p.errorCode());
            assertEquals("Topic authorization failed.", p.errorMessage());
        }
        assertEquals(Errors.INVALID_TOPIC_EXCEPTION.code(), response.topics().get(3).partitions().get(0).errorCode(),
                "an invalid name is refused before authorization");
        assertFalse(acls.wasAsked(AclOperation.READ, ResourceType.TOPIC, "bad/name"));
    }
}
