package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.api.metadata.AuthorizedOperations;
import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase.DescribedConsumerGroup;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.topic.Topic;

/**
 * ConsumerGroupDescribe (KIP-848): epochs, assignor, and every member with its current and target
 * assignment. A classic group answers GROUP_ID_NOT_FOUND ("is not a consumer group"), which makes
 * {@code Admin.describeConsumerGroups} fall back to DescribeGroups, as with Kafka.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    /** v1: MemberType, 1 for members of the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final ConsumerGroupsUseCase groups;
    private final TopicsUseCase topics;

    public ConsumerGroupDescribeHandler(ConsumerGroupsUseCase groups, TopicsUseCase topics) {
        this.groups = groups;
        this.topics = topics;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData().setThrottleTimeMs(0);
        for (DescribedConsumerGroup d : groups.describe(request.groupIds())) {
            ConsumerGroupDescribeResponseData.DescribedGroup group = new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(d.groupId())
                    .setErrorCode(ErrorCodes.code(d.error()))
                    .setErrorMessage(d.errorMessage())
                    .setAuthorizedOperations(AuthorizedOperations.NOT_REQUESTED);
            ConsumerGroupDescription g = d.description();
            if (g == null) {
                group.setGroupState(ConsumerGroupState.DEAD.kafkaName());
            } else {
                group.setGroupState(g.state().kafkaName())
                        .setGroupEpoch(g.groupEpoch())
                        .setAssignmentEpoch(g.assignmentEpoch())
                        .setAssignorName(g.assignorName());
                if (request.includeAuthorizedOperations()) {
                    group.setAuthorizedOperations(AuthorizedOperations.GROUP);
                }
                for (ConsumerGroupDescription.Member described : g.members()) {
                    ConsumerGroupMember m = described.member();
                    group.members().add(new ConsumerGroupDescribeResponseData.Member()
                            .setMemberId(m.memberId())
                            .setInstanceId(m.instanceId())
                            .setRackId(m.rackId())
                            .setMemberEpoch(m.memberEpoch())
                            .setClientId(m.clientId())
                            .setClientHost(m.clientHost())
                            .setSubscribedTopicNames(new ArrayList<>(m.subscribedTopicNames()))
                            .setSubscribedTopicRegex(m.subscribedTopicRegex())
                            .setAssignment(assignment(m.assignedPartitions()))
                            .setTargetAssignment(assignment(described.targetAssignment()))
                            .setMemberType(CONSUMER_MEMBER));
                }
            }
            response.groups().add(group);
        }
        return Response.of(response);
    }

    private ConsumerGroupDescribeResponseData.Assignment assignment(Map<UUID, Set<Integer>> partitions) {
        ConsumerGroupDescribeResponseData.Assignment assignment = new ConsumerGroupDescribeResponseData.Assignment();
        partitions.forEach((topicId, set) -> assignment.topicPartitions().add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                .setTopicId(Uuids.toKafka(topicId))
                .setTopicName(topics.find(topicId).map(Topic::name).orElse(""))
                .setPartitions(new ArrayList<>(set))));
        return assignment;
    }
}
