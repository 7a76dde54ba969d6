package dev.pgkafka.adapter.kafka.api.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.adapter.kafka.api.ManualClock;
import dev.pgkafka.application.service.quota.QuotaSettings;
import dev.pgkafka.application.service.quota.ThrottlingService;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaKey;
import dev.pgkafka.domain.topic.Topic;

/**
 * {@code controller_mutation_rate} (KIP-599) at CreateTopics, DeleteTopics and CreatePartitions: one
 * partition per second with Kafka's default burst of 11. Current versions are strict: once the credits
 * are below zero, valid mutations answer THROTTLING_QUOTA_EXCEEDED with the time until they are back
 * (a topic's own error comes first); old versions do everything and throttle after.
 */
class MutationQuotaTest {
    private static final String THROTTLED = "The throttling quota has been exceeded.";

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final ThrottlingService throttling = new ThrottlingService(
            () -> ClientQuotas.of(Map.of(QuotaEntity.clientId("admin"), Map.of(QuotaKey.CONTROLLER_MUTATION_RATE, 1.0))),
            QuotaSettings.DEFAULTS, clock);
    private final Map<String, Topic> stored = new ConcurrentHashMap<>();
    private final Topics topics = new Topics();
    private final Admin admin = new Admin();
    private final ConfigsUseCase configs = (ConfigsUseCase) Proxy.newProxyInstance(ConfigsUseCase.class.getClassLoader(),
            new Class<?>[] {ConfigsUseCase.class}, (proxy, method, args) -> List.of());

    @Test
    void strictCreateTopicsRefusesOnceTheCreditsAreSpent() {
        CreateTopicsHandler handler = new CreateTopicsHandler(topics, configs, 1, AuthHelper.allowAll(), throttling);
        Response first = handler.handle(context(ApiKeys.CREATE_TOPICS, 7, "admin"),
                create(topic("a", 8), topic("b", 8), topic("c", 1), topic("bad!", 1)));
        List<String> answers = ((CreateTopicsResponseData) first.body()).topics().stream()
                .map(t -> t.name() + " " + Errors.forCode(t.errorCode())
                        + (t.errorCode() == 0 ? "" : " " + t.errorMessage())).toList();
        assertEquals(List.of("a NONE", "b NONE", "c THROTTLING_QUOTA_EXCEEDED " + THROTTLED,
                "bad! INVALID_TOPIC_EXCEPTION the name is bad"), answers, "11 credits: a and b go, c waits");
        assertEquals(5000, first.throttleMs(), "5 credits short at one per second");
        assertTrue(stored.containsKey("b") && !stored.containsKey("c"));

        clock.advance(5000);
        Response later = handler.handle(context(ApiKeys.CREATE_TOPICS, 7, "admin"), create(topic("c", 1)));
        assertEquals(Errors.NONE.code(), ((CreateTopicsResponseData) later.body()).topics().iterator().next().errorCode());
        assertEquals(0, later.throttleMs());

        Response other = handler.handle(context(ApiKeys.CREATE_TOPICS, 7, "someone-else"), create(topic("d", 100)));
        assertEquals(Errors.NONE.code(), ((CreateTopicsResponseData) other.body()).topics().iterator().next().errorCode(),
                "another client id has no quota");
    }

    @Test
    void oldCreateTopicsVersionsCreateEverythingAndThrottleAfter() {
        CreateTopicsHandler handler = new CreateTopicsHandler(topics, configs, 1, AuthHelper.allowAll(), throttling);
        Response response = handler.handle(context(ApiKeys.CREATE_TOPICS, 5, "admin"),
                create(topic("a", 8), topic("b", 8), topic("c", 1)));
        ((CreateTopicsResponseData) response.body()).topics()
                .forEach(t -> assertEquals(Errors.NONE.code(), t.errorCode(), t.name()));
        assertEquals(6000, response.throttleMs(), "6 credits short after all three");
    }

    @Test
    void strictDeleteTopicsCountsEachTopicsPartitions() {
        stored.put("big", new Topic(UUID.randomUUID(), "big", 12, Map.of()));
        stored.put("small", new Topic(UUID.randomUUID(), "small", 1, Map.of()));
        DeleteTopicsHandler handler = new DeleteTopicsHandler(admin, topics, AuthHelper.allowAll(), throttling);
        DeleteTopicsRequestData request = new DeleteTopicsRequestData().setTimeoutMs(1000);
        for (String name : List.of("big", "small", "missing")) {
            request.topics().add(new DeleteTopicsRequestData.DeleteTopicState().setName(name));
        }
        Response response = handler.handle(context(ApiKeys.DELETE_TOPICS, 6, "admin"), request);
        List<String> answers = ((DeleteTopicsResponseData) response.body()).responses().stream()
                .map(t -> t.name() + " " + Errors.forCode(t.errorCode())).toList();
        assertEquals(List.of("big NONE", "small THROTTLING_QUOTA_EXCEEDED", "missing UNKNOWN_TOPIC_OR_PARTITION"), answers);
        assertEquals(1000, response.throttleMs());
    }

