package dev.pgkafka.adapter.http;

import java.util.Optional;
import java.util.Set;

import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

/**
 * Transactional ids for operators: producer id and epoch, state (Kafka's names), timeout, when the
 * open transaction started and the partitions and groups it holds.
 */
final class TransactionsResource implements HttpService {
    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;

    TransactionsResource(TransactionsUseCase transactions, TopicsUseCase topics) {
        this.transactions = transactions;
        this.topics = topics;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{transactionalId}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        transactions.list(Set.of(), Set.of(), -1, null).forEach(m -> array.add(toJson(m)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("transactionalId");
        Optional<TransactionMetadata> found = transactions.describe(id);
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "TRANSACTIONAL_ID_NOT_FOUND",
                    "Transactional id '" + id + "' does not exist");
            return;
        }
        res.send(toJson(found.get()));
    }

    private JsonObject toJson(TransactionMetadata m) {
        JsonArrayBuilder partitions = JsonResponses.JSON.createArrayBuilder();
        for (TopicIdPartition tp : m.partitions()) {
            Optional<Topic> topic = topics.find(tp.topicId());
            partitions.add(JsonResponses.JSON.createObjectBuilder()
                    .add("topic", topic.map(Topic::name).orElse(tp.topicId().toString()))
                    .add("partition", tp.partition()));
        }
        JsonArrayBuilder groups = JsonResponses.JSON.createArrayBuilder();
        m.groups().forEach(groups::add);
        return JsonResponses.JSON.createObjectBuilder()
                .add("transactionalId", m.transactionalId())
                .add("producerId", m.producerId())
                .add("producerEpoch", m.producerEpoch())
                .add("state", m.state().kafkaName())
                .add("timeoutMs", m.timeoutMs())
                .add("startTimestamp", m.startTimestamp())
                .add("lastUpdateTimestamp", m.lastUpdateTimestamp())
                .add("partitions", partitions)
                .add("groups", groups)
                .build();
    }
}
