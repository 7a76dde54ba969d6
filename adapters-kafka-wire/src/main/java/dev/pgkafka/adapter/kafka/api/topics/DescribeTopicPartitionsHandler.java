package dev.pgkafka.adapter.kafka.api.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DescribeTopicPartitionsRequestData;
import org.apache.kafka.common.message.DescribeTopicPartitionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicNames;

/**
 * DescribeTopicPartitions (KIP-966), what the Java Admin's describeTopics uses: the named topics (all
 * when none are named) in name order, at most {@code ResponsePartitionLimit} partitions per answer
 * (capped at Kafka's 2000), with a cursor to continue from.
 *
 * <p>As Kafka: topics need DESCRIBE; a listing of all topics leaves the others out, named ones answer
 * TOPIC_AUTHORIZATION_FAILED after the described ones (not counted by the page); every described topic,
 * also one that does not exist, carries its KIP-430 operations.
 */
public final class DescribeTopicPartitionsHandler implements ApiHandler {
    /** Kafka's max.request.partition.size.limit default. */
    static final int MAX_PARTITIONS_PER_RESPONSE = 2000;

    private final TopicsUseCase topics;
    private final BrokerEndpoint endpoint;
    private final AuthHelper auth;

    public DescribeTopicPartitionsHandler(TopicsUseCase topics, BrokerEndpoint endpoint, AuthHelper auth) {
        this.topics = topics;
        this.endpoint = endpoint;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_TOPIC_PARTITIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeTopicPartitionsRequestData request = (DescribeTopicPartitionsRequestData) message;
        TreeSet<String> asked = new TreeSet<>();
        boolean allTopics = request.topics().isEmpty();
        if (allTopics) {
            topics.list().forEach(t -> asked.add(t.name()));
        } else {
            request.topics().forEach(t -> asked.add(t.name()));
        }
        DescribeTopicPartitionsRequestData.Cursor cursor = request.cursor();
        Set<String> inRange = cursor == null ? asked : asked.tailSet(cursor.topicName(), true);
        // a topic the client did not name is left out without a denial worth logging
        TreeSet<String> names = new TreeSet<>(auth.filterByAuthorized(context, AclOperation.DESCRIBE,
                ResourceType.TOPIC, inRange, true, !allTopics));
        int budget = Math.max(1, Math.min(request.responsePartitionLimit() <= 0 ? MAX_PARTITIONS_PER_RESPONSE
                : request.responsePartitionLimit(), MAX_PARTITIONS_PER_RESPONSE));

        DescribeTopicPartitionsResponseData response = new DescribeTopicPartitionsResponseData().setThrottleTimeMs(0);
        List<String> ordered = new ArrayList<>(names);
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
                                : Errors.INVALID_TOPIC_EXCEPTION).code())
                        .setTopicAuthorizedOperations(auth.authorizedOperations(context, ResourceType.TOPIC, name)));
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
                            .setTopicAuthorizedOperations(auth.authorizedOperations(context, ResourceType.TOPIC, name));
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
        for (String name : inRange) {
            if (!allTopics && !names.contains(name)) {
                // no topic id: the client may not learn whether the topic exists
                response.topics().add(new DescribeTopicPartitionsResponseData.DescribeTopicPartitionsResponseTopic()
                        .setName(name)
                        .setTopicId(Uuid.ZERO_UUID)
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
            }
        }
        return Response.of(response);
    }
}
