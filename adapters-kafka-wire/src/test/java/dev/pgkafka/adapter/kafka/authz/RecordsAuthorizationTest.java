package dev.pgkafka.adapter.kafka.authz;

import static dev.pgkafka.adapter.kafka.authz.Contexts.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.api.fetch.FetchHandler;
import dev.pgkafka.adapter.kafka.api.offsets.ListOffsetsHandler;
import dev.pgkafka.adapter.kafka.api.produce.ProduceHandler;
import dev.pgkafka.adapter.kafka.api.records.DeleteRecordsHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.DeleteRecordsUseCase;
import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.ListOffsetsUseCase;
import dev.pgkafka.application.port.in.ProduceUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/** Produce, Fetch, ListOffsets and DeleteRecords with ACLs, against what Kafka 4.3.1 answers. */
class RecordsAuthorizationTest {
    final ScriptedAuthorizer acls = new ScriptedAuthorizer()
            .allow("alice", AclOperation.WRITE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.READ, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DESCRIBE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.DELETE, ResourceType.TOPIC, "known")
            .allow("alice", AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, "tx1");
    final AuthHelper auth = new AuthHelper(acls);
    final Fakes.Topics topics = new Fakes.Topics();
    final Topic known = topics.add("known", 1);
    final Topic secret = topics.add("secret", 1);
    final List<ProduceUseCase.ProduceCommand> produced = new ArrayList<>();
    final ProduceUseCase produce = command -> {
        produced.add(command);
        List<ProduceUseCase.PartitionResult> results = new ArrayList<>();
        for (ProduceUseCase.PartitionBatch b : command.batches()) {
            results.add(new ProduceUseCase.PartitionResult(b.topic(), b.partition(), ErrorCode.NONE, null, 0, -1, 0));
        }
        return new ProduceUseCase.ProduceResult(results);
    };
    final ProduceHandler produceHandler = new ProduceHandler(produce, topics, auth);

