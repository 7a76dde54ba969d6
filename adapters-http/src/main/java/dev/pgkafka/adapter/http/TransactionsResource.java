package dev.pgkafka.adapter.http;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.security.acl.ResourceType;
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
 *
 * <p>As Kafka's ListTransactions and DescribeTransactions: only transactional ids the principal may
 * DESCRIBE (a named one it may not is 403 TRANSACTIONAL_ID_AUTHORIZATION_FAILED, whether it exists or
 * not), and inside one only the partitions of topics it may DESCRIBE (and the groups it may).
 */
final class TransactionsResource implements HttpService {
    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;
    private final AuthorizationUseCase authorization;

    TransactionsResource(TransactionsUseCase transactions, TopicsUseCase topics, AuthorizationUseCase authorization) {
        this.transactions = transactions;
        this.topics = topics;
        this.authorization = authorization;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/{transactionalId}", this::describe);
    }

    private void list(ServerRequest req, ServerResponse res) {
        Visibility visibility = Visibility.of(req, authorization);
        JsonArrayBuilder array = JsonResponses.JSON.createArrayBuilder();
        visibility.describable(ResourceType.TRANSACTIONAL_ID, transactions.list(Set.of(), Set.of(), -1, null),
                TransactionMetadata::transactionalId).forEach(m -> array.add(toJson(m, visibility)));
        res.send(array.build());
    }

    private void describe(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("transactionalId");
        Visibility visibility = Visibility.of(req, authorization);
        // asked before looking the id up, so the answer is the same for ids that do not exist
        if (!visibility.mayDescribe(ResourceType.TRANSACTIONAL_ID, id)) {
            JsonResponses.send(res, Status.FORBIDDEN_403, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED",
                    "Not authorized to access transactional id: " + id);
            return;
        }
        Optional<TransactionMetadata> found = transactions.describe(id);
        if (found.isEmpty()) {
            JsonResponses.send(res, Status.NOT_FOUND_404, "TRANSACTIONAL_ID_NOT_FOUND",
                    "Transactional id '" + id + "' does not exist");
            return;
        }
        res.send(toJson(found.get(), visibility));
    }

    private JsonObject toJson(TransactionMetadata m, Visibility visibility) {
        JsonArrayBuilder partitions = JsonResponses.JSON.createArrayBuilder();
        for (TopicIdPartition tp : m.partitions()) {
            // a topic deleted meanwhile shows its id, and is decided under that name
            String topic = topics.find(tp.topicId()).map(Topic::name).orElse(tp.topicId().toString());
            if (visibility.mayDescribeTopic(topic)) {
                partitions.add(JsonResponses.JSON.createObjectBuilder()
                        .add("topic", topic)
                        .add("partition", tp.partition()));
            }
        }
        JsonArrayBuilder groups = JsonResponses.JSON.createArrayBuilder();
        visibility.describable(ResourceType.GROUP, List.copyOf(m.groups()), g -> g).forEach(groups::add);
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
