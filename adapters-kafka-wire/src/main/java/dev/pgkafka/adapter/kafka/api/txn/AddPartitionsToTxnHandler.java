package dev.pgkafka.adapter.kafka.api.txn;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTopicCollection;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResultCollection;
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

/**
 * AddPartitionsToTxn. v0-3 is the producer's form (one transaction); v4+ is the brokers' batched form
 * (several transactions, {@code verifyOnly} to check membership without adding), answered the same
 * way per transaction. When a partition is unknown, it answers UNKNOWN_TOPIC_OR_PARTITION and the
 * others OPERATION_NOT_ATTEMPTED, as Kafka does; otherwise every partition gets the transaction's error.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;
    private static final short BATCHED_VERSION = 4;

    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;

    public AddPartitionsToTxnHandler(TransactionsUseCase transactions, TopicsUseCase topics) {
        this.transactions = transactions;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AddPartitionsToTxnRequestData request = (AddPartitionsToTxnRequestData) message;
        short version = context.apiVersion();
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData().setThrottleTimeMs(0);
        if (version < BATCHED_VERSION) {
            response.setResultsByTopicV3AndBelow(add(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(),
                    request.v3AndBelowProducerEpoch(), false, request.v3AndBelowTopics(), version));
        } else {
            for (AddPartitionsToTxnTransaction t : request.transactions()) {
                response.resultsByTransaction().add(new AddPartitionsToTxnResult()
                        .setTransactionalId(t.transactionalId())
                        .setTopicResults(add(t.transactionalId(), t.producerId(), t.producerEpoch(), t.verifyOnly(), t.topics(),
                                version)));
            }
            response.setErrorCode((short) 0);
        }
        return Response.of(response);
    }

    private AddPartitionsToTxnTopicResultCollection add(String transactionalId, long producerId, short epoch, boolean verifyOnly,
                                                        AddPartitionsToTxnTopicCollection requested, short version) {
        List<TopicIdPartition> partitions = new ArrayList<>();
        boolean unknown = false;
        for (AddPartitionsToTxnTopic t : requested) {
            Optional<Topic> topic = topics.find(t.name());
            for (int p : t.partitions()) {
                if (topic.isEmpty() || !topic.get().hasPartition(p)) {
                    unknown = true;
                } else {
                    partitions.add(topic.get().partition(p));
                }
            }
        }
        ErrorCode error = ErrorCode.NONE;
        if (!unknown) {
            if (verifyOnly) {
                for (TopicIdPartition tp : partitions) {
                    ErrorCode e = transactions.describe(transactionalId)
                            .map(m -> m.verifyProduce(producerId, epoch, tp))
                            .orElse(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
                    if (e != ErrorCode.NONE) {
                        error = e;
                        break;
                    }
                }
            } else {
                error = transactions.addPartitions(transactionalId, producerId, epoch, partitions);
            }
        }
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        for (AddPartitionsToTxnTopic t : requested) {
            Optional<Topic> topic = topics.find(t.name());
            AddPartitionsToTxnTopicResult topicResult = results.find(t.name());
            if (topicResult == null) {
                topicResult = new AddPartitionsToTxnTopicResult().setName(t.name());
                results.add(topicResult);
            }
            for (int p : t.partitions()) {
                short code;
                if (unknown) {
                    code = topic.isEmpty() || !topic.get().hasPartition(p) ? ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION)
                            : ErrorCodes.code(ErrorCode.OPERATION_NOT_ATTEMPTED);
                } else {
                    code = TxnErrors.code(error, version, FENCED_VERSION);
                }
                if (topicResult.resultsByPartition().find(p) == null) {
                    topicResult.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(p).setPartitionErrorCode(code));
                }
            }
        }
        return results;
    }
}
