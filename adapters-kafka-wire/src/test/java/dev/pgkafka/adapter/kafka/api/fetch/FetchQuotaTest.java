package dev.pgkafka.adapter.kafka.api.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.FetchUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.adapter.kafka.api.ManualClock;
import dev.pgkafka.application.service.quota.QuotaSettings;
import dev.pgkafka.application.service.quota.ThrottlingService;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaClient;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;
import dev.pgkafka.domain.topic.Topic;

/**
 * A consumer's {@code consumer_byte_rate} at the Fetch handler: a fetch reads at most the windows'
 * allowance, an answer that goes over carries the throttle time, and a consumer still over its quota
 * gets Kafka's empty answer without a read, with its incremental session moved on so it can continue.
 */
class FetchQuotaTest {
    private static final double RATE = 10; // bytes per second: a few answers are enough to go over

    private final Topic topic = new Topic(UUID.randomUUID(), "t", 2, Map.of());
    private final List<FetchUseCase.FetchCommand> commands = new ArrayList<>();
    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final AtomicReference<ClientQuotas> quotas = new AtomicReference<>(quota(RATE));
    private final ThrottlingService throttling = new ThrottlingService(quotas::get, QuotaSettings.DEFAULTS, clock);
    /** The high watermark every partition reports; -1: a new one at every read. */
    private final AtomicLong highWatermark = new AtomicLong(-1);

    private final FetchUseCase fetch = command -> {
        commands.add(command);
        List<FetchUseCase.PartitionData> out = new ArrayList<>();
        for (FetchUseCase.PartitionFetch pf : command.partitions()) {
            long hw = highWatermark.get() < 0 ? commands.size() : highWatermark.get();
            out.add(new FetchUseCase.PartitionData(pf.topic(), pf.partition(), ErrorCode.NONE,
                    PartitionHead.of(0, hw), List.of(), List.of()));
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

    private final FetchHandler handler = new FetchHandler(fetch, topics, AuthHelper.allowAll(), throttling);

    @Test
    void aFetchReadsAtMostTheQuotaWindowsAllowance() {
        call("consumer", request(0, 0, 1 << 20, 1 << 20, 0, 1));
        assertEquals(100, commands.getLast().maxBytes(), "(11 - 1) windows of 10 B/s");
        assertEquals(100, commands.getLast().minBytes());
        call("other", request(0, 0, 1 << 20, 1, 0, 1));
        assertEquals(1 << 20, commands.getLast().maxBytes(), "a client without a quota is not capped");
    }

    @Test
    void anAnswerThatWouldGoOverTheQuotaIsWithheldAndTheNextOnesAreNotEvenRead() {
        int session = ((FetchResponseData) call("consumer", request(0, 0, 1 << 20, 1, 0, 1)).body()).sessionId();
        assertNotEquals(0, session);
        int epoch = 1;
        Response answer;
        do { // each answer's bytes count until one would go over 10 B/s
            answer = call("consumer", request(session, epoch++, 1 << 20, 1));
            assertEquals(Errors.NONE.code(), ((FetchResponseData) answer.body()).errorCode());
        } while (answer.throttleMs() == 0);
        FetchResponseData withheld = (FetchResponseData) answer.body();
        assertEquals(answer.throttleMs(), withheld.throttleTimeMs());
        assertEquals(0, withheld.responses().size(), "read, but not sent: no partitions");
        assertEquals(session, withheld.sessionId(), "the session goes on");
        int reads = commands.size();

        // another connection of the same client id takes the bucket over its quota
        throttling.recordFetch(new QuotaClient("ANONYMOUS", "consumer"), 1000);
        Response stillOver = call("consumer", request(session, epoch++, 1 << 20, 1));
        assertTrue(stillOver.throttleMs() > 0);
        assertEquals(0, ((FetchResponseData) stillOver.body()).responses().size());
        assertEquals(reads, commands.size(), "over the quota already: not even read");

        FetchResponseData fullWhileThrottled = (FetchResponseData) call("consumer", request(0, 0, 1 << 20, 1, 0)).body();
        assertEquals(0, fullWhileThrottled.sessionId(), "no new session while throttled");
        assertEquals(1, handler.sessionCount());

        clock.advance(120_000);
        Response after = call("consumer", request(session, epoch, 1 << 20, 1));
        assertEquals(Errors.NONE.code(), ((FetchResponseData) after.body()).errorCode(),
                "the next epoch is the one the client expects");
        assertEquals(reads + 1, commands.size(), "read again once the throttle has passed");
    }

    @Test
    void whatAWithheldAnswerWouldHaveToldIsToldLater() {
        quotas.set(ClientQuotas.EMPTY);
        highWatermark.set(0);
        int session = ((FetchResponseData) call("consumer", request(0, 0, 1 << 20, 1, 0, 1)).body()).sessionId();
        assertEquals(0, partitions(call("consumer", request(session, 1, 1 << 20, 1))), "nothing new");

        quotas.set(quota(1)); // one byte per second: any answer goes over
        highWatermark.set(5);
        Response withheld = call("consumer", request(session, 2, 1 << 20, 1));
        assertTrue(withheld.throttleMs() > 0);
        assertEquals(0, partitions(withheld));

        quotas.set(ClientQuotas.EMPTY);
        Response later = call("consumer", request(session, 3, 1 << 20, 1));
        assertEquals(2, partitions(later), "the new high watermark was never told, so it is told now");

        quotas.set(quota(1));
        FetchResponseData full = (FetchResponseData) call("consumer", request(0, 0, 1 << 20, 1, 0, 1)).body();
        assertEquals(0, full.sessionId(), "a withheld full fetch opens no session");
        assertEquals(0, full.responses().size());
        assertEquals(1, handler.sessionCount(), "only the first session");
    }

    private static int partitions(Response response) {
        return ((FetchResponseData) response.body()).responses().stream().mapToInt(t -> t.partitions().size()).sum();
    }

    private static ClientQuotas quota(double bytesPerSecond) {
        return ClientQuotas.of(Map.of(QuotaEntity.clientId("consumer"), Map.of(QuotaKey.CONSUMER_BYTE_RATE, bytesPerSecond)));
    }

    @Test
    void replicasAreNotConsumers() {
        for (int i = 0; i < 20; i++) {
            FetchRequestData request = request(0, -1, 1 << 20, 1, 0, 1);
            request.setReplicaId(1);
            assertEquals(0, call("consumer", request).throttleMs());
        }
        assertEquals(1 << 20, commands.getLast().maxBytes());
    }

    private Response call(String clientId, FetchRequestData request) {
        RequestContext context = new RequestContext(1, new InetSocketAddress(0), clientId, ApiKeys.FETCH, (short) 12, 1);
        return handler.handle(context, request);
    }

    private static FetchRequestData request(int sessionId, int epoch, int maxBytes, int minBytes, int... partitions) {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(minBytes).setMaxBytes(maxBytes)
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
}