    private static ProduceRequestData.TopicProduceData topic(String name, Uuid id, MemoryRecords records) {
        return new ProduceRequestData.TopicProduceData().setName(name).setTopicId(id == null ? Uuid.ZERO_UUID : id)
                .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records)));
    }

    private static MemoryRecords plain() {
        return MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("v".getBytes()));
    }

    private static MemoryRecords transactional() {
        return MemoryRecords.withTransactionalRecords(Compression.NONE, 5L, (short) 0, 0, new SimpleRecord("v".getBytes()));
    }

    @Test
    void produceNeedsWriteOnEachTopicAndRefusesOnlyThosePartitions() {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        request.topicData().add(topic("known", null, plain()));
        request.topicData().add(topic("secret", null, plain()));
        request.topicData().add(topic("nope", null, plain()));
        ProduceResponseData response = call(produceHandler, "alice", 12, request);
        assertEquals(Errors.NONE.code(), response.responses().find("known", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode());
        for (String refused : List.of("secret", "nope")) {
            ProduceResponseData.PartitionProduceResponse p = response.responses().find(refused, Uuid.ZERO_UUID)
                    .partitionResponses().get(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), p.errorCode(), refused);
            assertNull(p.errorMessage(), "Kafka sends no message");
            assertEquals(-1, p.baseOffset());
            assertEquals(-1, p.logStartOffset());
        }
        assertEquals(1, produced.getFirst().batches().size(), "only the allowed batch is appended");
    }

    @Test
    void produceByTopicIdTellsUnknownIdsButRefusesUnwritableTopics() {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        request.topicData().add(topic("", Uuids.toKafka(known.id()), plain()));
        request.topicData().add(topic("", Uuids.toKafka(secret.id()), plain()));
        Uuid unknown = Uuid.randomUuid();
        request.topicData().add(topic("", unknown, plain()));
        ProduceResponseData response = call(produceHandler, "alice", 13, request);
        assertEquals(Errors.NONE.code(), response.responses().find("", Uuids.toKafka(known.id())).partitionResponses().get(0).errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(),
                response.responses().find("", Uuids.toKafka(secret.id())).partitionResponses().get(0).errorCode());
        assertEquals(Errors.UNKNOWN_TOPIC_ID.code(), response.responses().find("", unknown).partitionResponses().get(0).errorCode());
    }

    @Test
    void transactionalRecordsNeedWriteOnTheTransactionalIdForTheWholeRequest() {
        for (String id : new String[] {"tx-no", null}) {
            ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000)
                    .setTransactionalId(id);
            request.topicData().add(topic("known", null, transactional()));
            ProduceResponseData response = call(produceHandler, "alice", 12, request);
            ProduceResponseData.PartitionProduceResponse p = response.responses().find("known", Uuid.ZERO_UUID)
                    .partitionResponses().get(0);
            assertEquals(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code(), p.errorCode(), "transactional id " + id);
            assertNull(p.errorMessage());
        }
        assertTrue(produced.isEmpty());

        ProduceRequestData allowed = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000).setTransactionalId("tx1");
        allowed.topicData().add(topic("known", null, transactional()));
        ProduceResponseData ok = call(produceHandler, "alice", 12, allowed);
        assertEquals(Errors.NONE.code(), ok.responses().find("known", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode());

        // idempotent records under a transactional id the client may not write: Kafka checks nothing more
        ProduceRequestData idempotent = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000).setTransactionalId("tx-no");
        idempotent.topicData().add(topic("known", null,
                MemoryRecords.withIdempotentRecords(Compression.NONE, 7L, (short) 0, 0, new SimpleRecord("v".getBytes()))));
        ProduceResponseData alsoOk = call(produceHandler, "alice", 12, idempotent);
        assertEquals(Errors.NONE.code(), alsoOk.responses().find("known", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode());
    }

    @Test
    void pipelinedProduceRequestsAreEachAuthorized() {
        ProduceRequestData first = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        first.topicData().add(topic("known", null, plain()));
        ProduceRequestData second = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(1000);
        second.topicData().add(topic("secret", null, plain()));
        RequestContext context = Contexts.as("alice", ApiKeys.PRODUCE, 12);
        List<Response> responses = produceHandler.handleTogether(List.of(context, context), List.of(first, second));
        assertEquals(Errors.NONE.code(), ((ProduceResponseData) responses.get(0).body()).responses()
                .find("known", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode());
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), ((ProduceResponseData) responses.get(1).body()).responses()
                .find("secret", Uuid.ZERO_UUID).partitionResponses().get(0).errorCode());
        assertEquals(1, produced.size(), "one storage transaction");
        assertEquals(1, produced.getFirst().batches().size());
    }

    @Test
    void anAcksZeroProducerThatIsRefusedLosesItsConnection() {
        ProduceRequestData request = new ProduceRequestData().setAcks((short) 0).setTimeoutMs(1000);
        request.topicData().add(topic("secret", null, plain()));
        Response response = produceHandler.handle(Contexts.as("alice", ApiKeys.PRODUCE, 12), request);
        assertNull(response.body());
        assertTrue(response.closeAfter());
    }

    final List<FetchUseCase.FetchCommand> fetches = new ArrayList<>();
    final FetchUseCase fetch = command -> {
        fetches.add(command);
        List<FetchUseCase.PartitionData> out = new ArrayList<>();
        for (FetchUseCase.PartitionFetch pf : command.partitions()) {
            out.add(new FetchUseCase.PartitionData(pf.topic(), pf.partition(), ErrorCode.NONE, PartitionHead.of(0, 0),
                    List.of(), List.of()));
        }
        return new FetchUseCase.FetchResult(out);
    };

    private static FetchRequestData fetchRequest(int replicaId) {
        return new FetchRequestData().setReplicaId(replicaId).setMaxWaitMs(0).setMinBytes(0).setMaxBytes(1000)
                .setSessionEpoch(-1);
    }

    private static FetchRequestData.FetchTopic fetchTopic(String name, Uuid id) {
        return new FetchRequestData.FetchTopic().setTopic(name).setTopicId(id).setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(0).setPartitionMaxBytes(1000)));
    }

    @Test
    void fetchNeedsReadOnEachTopicByNameAndById() {
        FetchHandler handler = new FetchHandler(fetch, topics, auth);
        FetchRequestData byName = fetchRequest(-1);
        for (String n : List.of("known", "secret", "nope")) {
            byName.topics().add(fetchTopic(n, Uuid.ZERO_UUID));
        }
        FetchResponseData named = call(handler, "alice", 12, byName);
        assertEquals(List.of((short) 0, Errors.TOPIC_AUTHORIZATION_FAILED.code(), Errors.TOPIC_AUTHORIZATION_FAILED.code()),
                named.responses().stream().map(t -> t.partitions().get(0).errorCode()).toList());
        assertEquals(1, fetches.getFirst().partitions().size());

        FetchRequestData byId = fetchRequest(-1);
        Uuid unknown = Uuid.randomUuid();
        byId.topics().add(fetchTopic("", Uuids.toKafka(known.id())));
        byId.topics().add(fetchTopic("", Uuids.toKafka(secret.id())));
        byId.topics().add(fetchTopic("", unknown));
        FetchResponseData ids = call(handler, "alice", 17, byId);
        assertEquals(List.of((short) 0, Errors.TOPIC_AUTHORIZATION_FAILED.code(), Errors.UNKNOWN_TOPIC_ID.code()),
                ids.responses().stream().map(t -> t.partitions().get(0).errorCode()).toList());
    }

    @Test
    void aReplicaFetchNeedsClusterActionInsteadOfRead() {
        FetchHandler handler = new FetchHandler(fetch, topics, auth);
        FetchRequestData fromReplica = fetchRequest(5);
        fromReplica.topics().add(fetchTopic("known", Uuid.ZERO_UUID));
        FetchResponseData refused = call(handler, "alice", 12, fromReplica);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.responses().get(0).partitions().get(0).errorCode());
        assertTrue(acls.wasAsked(AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME));

        acls.allowCluster("broker", AclOperation.CLUSTER_ACTION);
        FetchRequestData v15 = fetchRequest(-1);
        v15.replicaState().setReplicaId(5);
        v15.topics().add(fetchTopic("", Uuids.toKafka(secret.id())));
        FetchResponseData allowed = call(handler, "broker", 15, v15);
        assertEquals(Errors.NONE.code(), allowed.responses().get(0).partitions().get(0).errorCode(),
                "CLUSTER_ACTION is all a replica needs");
    }

    @Test
    void listOffsetsNeedsDescribeAndAnswersRefusedTopicsLast() {
        ListOffsetsUseCase lookups = (topic, partition, spec, isolation) -> new ListOffsetsUseCase.OffsetLookup(ErrorCode.NONE, 3, -1);
        ListOffsetsHandler handler = new ListOffsetsHandler(lookups, topics, auth);
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1);
        for (String n : List.of("secret", "known", "nope")) {
            request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName(n).setPartitions(List.of(
                    new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0).setTimestamp(-1))));
        }
        ListOffsetsResponseData response = call(handler, "alice", 9, request);
        assertEquals(List.of("known", "secret", "nope"), response.topics().stream().map(t -> t.name()).toList());
        ListOffsetsResponseData.ListOffsetsPartitionResponse refused = response.topics().get(1).partitions().get(0);
        assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), refused.errorCode());
        assertEquals(-1, refused.offset());
        assertEquals(-1, refused.timestamp());
        assertEquals(-1, refused.leaderEpoch());
        assertEquals(3, response.topics().get(0).partitions().get(0).offset());
    }

    @Test
    void deleteRecordsNeedsDeleteOnEachTopic() {
        List<String> deleted = new ArrayList<>();
        DeleteRecordsUseCase use = (topic, partition, before) -> {
            deleted.add(topic.name());
            return new DeleteRecordsUseCase.DeleteRecordsResult(ErrorCode.NONE, before);
        };
        DeleteRecordsHandler handler = new DeleteRecordsHandler(use, topics, auth);
        DeleteRecordsRequestData request = new DeleteRecordsRequestData().setTimeoutMs(1000);
        for (String n : List.of("known", "secret", "nope")) {
            request.topics().add(new DeleteRecordsRequestData.DeleteRecordsTopic().setName(n).setPartitions(List.of(
                    new DeleteRecordsRequestData.DeleteRecordsPartition().setPartitionIndex(0).setOffset(0))));
        }
        DeleteRecordsResponseData response = call(handler, "alice", 2, request);
        assertEquals(Errors.NONE.code(), response.topics().find("known").partitions().find(0).errorCode());
        for (String refused : List.of("secret", "nope")) {
            DeleteRecordsResponseData.DeleteRecordsPartitionResult p = response.topics().find(refused).partitions().find(0);
            assertEquals(Errors.TOPIC_AUTHORIZATION_FAILED.code(), p.errorCode(), refused);
            assertEquals(-1, p.lowWatermark());
        }
        assertEquals(List.of("known"), deleted);
    }
}