    @Test
    void strictCreatePartitionsCountsThePartitionsAdded() {
        stored.put("t", new Topic(UUID.randomUUID(), "t", 2, Map.of()));
        stored.put("u", new Topic(UUID.randomUUID(), "u", 1, Map.of()));
        CreatePartitionsHandler handler = new CreatePartitionsHandler(admin, topics, AuthHelper.allowAll(), throttling);
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(1000);
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t").setCount(14));
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("u").setCount(2));
        request.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("u").setCount(0));
        Response response = handler.handle(context(ApiKeys.CREATE_PARTITIONS, 3, "admin"), request);
        List<String> answers = ((CreatePartitionsResponseData) response.body()).results().stream()
                .map(t -> t.name() + " " + Errors.forCode(t.errorCode())).toList();
        assertEquals(List.of("t NONE", "u INVALID_REQUEST"), answers, "u twice: refused as a duplicate");
        assertEquals(14, stored.get("t").partitionCount());

        CreatePartitionsRequestData again = new CreatePartitionsRequestData().setTimeoutMs(1000);
        again.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("u").setCount(2));
        again.topics().add(new CreatePartitionsRequestData.CreatePartitionsTopic().setName("t").setCount(3));
        Response refused = handler.handle(context(ApiKeys.CREATE_PARTITIONS, 3, "admin"), again);
        List<String> second = ((CreatePartitionsResponseData) refused.body()).results().stream()
                .map(t -> t.name() + " " + Errors.forCode(t.errorCode())).toList();
        assertEquals(List.of("u THROTTLING_QUOTA_EXCEEDED", "t INVALID_PARTITIONS"), second,
                "12 of 11 credits spent; a shrink is refused for what it is");
        assertEquals(1000, refused.throttleMs());
    }

    private static RequestContext context(ApiKeys key, int version, String clientId) {
        return new RequestContext(1, new InetSocketAddress("10.0.0.1", 5000), clientId, key, (short) version, 7);
    }

    private static CreateTopicsRequestData create(CreateTopicsRequestData.CreatableTopic... topics) {
        CreateTopicsRequestData request = new CreateTopicsRequestData().setTimeoutMs(1000);
        for (CreateTopicsRequestData.CreatableTopic t : topics) {
            request.topics().add(t);
        }
        return request;
    }

    private static CreateTopicsRequestData.CreatableTopic topic(String name, int partitions) {
        return new CreateTopicsRequestData.CreatableTopic().setName(name).setNumPartitions(partitions)
                .setReplicationFactor((short) 1);
    }

    private final class Topics implements TopicsUseCase {
        @Override
        public Optional<Topic> find(String name) {
            return Optional.ofNullable(stored.get(name));
        }

        @Override
        public Optional<Topic> find(UUID topicId) {
            return stored.values().stream().filter(t -> t.id().equals(topicId)).findFirst();
        }

        @Override
        public List<Topic> list() {
            return new ArrayList<>(stored.values());
        }

        @Override
        public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
            return find(name);
        }

        @Override
        public CreateTopicOutcome create(CreateTopicCommand command) {
            if (command.name().contains("!")) {
                return CreateTopicOutcome.failed(ErrorCode.INVALID_TOPIC_EXCEPTION, "the name is bad");
            }
            Topic topic = new Topic(UUID.randomUUID(), command.name(), command.partitions(), Map.of());
            if (!command.validateOnly()) {
                stored.put(topic.name(), topic);
            }
            return CreateTopicOutcome.created(topic);
        }

        @Override
        public List<TopicDescription> describeAll() {
            return List.of();
        }
    }

    private final class Admin implements TopicAdminUseCase {
        @Override
        public DeleteTopicResult deleteTopic(String name) {
            Topic topic = stored.remove(name);
            return topic == null ? DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "unknown")
                    : new DeleteTopicResult(topic, ErrorCode.NONE, null);
        }

        @Override
        public DeleteTopicResult deleteTopic(UUID topicId) {
            return topics.find(topicId).map(t -> deleteTopic(t.name()))
                    .orElse(DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_ID, "unknown"));
        }

        @Override
        public CreatePartitionsResult createPartitions(String name, int count, List<List<Integer>> assignments,
                                                       boolean validateOnly) {
            Topic topic = stored.get(name);
            if (topic == null) {
                return new CreatePartitionsResult(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "unknown");
            }
            if (count <= topic.partitionCount()) {
                return new CreatePartitionsResult(ErrorCode.INVALID_PARTITIONS, "no increase");
            }
            if (!validateOnly) {
                stored.put(name, new Topic(topic.id(), name, count, Map.of()));
            }
            return CreatePartitionsResult.OK;
        }
    }
}
