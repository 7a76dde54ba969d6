package dev.pgkafka.adapter.http;

import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase.TopicDescription;
import dev.pgkafka.domain.log.PartitionHead;
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

/** Topics with their config overrides and each partition's log start, high watermark and last stable offset. */
final class TopicsResource implements HttpService {
    private final TopicsUseCase topics;

    TopicsResource(TopicsUseCase topics) {
        this.topics = topics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{name}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        topics.describeAll().forEach(d -> array.add(toJson(d)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String name = req.path().pathParameters().get("name");
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
