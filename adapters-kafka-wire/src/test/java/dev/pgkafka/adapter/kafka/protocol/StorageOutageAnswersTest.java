package dev.pgkafka.adapter.kafka.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;

/**
 * A request whose use case fails because the storage is unavailable gets the retriable error Kafka's
 * clients retry for that API (never UNKNOWN_SERVER_ERROR), with a message that names no host.
 */
class StorageOutageAnswersTest {
    private final RequestDispatcher dispatcher = new RequestDispatcher(List.of(
            failing(ApiKeys.CREATE_TOPICS), failing(ApiKeys.OFFSET_COMMIT), failing(ApiKeys.INIT_PRODUCER_ID),
            failing(ApiKeys.METADATA), failing(ApiKeys.DESCRIBE_CONFIGS), failing(ApiKeys.PRODUCE),
            failing(ApiKeys.JOIN_GROUP)));

    private static ApiHandler failing(ApiKeys key) {
        return new ApiHandler() {
            @Override
            public ApiKeys apiKey() {
                return key;
            }

            @Override
            public Response handle(RequestContext context, ApiMessage request) {
                throw new StorageUnavailableException(Reason.UNREACHABLE,
                        "append failed: Connection to db.internal:5432 refused", null);
            }
        };
    }

    @Test
    void controllerChangesAnswerNotControllerWhichTheAdminClientRetries() {
        CreateTopicsRequestData create = new CreateTopicsRequestData();
        create.topics().add(new CreateTopicsRequestData.CreatableTopic().setName("t").setNumPartitions(1)
                .setReplicationFactor((short) 1));
        var result = ((org.apache.kafka.common.message.CreateTopicsResponseData) answer(create, 7).data()).topics().find("t");
        assertEquals(Errors.NOT_CONTROLLER.code(), result.errorCode());
        assertTrue(result.errorMessage().contains("unreachable") && !result.errorMessage().contains("db.internal"),
                result.errorMessage());
    }

    @Test
    void groupsAnswerCoordinatorNotAvailable() {
        OffsetCommitRequestData commit = new OffsetCommitRequestData().setGroupId("g");
        commit.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("t").setPartitions(List.of(
                new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(1))));
        assertEquals(Map.of(Errors.COORDINATOR_NOT_AVAILABLE, 1), answer(commit, 8).errorCounts());
        JoinGroupRequestData join = new JoinGroupRequestData().setGroupId("g").setMemberId("m").setProtocolType("consumer")
                .setSessionTimeoutMs(10_000).setRebalanceTimeoutMs(10_000);
        assertEquals(Map.of(Errors.COORDINATOR_NOT_AVAILABLE, 1), answer(join, 9).errorCounts());
    }

    @Test
    void initProducerIdAnswersLoadInProgressWithoutATransactionalIdAndNotAvailableWithOne() {
        InitProducerIdRequestData idempotent = new InitProducerIdRequestData().setTransactionalId(null)
                .setTransactionTimeoutMs(1000);
        assertEquals(Map.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, 1), answer(idempotent, 4).errorCounts());
        InitProducerIdRequestData transactional = new InitProducerIdRequestData().setTransactionalId("tx")
                .setTransactionTimeoutMs(1000);
        assertEquals(Map.of(Errors.COORDINATOR_NOT_AVAILABLE, 1), answer(transactional, 4).errorCounts());
    }

    @Test
    void metadataAnswersWithoutBrokersWhichClientsIgnoreAndRetry() {
        MetadataRequestData metadata = new MetadataRequestData().setTopics(List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("t")));
        var data = (org.apache.kafka.common.message.MetadataResponseData) answer(metadata, 12).data();
        assertEquals(0, data.brokers().size());
        assertEquals(Errors.LEADER_NOT_AVAILABLE.code(), data.topics().find("t").errorCode());
    }

    @Test
    void otherApisAnswerRequestTimedOut() {
        DescribeConfigsRequestData describe = new DescribeConfigsRequestData();
        describe.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType((byte) 2)
                .setResourceName("t"));
        assertEquals(Map.of(Errors.REQUEST_TIMED_OUT, 1), answer(describe, 4).errorCounts());
    }

    @Test
    void produceAnswersKafkaStorageErrorAndAnAcksZeroProducerLosesItsConnection() {
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        produce.topicData().add(new ProduceRequestData.TopicProduceData().setName("t").setPartitionData(List.of(
                new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(MemoryRecords.EMPTY))));
        assertEquals(Map.of(Errors.KAFKA_STORAGE_ERROR, 1), answer(produce, 9).errorCounts());

        produce.setAcks((short) 0);
        RequestDispatcher.Outcome outcome = dispatch(produce, 9);
        RequestDispatcher.Outcome.NoReply none = assertInstanceOf(RequestDispatcher.Outcome.NoReply.class, outcome);
        assertTrue(none.closeAfter(), "as Kafka, the connection of an acks=0 producer whose produce failed is closed");
    }

    private AbstractResponse answer(ApiMessage request, int version) {
        RequestDispatcher.Outcome.Reply reply = assertInstanceOf(RequestDispatcher.Outcome.Reply.class,
                dispatch(request, version));
        ApiKeys key = ApiKeys.forId(request.apiKey());
        ByteBuffer frame = reply.bytes().duplicate();
        frame.getInt();
        ResponseHeader.parse(frame, key.responseHeaderVersion((short) version));
        return AbstractResponse.parseResponse(key, new ByteBufferAccessor(frame), (short) version);
    }

    private RequestDispatcher.Outcome dispatch(ApiMessage request, int version) {
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 50000);
        return dispatcher.dispatch(1, client, ClientSession.anonymous(client), frame(request, (short) version));
    }

    private static ByteBuffer frame(ApiMessage body, short version) {
        ApiKeys key = ApiKeys.forId(body.apiKey());
        short headerVersion = key.requestHeaderVersion(version);
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(key.id).setRequestApiVersion(version)
                .setCorrelationId(7).setClientId("test");
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(header.size(cache, headerVersion) + body.size(cache, version));
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        return buffer.flip();
    }
}
