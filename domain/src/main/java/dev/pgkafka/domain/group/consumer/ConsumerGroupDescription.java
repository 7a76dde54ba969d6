package dev.pgkafka.domain.group.consumer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A consumer group as ConsumerGroupDescribe and the HTTP admin API show it. */
public record ConsumerGroupDescription(String groupId, ConsumerGroupState state, int groupEpoch, int assignmentEpoch,
                                       String assignorName, List<Member> members) {
    public ConsumerGroupDescription {
        members = List.copyOf(members);
    }

    /** A member with its current and its target partitions. */
    public record Member(ConsumerGroupMember member, Map<UUID, Set<Integer>> targetAssignment) {
        public Member {
            targetAssignment = TopicPartitions.copy(targetAssignment);
        }
    }
}
