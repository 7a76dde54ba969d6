package dev.pgkafka.adapter.kafka.authz;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.cluster.DescribeClusterHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetCommitHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetDeleteHandler;
import dev.pgkafka.adapter.kafka.api.commit.OffsetFetchHandler;
import dev.pgkafka.adapter.kafka.api.group.ConsumerGroupHeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.HeartbeatHandler;
import dev.pgkafka.adapter.kafka.api.group.JoinGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.LeaveGroupHandler;
import dev.pgkafka.adapter.kafka.api.group.SyncGroupHandler;
import dev.pgkafka.adapter.kafka.api.producer.InitProducerIdHandler;
import dev.pgkafka.adapter.kafka.api.txn.AddPartitionsToTxnHandler;
import dev.pgkafka.adapter.kafka.api.txn.TxnOffsetCommitHandler;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.adapter.kafka.protocol.SupportedVersions;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClusterUseCase;

/**
 * Whole-request refusals are Kafka's own error answers: at every advertised version they can be
 * written and read back by kafka-clients and carry the refusal.
 */
class RefusalsAtEveryVersionTest {
    final AuthHelper nobodyMay = new AuthHelper(new ScriptedAuthorizer());
    final Fakes.Topics topics = new Fakes.Topics();

    {
        topics.add("t", 1);
    }

    @Test
    void groupRefusals() {
        Fakes.Membership membership = new Fakes.Membership();
        everyVersion(new JoinGroupHandler(membership, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED, v -> {
            JoinGroupRequestData r = new JoinGroupRequestData().setGroupId("g").setMemberId("").setProtocolType("consumer")
                    .setSessionTimeoutMs(10000).setRebalanceTimeoutMs(v >= 1 ? 10000 : -1);
            r.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(new byte[0]));
            return r;
        });
        everyVersion(new SyncGroupHandler(membership, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED,
                v -> new SyncGroupRequestData().setGroupId("g").setMemberId("m").setGenerationId(1)
                        .setProtocolType(v >= 5 ? "consumer" : null).setProtocolName(v >= 5 ? "range" : null));
        everyVersion(new HeartbeatHandler(membership, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED,
                v -> new HeartbeatRequestData().setGroupId("g").setMemberId("m").setGenerationId(1));
        everyVersion(new LeaveGroupHandler(membership, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED,
                v -> v < 3 ? new LeaveGroupRequestData().setGroupId("g").setMemberId("m")
                        : new LeaveGroupRequestData().setGroupId("g").setMembers(List.of(
                                new LeaveGroupRequestData.MemberIdentity().setMemberId("m"))));
        everyVersion(new ConsumerGroupHeartbeatHandler(new Fakes.ConsumerGroups(), nobodyMay),
                Errors.GROUP_AUTHORIZATION_FAILED, v -> new ConsumerGroupHeartbeatRequestData().setGroupId("g")
                        .setMemberId("m").setMemberEpoch(0).setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("t"))
                        .setTopicPartitions(List.of()));
        assertTrue(membership.calls.isEmpty());
    }

    @Test
    void offsetRefusals() {
        Fakes.GroupOffsets offsets = new Fakes.GroupOffsets();
        everyVersion(new OffsetCommitHandler(offsets, topics, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED, v -> {
            OffsetCommitRequestData r = new OffsetCommitRequestData().setGroupId("g").setGenerationIdOrMemberEpoch(-1);
            r.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic()
                    .setName(v < 10 ? "t" : "").setTopicId(v < 10 ? Uuid.ZERO_UUID : Uuid.randomUuid())
                    .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0))));
            return r;
        });
        everyVersion(new OffsetFetchHandler(offsets, topics, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED, v -> {
            if (v < 8) {
                return new OffsetFetchRequestData().setGroupId("g").setTopics(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("t").setPartitionIndexes(List.of(0))));
            }
            OffsetFetchRequestData r = new OffsetFetchRequestData();
            r.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null));
            return r;
        });
        everyVersion(new OffsetDeleteHandler(offsets, topics, nobodyMay), Errors.GROUP_AUTHORIZATION_FAILED,
                v -> new OffsetDeleteRequestData().setGroupId("g"));
        assertTrue(offsets.commits.isEmpty());
    }

    @Test
    void transactionRefusals() {
        everyVersion(new InitProducerIdHandler((id, timeout, pid, epoch) -> null, nobodyMay),
                Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, v -> new InitProducerIdRequestData().setTransactionalId("tx")
                        .setTransactionTimeoutMs(1000).setProducerId(-1).setProducerEpoch((short) -1));
        everyVersion(new InitProducerIdHandler((id, timeout, pid, epoch) -> null, nobodyMay),
                Errors.CLUSTER_AUTHORIZATION_FAILED, v -> new InitProducerIdRequestData().setTransactionalId(null)
                        .setTransactionTimeoutMs(1000));
        everyVersion(new TxnOffsetCommitHandler(new Fakes.Transactions(), topics, nobodyMay),
                Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, v -> {
                    TxnOffsetCommitRequestData r = new TxnOffsetCommitRequestData().setTransactionalId("tx").setGroupId("g");
                    r.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("t").setPartitions(
                            List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0))));
                    return r;
                });
        AddPartitionsToTxnHandler add = new AddPartitionsToTxnHandler(new Fakes.Transactions(), topics, nobodyMay);
        for (short v = 4; v <= SupportedVersions.advertisedMax(ApiKeys.ADD_PARTITIONS_TO_TXN); v++) {
            AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection txs =
                    new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransactionCollection();
            txs.add(new AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction().setTransactionalId("tx"));
            check(add, v, new AddPartitionsToTxnRequestData().setTransactions(txs), Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
    }

    @Test
    void describeClusterAsAController() {
        ClusterUseCase cluster = new ClusterUseCase() {
            @Override
            public String clusterId() {
                return "c";
            }

            @Override
            public int nodeId() {
                return 1;
            }
        };
        DescribeClusterHandler handler = new DescribeClusterHandler(cluster, new BrokerEndpoint(1, "h", 1), nobodyMay);
        for (short v = 1; v <= SupportedVersions.advertisedMax(ApiKeys.DESCRIBE_CLUSTER); v++) {
            check(handler, v, new DescribeClusterRequestData().setEndpointType((byte) 2), Errors.CLUSTER_AUTHORIZATION_FAILED);
        }
    }

    private static void everyVersion(ApiHandler handler, Errors expected, IntFunction<ApiMessage> request) {
        ApiKeys key = handler.apiKey();
        for (short v = (short) Math.max(SupportedVersions.advertisedMin(key), key.oldestVersion());
             v <= SupportedVersions.advertisedMax(key); v++) {
            check(handler, v, request.apply(v), expected);
        }
    }

    private static void check(ApiHandler handler, short version, ApiMessage request, Errors expected) {
        ApiKeys key = handler.apiKey();
        ApiMessage body = handler.handle(Contexts.as("mallory", key, version), request).body();
        assertNotNull(body, key + " v" + version);
        ByteBuffer frame = RequestDispatcher.serialize(1, (short) 0, body, version);
        frame.position(4 + 4); // size, then a v0 response header: the correlation id
        AbstractResponse parsed = AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), version);
        Map<Errors, Integer> errors = parsed.errorCounts();
        assertTrue(errors.containsKey(expected), key + " v" + version + " answered " + errors);
    }
}
