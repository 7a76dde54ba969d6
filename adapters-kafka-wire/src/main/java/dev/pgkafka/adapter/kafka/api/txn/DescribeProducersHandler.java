package dev.pgkafka.adapter.kafka.api.txn;

import java.util.Optional;

import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
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
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;
import dev.pgkafka.domain.txn.TransactionMetadata;

/**
 * DescribeProducers: per partition, the idempotent and transactional producers it remembers, with
 * epoch, last sequence, last timestamp and the start offset of the open transaction (-1 when none).
 * As Kafka: a valid topic name, then READ on the topic (TOPIC_AUTHORIZATION_FAILED with its message
 * otherwise, whether or not the topic exists), then the topic must exist.
 */
public final class DescribeProducersHandler implements ApiHandler {
    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public DescribeProducersHandler(TransactionsUseCase transactions, TopicsUseCase topics, AuthHelper auth) {
        this.transactions = transactions;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_PRODUCERS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeProducersRequestData request = (DescribeProducersRequestData) message;
        DescribeProducersResponseData response = new DescribeProducersResponseData().setThrottleTimeMs(0);
        for (DescribeProducersRequestData.TopicRequest t : request.topics()) {
            Optional<String> invalid = TopicNames.problem(t.name());
            boolean readable = invalid.isEmpty() && auth.authorize(context, AclOperation.READ, ResourceType.TOPIC, t.name());
            Optional<Topic> topic = readable ? topics.find(t.name()) : Optional.empty();
            DescribeProducersResponseData.TopicResponse topicResponse =
                    new DescribeProducersResponseData.TopicResponse().setName(t.name());
            for (int p : t.partitionIndexes()) {
                DescribeProducersResponseData.PartitionResponse partition =
                        new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(p);
                if (invalid.isPresent()) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.INVALID_TOPIC_EXCEPTION)).setErrorMessage(invalid.get());
                } else if (!readable) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.TOPIC_AUTHORIZATION_FAILED))
                            .setErrorMessage(ErrorCodes.toKafka(ErrorCode.TOPIC_AUTHORIZATION_FAILED).message());
                } else if (topic.isEmpty() || !topic.get().hasPartition(p)) {
                    partition.setErrorCode(ErrorCodes.code(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION))
                            .setErrorMessage("This server does not host this topic-partition.");
                } else {
                    partition.setErrorCode((short) 0);
                    for (ProducerPartitionState s : transactions.producers(topic.get().partition(p))) {
                        partition.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                                .setProducerId(s.producerId())
                                .setProducerEpoch(s.producerEpoch())
                                .setLastSequence(s.lastSequence())
                                .setLastTimestamp(s.lastTimestamp())
                                .setCoordinatorEpoch(s.inTransaction() ? TransactionMetadata.COORDINATOR_EPOCH : -1)
                                .setCurrentTxnStartOffset(s.currentTxnFirstOffset()));
                    }
                }
                topicResponse.partitions().add(partition);
            }
            response.topics().add(topicResponse);
        }
        return Response.of(response);
    }
}
