package dev.pgkafka.adapter.kafka.api.txn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.common.errors.ClusterAuthorizationException;
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
import dev.pgkafka.adapter.kafka.protocol.ErrorResponses;
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

/**
 * AddPartitionsToTxn. v0-3 is the producer's form (one transaction); v4+ is the brokers' batched form
 * (several transactions, {@code verifyOnly} to check membership without adding), answered the same
 * way per transaction. When a partition is refused, it answers its error and the others
 * OPERATION_NOT_ATTEMPTED, as Kafka does; otherwise every partition gets the transaction's error.
 *
 * <p>As Kafka: the brokers' form needs CLUSTER_ACTION (CLUSTER_AUTHORIZATION_FAILED for the request
 * otherwise) and nothing per transaction; the producer's form needs WRITE on the transactional id
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED on every partition otherwise) and WRITE on each topic
 * (TOPIC_AUTHORIZATION_FAILED; never granted for Kafka's internal topics), before existence.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler {
    private static final short FENCED_VERSION = 2;
    private static final short BATCHED_VERSION = 4;

    private final TransactionsUseCase transactions;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public AddPartitionsToTxnHandler(TransactionsUseCase transactions, TopicsUseCase topics, AuthHelper auth) {
        this.transactions = transactions;
        this.topics = topics;
        this.auth = auth;
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
            response.setResultsByTopicV3AndBelow(add(context, request.v3AndBelowTransactionalId(),
                    request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch(), false, request.v3AndBelowTopics()));
        } else {
            // only brokers send the batched form
            if (!auth.authorizeCluster(context, AclOperation.CLUSTER_ACTION)) {
                return Response.of(ErrorResponses.of(context, request,
                        new ClusterAuthorizationException("Request " + context + " is not authorized.")));
            }
            for (AddPartitionsToTxnTransaction t : request.transactions()) {
                response.resultsByTransaction().add(new AddPartitionsToTxnResult()
                        .setTransactionalId(t.transactionalId())
                        .setTopicResults(add(context, t.transactionalId(), t.producerId(), t.producerEpoch(),
                                t.verifyOnly(), t.topics())));
            }
            response.setErrorCode((short) 0);
        }
        return Response.of(response);
    }

    private AddPartitionsToTxnTopicResultCollection add(RequestContext context, String transactionalId, long producerId,
                                                        short epoch, boolean verifyOnly,
                                                        AddPartitionsToTxnTopicCollection requested) {
        short version = context.apiVersion();
        boolean fromClient = version < BATCHED_VERSION;
        if (fromClient && !auth.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            return answer(requested, (topic, partition) -> ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, version);
        }
        List<String> names = new ArrayList<>();
        for (AddPartitionsToTxnTopic t : requested) {
            // internal topics are never asked for, so never granted
            if (!org.apache.kafka.common.internals.Topic.isInternal(t.name())) {
                names.add(t.name());
            }
        }
        Set<String> writable = fromClient
                ? auth.filterByAuthorized(context, AclOperation.WRITE, ResourceType.TOPIC, names) : null;

        Map<String, Optional<Topic>> resolved = new LinkedHashMap<>();
        List<TopicIdPartition> partitions = new ArrayList<>();
        boolean refused = false;
        for (AddPartitionsToTxnTopic t : requested) {
            Optional<Topic> topic = resolved.computeIfAbsent(t.name(), topics::find);
            for (int p : t.partitions()) {
                if (partitionError(writable, t.name(), topic, p) != ErrorCode.NONE) {
                    refused = true;
                } else {
                    partitions.add(topic.get().partition(p));
                }
            }
        }
        if (refused) {
            return answer(requested, (topic, partition) -> {
                ErrorCode error = partitionError(writable, topic, resolved.get(topic), partition);
                return error != ErrorCode.NONE ? error : ErrorCode.OPERATION_NOT_ATTEMPTED;
            }, version);
        }
        ErrorCode error = ErrorCode.NONE;
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
        ErrorCode all = error;
        return answer(requested, (topic, partition) -> all, version);
    }

    /** A partition's own error: refused (when topics are checked), then unknown. */
    private static ErrorCode partitionError(Set<String> writable, String name,
                                            Optional<Topic> topic, int partition) {
        if (writable != null && !writable.contains(name)) {
            return ErrorCode.TOPIC_AUTHORIZATION_FAILED;
        }
        if (topic.isEmpty() || !topic.get().hasPartition(partition)) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        return ErrorCode.NONE;
    }

    private interface PartitionAnswer {
        ErrorCode of(String topic, int partition);
    }

    private static AddPartitionsToTxnTopicResultCollection answer(AddPartitionsToTxnTopicCollection requested,
                                                                  PartitionAnswer answer, short version) {
        AddPartitionsToTxnTopicResultCollection results = new AddPartitionsToTxnTopicResultCollection();
        for (AddPartitionsToTxnTopic t : requested) {
            AddPartitionsToTxnTopicResult topicResult = results.find(t.name());
            if (topicResult == null) {
                topicResult = new AddPartitionsToTxnTopicResult().setName(t.name());
                results.add(topicResult);
            }
            for (int p : t.partitions()) {
                if (topicResult.resultsByPartition().find(p) == null) {
                    topicResult.resultsByPartition().add(new AddPartitionsToTxnPartitionResult()
                            .setPartitionIndex(p)
                            .setPartitionErrorCode(TxnErrors.code(answer.of(t.name(), p), version, FENCED_VERSION)));
                }
            }
        }
        return results;
    }
}
