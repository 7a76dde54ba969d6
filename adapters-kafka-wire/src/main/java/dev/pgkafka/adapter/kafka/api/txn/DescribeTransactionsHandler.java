package dev.pgkafka.adapter.kafka.api.txn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;

/**
 * DescribeTransactions: state, producer, timeout, start time and partitions of each transactional id.
 * As Kafka: each id needs DESCRIBE (TRANSACTIONAL_ID_AUTHORIZATION_FAILED otherwise), and only the
 * partitions of topics the client may DESCRIBE are shown.
 */
public final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public DescribeTransactionsHandler(TransactionsUseCase transactions, TopicsUseCase topics, AuthHelper auth) {
        this.transactions = transactions;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeTransactionsRequestData request = (DescribeTransactionsRequestData) message;
        DescribeTransactionsResponseData response = new DescribeTransactionsResponseData().setThrottleTimeMs(0);
        for (String id : request.transactionalIds()) {
            DescribeTransactionsResponseData.TransactionState state = new DescribeTransactionsResponseData.TransactionState()
                    .setTransactionalId(id);
            if (!auth.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                response.transactionStates().add(state.setErrorCode(ErrorCodes.code(
                        ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)));
                continue;
            }
            Optional<TransactionMetadata> found = transactions.describe(id);
            if (found.isEmpty()) {
                state.setErrorCode(ErrorCodes.code(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND))
                        .setTransactionState("").setProducerId(-1).setProducerEpoch((short) -1).setTransactionStartTimeMs(-1);
            } else {
                TransactionMetadata m = found.get();
                state.setErrorCode((short) 0)
                        .setTransactionState(m.state().kafkaName())
                        .setTransactionTimeoutMs(m.timeoutMs())
                        .setTransactionStartTimeMs(m.startTimestamp())
                        .setProducerId(m.producerId())
                        .setProducerEpoch(m.producerEpoch());
                Map<String, TopicData> byTopic = new LinkedHashMap<>();
                for (TopicIdPartition tp : m.partitions()) {
                    Optional<Topic> topic = topics.find(tp.topicId());
                    if (topic.isPresent()) {
                        byTopic.computeIfAbsent(topic.get().name(), n -> new TopicData().setTopic(n))
                                .partitions().add(tp.partition());
                    }
                }
                // the client did not name these topics: hiding one is no denial worth logging
                Set<String> visible = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC,
                        byTopic.keySet(), true, false);
                byTopic.forEach((name, data) -> {
                    if (visible.contains(name)) {
                        state.topics().add(data);
                    }
                });
            }
            response.transactionStates().add(state);
        }
        return Response.of(response);
    }
}
