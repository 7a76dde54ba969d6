package dev.pgkafka.adapter.kafka.api.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;

/** Incremental fetch sessions (KIP-227) as the Java consumer drives them. */
class FetchSessionsTest {
    private final Topic topic = new Topic(UUID.randomUUID(), "t", 3, Map.of());
    private final Map<Integer, Long> highWatermarks = new HashMap<>(Map.of(0, 0L, 1, 0L, 2, 0L));
    private final List<FetchUseCase.FetchCommand> commands = new ArrayList<>();
    private boolean storageDown;

    private final FetchUseCase fetch = command -> {
        commands.add(command);
        if (storageDown) {
            throw new StorageUnavailableException(StorageUnavailableException.Reason.UNREACHABLE, "read failed", null);
        }
        List<FetchUseCase.PartitionData> out = new ArrayList<>();
        for (FetchUseCase.PartitionFetch pf : command.partitions()) {
            long hw = highWatermarks.get(pf.partition());
            out.add(new FetchUseCase.PartitionData(pf.topic(), pf.partition(), ErrorCode.NONE, PartitionHead.of(0, hw),
                    List.of(), List.of()));
        }
        return new FetchUseCase.FetchResult(out);
    };

    private final TopicsUseCase topics = new TopicsUseCase() {
        @Override
        public Optional<Topic> find(String name) {
            return name.equals(topic.name()) ? Optional.of(topic) : Optional.empty();
        }

        @Override
        public Optional<Topic> find(UUID topicId) {
            return topicId.equals(topic.id()) ? Optional.of(topic) : Optional.empty();
        }

        @Override
        public List<Topic> list() {
            return List.of(topic);
        }

        @Override
        public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
            return find(name);
        }

        @Override
        public CreateTopicOutcome create(CreateTopicCommand command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TopicDescription> describeAll() {
            return List.of();
        }
    };

    private final FetchHandler handler = new FetchHandler(fetch, topics, dev.pgkafka.adapter.kafka.security.AuthHelper.allowAll());

    @Test
    void aSessionAnswersOnlyPartitionsThatChanged() {
        FetchResponseData first = fetch(request(0, 0, 0, 1, 2));
        int session = first.sessionId();
        assertNotEquals(0, session, "epoch 0 opens a session");
        assertEquals(3, partitionCount(first), "a full fetch answers every partition");

        FetchResponseData nothingNew = fetchOk(request(session, 1));
        assertEquals(0, partitionCount(nothingNew), "nothing changed, nothing to say");
        assertEquals(3, commands.getLast().partitions().size(), "but every session partition was read");

        highWatermarks.put(1, 5L);
        FetchResponseData changed = fetchOk(request(session, 2));
        assertEquals(1, partitionCount(changed));
        assertEquals(1, changed.responses().get(0).partitions().get(0).partitionIndex());
        assertEquals(5, changed.responses().get(0).partitions().get(0).highWatermark());
    }

    @Test
    void aStorageOutageIsAnErrorOnEachPartitionAndTheSessionLivesOn() {
        int session = fetch(request(0, 0, 0, 1, 2)).sessionId();
        storageDown = true;
        FetchResponseData failed = fetchOk(request(session, 1));
        assertEquals(3, partitionCount(failed), "each partition says so: the consumer refreshes metadata and fetches again");
        failed.responses().forEach(t -> t.partitions().forEach(p ->
                assertEquals(Errors.KAFKA_STORAGE_ERROR.code(), p.errorCode())));
        storageDown = false;
        highWatermarks.put(2, 3L);
        FetchResponseData back = fetchOk(request(session, 2));
        assertEquals(Errors.NONE.code(), back.errorCode(), "the session survived the outage");
        assertTrue(partitionCount(back) >= 1);
    }

    @Test
    void forgottenPartitionsLeaveTheSession() {
        int session = fetch(request(0, 0, 0, 1, 2)).sessionId();
        FetchRequestData forget = request(session, 1);
        forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("t").setPartitions(List.of(0, 2)));
        fetchOk(forget);
        assertEquals(1, commands.getLast().partitions().size());
        assertEquals(1, commands.getLast().partitions().get(0).partition());
    }

    @Test
    void aWrongEpochOrUnknownSessionIsAnError() {
        int session = fetch(request(0, 0, 0)).sessionId();
        assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH.code(), fetch(request(session, 7)).errorCode());
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), fetch(request(session + 1, 1)).errorCode());
        assertEquals(Errors.NONE.code(), fetch(request(session, 1)).errorCode(), "the right epoch still works");
    }

    @Test
    void epochMinusOneIsASessionlessFullFetchAndClosesTheSession() {
        int session = fetch(request(0, 0, 0, 1)).sessionId();
        FetchResponseData full = fetch(request(session, -1, 0, 1));
        assertEquals(0, full.sessionId());
        assertEquals(2, partitionCount(full));
        assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND.code(), fetch(request(session, 1)).errorCode());
        assertEquals(0, handler.sessionCount());
    }

    @Test
    void unknownTopicsAnswerAtOnceWithAnError() {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(500).setMinBytes(1).setMaxBytes(1 << 20)
                .setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic("missing");
        t.partitions().add(new FetchRequestData.FetchPartition().setPartition(0).setPartitionMaxBytes(1024));
        request.topics().add(t);
        FetchResponseData response = fetch(request);
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(),
                response.responses().get(0).partitions().get(0).errorCode());
        assertTrue(commands.isEmpty(), "nothing to read");
    }

    private FetchResponseData fetch(FetchRequestData request) {
        RequestContext context = new RequestContext(1, new InetSocketAddress(0), "test", ApiKeys.FETCH, (short) 12, 1);
        return (FetchResponseData) handler.handle(context, request).body();
    }

    private FetchResponseData fetchOk(FetchRequestData request) {
        FetchResponseData response = fetch(request);
        assertEquals(Errors.NONE.code(), response.errorCode(), "top-level error");
        return response;
    }

    private static FetchRequestData request(int sessionId, int epoch, int... partitions) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
                .setSessionId(sessionId).setSessionEpoch(epoch);
        if (partitions.length > 0) {
            FetchRequestData.FetchTopic t = new FetchRequestData.FetchTopic().setTopic("t");
            for (int p : partitions) {
                t.partitions().add(new FetchRequestData.FetchPartition().setPartition(p).setFetchOffset(0)
                        .setPartitionMaxBytes(1024));
            }
            request.topics().add(t);
        }
        return request;
    }

    private static int partitionCount(FetchResponseData response) {
        return response.responses().stream().mapToInt(t -> t.partitions().size()).sum();
    }
}
