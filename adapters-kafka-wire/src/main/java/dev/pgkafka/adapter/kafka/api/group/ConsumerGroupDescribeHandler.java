package dev.pgkafka.adapter.kafka.api.group;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupDescribeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.Uuids;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase.DescribedConsumerGroup;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupMember;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.topic.Topic;

/**
 * ConsumerGroupDescribe (KIP-848): epochs, assignor, and every member with its current and target
 * assignment. A classic group answers GROUP_ID_NOT_FOUND ("is not a consumer group"), which makes
 * {@code Admin.describeConsumerGroups} fall back to DescribeGroups, as with Kafka.
 *
 * <p>As Kafka 4: each group needs DESCRIBE (GROUP_AUTHORIZATION_FAILED, listed first, otherwise), its
 * KIP-430 operations come when asked, and with an authorizer a group whose assignments name a topic
 * the client may not DESCRIBE answers TOPIC_AUTHORIZATION_FAILED without its members.
 */
public final class ConsumerGroupDescribeHandler implements ApiHandler {
    /** v1: MemberType, 1 for members of the consumer protocol. */
    private static final byte CONSUMER_MEMBER = 1;

    private final ConsumerGroupsUseCase groups;
    private final TopicsUseCase topics;
    private final AuthHelper auth;

    public ConsumerGroupDescribeHandler(ConsumerGroupsUseCase groups, TopicsUseCase topics, AuthHelper auth) {
        this.groups = groups;
        this.topics = topics;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        ConsumerGroupDescribeRequestData request = (ConsumerGroupDescribeRequestData) message;
        ConsumerGroupDescribeResponseData response = new ConsumerGroupDescribeResponseData().setThrottleTimeMs(0);
        List<String> authorized = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            if (auth.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, groupId)) {
                authorized.add(groupId);
            } else {
                response.groups().add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(groupId)
                        .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
            }
        }
        List<ConsumerGroupDescribeResponseData.DescribedGroup> answered = new ArrayList<>();
        for (DescribedConsumerGroup d : authorized.isEmpty() ? List.<DescribedConsumerGroup>of() : groups.describe(authorized)) {
            ConsumerGroupDescribeResponseData.DescribedGroup group = new ConsumerGroupDescribeResponseData.DescribedGroup()
                    .setGroupId(d.groupId())
                    .setErrorCode(ErrorCodes.code(d.error()))
                    .setErrorMessage(d.errorMessage())
                    .setAuthorizedOperations(AuthHelper.NOT_REQUESTED);
            ConsumerGroupDescription g = d.description();
            if (g == null) {
                group.setGroupState(ConsumerGroupState.DEAD.kafkaName());
            } else {
                group.setGroupState(g.state().kafkaName())
                        .setGroupEpoch(g.groupEpoch())
                        .setAssignmentEpoch(g.assignmentEpoch())
                        .setAssignorName(g.assignorName());
                if (request.includeAuthorizedOperations()) {
                    group.setAuthorizedOperations(auth.authorizedOperations(context, ResourceType.GROUP, d.groupId()));
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
            answered.add(group);
        }
        response.groups().addAll(hideUndescribableTopics(context, answered));
        return Response.of(response);
    }

    /**
     * With an authorizer, groups whose current or target assignments name a topic the client may not
     * DESCRIBE become TOPIC_AUTHORIZATION_FAILED without members, as Kafka answers them.
     */
    private List<ConsumerGroupDescribeResponseData.DescribedGroup> hideUndescribableTopics(
            RequestContext context, List<ConsumerGroupDescribeResponseData.DescribedGroup> described) {
        if (!auth.isEnabled()) {
            return described;
        }
        Set<String> named = new LinkedHashSet<>();
        for (ConsumerGroupDescribeResponseData.DescribedGroup g : described) {
            named.addAll(assignedTopics(g));
        }
        // the client did not name these topics: hiding a group is no denial worth logging
        Set<String> describable = auth.filterByAuthorized(context, AclOperation.DESCRIBE, ResourceType.TOPIC, named,
                true, false);
        List<ConsumerGroupDescribeResponseData.DescribedGroup> answered = new ArrayList<>(described.size());
        for (ConsumerGroupDescribeResponseData.DescribedGroup g : described) {
            if (describable.containsAll(assignedTopics(g))) {
                answered.add(g);
            } else {
                answered.add(new ConsumerGroupDescribeResponseData.DescribedGroup()
                        .setGroupId(g.groupId())
                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                        .setErrorMessage("The group has described topic(s) that the client is not authorized to describe.")
                        .setMembers(List.of()));
            }
        }
        return answered;
    }

    /** The names of the topics in a group's assignments (a topic deleted meanwhile has none). */
    private static Set<String> assignedTopics(ConsumerGroupDescribeResponseData.DescribedGroup group) {
        Set<String> names = new LinkedHashSet<>();
        for (ConsumerGroupDescribeResponseData.Member m : group.members()) {
            for (ConsumerGroupDescribeResponseData.Assignment a : List.of(m.assignment(), m.targetAssignment())) {
                for (ConsumerGroupDescribeResponseData.TopicPartitions tp : a.topicPartitions()) {
                    if (tp.topicName() != null && !tp.topicName().isEmpty()) {
                        names.add(tp.topicName());
                    }
                }
            }
        }
        return names;
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
