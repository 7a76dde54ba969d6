package dev.pgkafka.application.port.in;

import java.util.List;
import java.util.function.Predicate;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;

/** Be a member of, and describe, consumer groups of the consumer group protocol (KIP-848). */
public interface ConsumerGroupsUseCase {

    /** ConsumerGroupHeartbeat: join, heartbeat, reconcile, leave. Never blocks on other members. */
    default ConsumerHeartbeatResult heartbeat(String groupId, ConsumerHeartbeat request) {
        return heartbeat(groupId, request, null);
    }

    /**
     * ConsumerGroupHeartbeat of a member whose regular-expression subscription may only resolve to the
     * topics {@code visibleTopics} accepts: as in Kafka, those the member's principal may DESCRIBE.
     *
     * @param visibleTopics null when there is no authorizer: a regex may resolve to every topic
     */
    ConsumerHeartbeatResult heartbeat(String groupId, ConsumerHeartbeat request, Predicate<String> visibleTopics);

    /** ConsumerGroupDescribe, one answer per id in order. */
    List<DescribedConsumerGroup> describe(List<String> groupIds);

    /** Every consumer group, in id order (the HTTP admin API). */
    List<ConsumerGroupDescription> describeAll();

    /** @param description null when {@code error} is not NONE */
    record DescribedConsumerGroup(String groupId, ErrorCode error, String errorMessage,
                                  ConsumerGroupDescription description) {
    }
}
