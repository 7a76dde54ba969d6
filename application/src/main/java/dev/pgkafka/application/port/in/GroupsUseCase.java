package dev.pgkafka.application.port.in;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;

/** See, list and delete consumer groups, and how far behind they are. */
public interface GroupsUseCase {

    /** The group, or empty when there is no such group. */
    Optional<GroupDescription> describeGroup(String groupId);

    /**
     * Groups whose state and type match the filters: each filter holds names compared ignoring case
     * ({@code Stable}, {@code classic}); an empty filter matches everything.
     */
    List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter);

    /** NONE when deleted (with its offsets), else Kafka's error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP). */
    ErrorCode deleteGroup(String groupId);

    /** Every group with its committed offsets and lag, in group id order. */
    List<GroupOverview> overview();

    /** Kafka's group type of classic groups. */
    String CLASSIC = "classic";
    /** Kafka's group type of groups of the consumer group protocol (KIP-848). */
    String CONSUMER = "consumer";

    /** {@link #CLASSIC}, {@link #CONSUMER}, or empty when there is no such group. */
    default Optional<String> groupType(String groupId) {
        return describeGroup(groupId).map(d -> CLASSIC);
    }

    /**
     * @param protocolType "" when the group has none
     * @param state        Kafka's name of the state ({@code Stable}, {@code Reconciling}, ...)
     */
    record GroupListing(String groupId, String protocolType, String state, String type) {
        public GroupListing(String groupId, String protocolType, GroupState state, String type) {
            this(groupId, protocolType, state.kafkaName(), type);
        }
    }

    /**
     * A group with its offsets: a classic group ({@code group}) or a consumer group of the consumer group
     * protocol ({@code consumerGroup}); the other one is null.
     */
    record GroupOverview(GroupDescription group, List<PartitionOffset> offsets, ConsumerGroupDescription consumerGroup) {
        public GroupOverview {
            offsets = List.copyOf(offsets);
            if ((group == null) == (consumerGroup == null)) {
                throw new IllegalArgumentException("a group overview is of a classic or of a consumer group");
            }
        }

        /** A classic group. */
        public GroupOverview(GroupDescription group, List<PartitionOffset> offsets) {
            this(group, offsets, null);
        }

        public String groupId() {
            return group != null ? group.groupId() : consumerGroup.groupId();
        }

        /** {@link #CLASSIC} or {@link #CONSUMER}. */
        public String type() {
            return group != null ? CLASSIC : CONSUMER;
        }
    }

    /**
     * A partition the group committed an offset for or that a member is assigned.
     *
     * @param committedOffset -1 when the group has committed none
     * @param logEndOffset    the partition's high watermark
     * @param lag             log end minus committed offset (the whole log when nothing is committed)
     * @param owner           the member assigned the partition, or null
     */
    record PartitionOffset(String topic, int partition, long committedOffset, long logEndOffset, long lag,
                           String metadata, String owner) {
    }
}
