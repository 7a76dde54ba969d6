package dev.pgkafka.adapter.http;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.TopicDescription;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIds;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * Topics with their config overrides and each partition's log start, high watermark and last stable
 * offset: those the principal may DESCRIBE. A named topic it may not describe is 403
 * TOPIC_AUTHORIZATION_FAILED whether it exists or not, as Kafka's Metadata answers, so that
 * existence does not leak; only an allowed principal learns that a topic is unknown (404).
 */
final class TopicsResource implements HttpService {
    private final TopicsUseCase topics;
    private final AuthorizationUseCase authorization;

    TopicsResource(TopicsUseCase topics, AuthorizationUseCase authorization) {
        this.topics = topics;
        this.authorization = authorization;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{name}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        Visibility.of(req, authorization).describable(ResourceType.TOPIC, topics.describeAll(), d -> d.topic().name())
                .forEach(d -> array.add(toJson(d)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
        // asked before looking the topic up, so the answer is the same for topics that do not exist
        if (!Visibility.of(req, authorization).mayDescribe(ResourceType.TOPIC, name)) {
            JsonResponses.send(res, Status.FORBIDDEN_403, "TOPIC_AUTHORIZATION_FAILED",
                    "Not authorized to access topics: [" + name + "]");
            return;
        }
        // find first: an unknown name must not cost a read of every partition head
        Optional<TopicDescription> found = topics.find(name).isEmpty() ? Optional.empty()
                : topics.describeAll().stream().filter(d -> d.topic().name().equals(name)).findFirst();
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "UNKNOWN_TOPIC", "Topic '" + name + "' does not exist");
            return;
        }
        res.send(toJson(found.get()));
    }

    static JsonObject toJson(TopicDescription description) {
        Topic topic = description.topic();
        JsonObjectBuilder configs = JsonResponses.JSON.createObjectBuilder();
        // sorted, so the answer is stable across calls
        new TreeMap<>(topic.configs()).forEach(configs::add);
        return JsonResponses.JSON.createObjectBuilder()
                .add("name", topic.name())
                .add("topicId", TopicIds.base64(topic.id()))
                .add("partitionCount", topic.partitionCount())
                .add("internal", topic.isInternal())
                .add("configs", configs)
                .add("partitions", partitions(description.partitions()))
                .build();
    }

    private static JsonArrayBuilder partitions(List<PartitionHead> heads) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        for (int p = 0; p < heads.size(); p++) {
            PartitionHead head = heads.get(p);
            array.add(JsonResponses.JSON.createObjectBuilder()
                    .add("partition", p)
                    .add("logStartOffset", head.logStartOffset())
                    .add("highWatermark", head.highWatermark())
                    .add("lastStableOffset", head.lastStableOffset()));
        }
        return array;
    }
}
