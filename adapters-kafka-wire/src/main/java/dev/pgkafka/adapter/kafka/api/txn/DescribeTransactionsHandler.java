package dev.pgkafka.adapter.kafka.api.txn;

import java.util.Optional;

import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData.TopicData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;

/** DescribeTransactions: state, producer, timeout, start time and partitions of each transactional id. */
public final class DescribeTransactionsHandler implements ApiHandler {
    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;

    public DescribeTransactionsHandler(TransactionsUseCase transactions, TopicsUseCase topics) {
        this.transactions = transactions;
        this.topics = topics;
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
                for (TopicIdPartition tp : m.partitions()) {
                    Optional<Topic> topic = topics.find(tp.topicId());
                    if (topic.isEmpty()) {
                        continue;
                    }
                    TopicData data = state.topics().find(topic.get().name());
                    if (data == null) {
                        data = new TopicData().setTopic(topic.get().name());
                        state.topics().add(data);
                    }
                    data.partitions().add(tp.partition());
                }
            }
            response.transactionStates().add(state);
        }
        return Response.of(response);
    }
}
