package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.api.metadata.AuthorizedOperations;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * DescribeTopicPartitions (KIP-966), what the Java Admin's describeTopics uses: the named topics (all
 * when none are named) in name order, at most {@code ResponsePartitionLimit} partitions per answer
 * (capped at Kafka's 2000), with a cursor to continue from.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {
    /** Kafka's max.request.partition.size.limit default. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

    private final TopicsUseCase topics;
    private final BrokerEndpoint endpoint;

    public DescribeTopicPartitionsHandler(TopicsUseCase topics, BrokerEndpoint endpoint) {
        this.topics = topics;
        this.endpoint = endpoint;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeTopicPartitionsRequestData request = (DescribeTopicPartitionsRequestData) message;
        TreeSet<String> names = new TreeSet<>();
        if (request.topics().isEmpty()) {
            topics.list().forEach(t -> names.add(t.name()));
        } else {
            request.topics().forEach(t -> names.add(t.name()));
        }
        DescribeTopicPartitionsRequestData.Cursor cursor = request.cursor();
        int budget = Math.max(1, Math.min(request.responsePartitionLimit() <= 0 ? MAX_PARTITIONS_PER_RESPONSE
                : request.responsePartitionLimit(), MAX_PARTITIONS_PER_RESPONSE));

        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData().setThrottleTimeMs(0);
        List<String> ordered = new ArrayList<>(cursor == null ? names : names.tailSet(cursor.topicName(), true));
        for (int i = 0; i < ordered.size(); i++) {
            String name = ordered.get(i);
            if (budget == 0) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name).setPartitionIndex(0));
                break;
            }
            Optional<Topic> topic = TopicNames.isValid(name) ? topics.find(name) : Optional.empty();
            if (topic.isEmpty()) {
                response.topics().add(new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic()
                        .setName(name)
                        .setTopicId(Uuid.ZERO_UUID)
                        .setErrorCode((TopicNames.isValid(name) ? Errors.UNKNOWN_TOPIC_OR_PARTITION
                                : Errors.INVALID_TOPIC_EXCEPTION).code()));
                continue;
            }
            Topic t = topic.get();
            int first = cursor != null && name.equals(cursor.topicName()) ? Math.max(0, cursor.partitionIndex()) : 0;
            DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic out =
                    new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic()
                            .setErrorCode(Errors.NONE.code())
                            .setName(t.name())
                            .setTopicId(Uuids.toKafka(t.id()))
                            .setIsInternal(t.isInternal())
                            .setTopicAuthorizedOperations(AuthorizedOperations.TOPIC);
            int p = first;
            for (; p < t.partitionCount() && budget > 0; p++, budget--) {
                DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition partition =
                        new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponsePartition()
                                .setErrorCode(Errors.NONE.code())
                                .setPartitionIndex(p)
                                .setLeaderId(endpoint.nodeId())
                                .setLeaderEpoch(0)
                                .setReplicaNodes(List.of(endpoint.nodeId()))
                                .setIsrNodes(List.of(endpoint.nodeId()))
                                .setEligibleLeaderReplicas(List.of())
                                .setLastKnownElr(List.of())
                                .setOfflineReplicas(List.of());
                out.partitions().add(partition);
            }
            response.topics().add(out);
            if (p < t.partitionCount()) {
                response.setNextCursor(new DescribeTopicPartitionsResponseData.Cursor().setTopicName(name)
                        .setPartitionIndex(p));
                break;
            }
        }
        return Response.of(response);
    }
}
