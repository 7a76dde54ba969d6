package dev.pgkafka.domain.group.consumer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

import dev.pgkafka.domain.assignment.AssignmentSpec;
import dev.pgkafka.domain.assignment.GroupAssignment;
import dev.pgkafka.domain.assignment.MemberSubscription;
import dev.pgkafka.domain.assignment.PartitionAssignor;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.assignment.TopicMetadata;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.regex.ClientRegex;
import dev.pgkafka.domain.regex.InvalidRegexException;
import dev.pgkafka.domain.regex.RegexEngine;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * A consumer group of the consumer group protocol (KIP-848): the broker computes the assignment.
 * Restates the consumer group part of Kafka's {@code GroupMetadataManager}:
 * <ul>
 *   <li>The <b>group epoch</b> moves when a member joins or leaves, a subscription changes, or the
 *       subscribed topics change (new partitions, a new topic matching a regex, a deleted topic).</li>
 *   <li>When the group epoch is ahead of the <b>assignment epoch</b>, the group's assignor computes a new
 *       target assignment from the members' subscriptions and their previous targets.</li>
 *   <li>Each heartbeat moves its member one step towards its target ({@link CurrentAssignmentBuilder}):
 *       revocations first, then new partitions once no one else owns them. No partition is ever owned
 *       by two members.</li>
 *   <li>Sessions ({@code group.consumer.session.timeout.ms}) and revocations (the member's rebalance
 *       timeout) are deadlines here; {@link #tick(long)} removes members that missed theirs.</li>
 * </ul>
 * Not thread-safe: the coordinator serialises operations on a group. No clock: every operation takes {@code now}.
 */
public final class ConsumerGroup {
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private final String groupId;
    private final ConsumerGroupConfig config;
    private final RegexEngine regexEngine;
    private int groupEpoch;
    private int assignmentEpoch;
    private long subscriptionHash;
    private final Map<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, Map<UUID, Set<Integer>>> target = new TreeMap<>();
    private final Map<TopicIdPartition, String> owners = new HashMap<>();
    private final Map<String, Long> sessionDeadlines = new HashMap<>();
    private final Map<String, Long> revocationDeadlines = new HashMap<>();
    private final Map<String, Optional<Predicate<String>>> patterns = new HashMap<>();
    /**
     * Per member whose heartbeats come with a topic filter (an authorizer is on): the topics its
     * regular expression resolved to at its last heartbeat, only those it may DESCRIBE. Kept in memory
     * only: until such a member's first heartbeat after a restart its regex matches every topic.
     */
    private final Map<String, Set<String>> regexTopics = new HashMap<>();
    /** Changes since {@link #takeChanges()}: members to store, members to forget, whether the target moved. */
    private final Set<String> changedMembers = new TreeSet<>();
    private final Set<String> removedMembers = new TreeSet<>();
    private boolean targetChanged;

    /** The result of an operation: the answer, whether the stored group must be rewritten, and what happened. */
    public record Outcome(ConsumerHeartbeatResult result, boolean changed, List<String> events) {
        public Outcome {
            events = List.copyOf(events);
        }
    }

    /** @param regexEngine compiles the members' subscribed topic regexes (RE2/J in the broker) */
    public ConsumerGroup(String groupId, ConsumerGroupConfig config, RegexEngine regexEngine) {
        this.groupId = groupId;
        this.config = config;
        this.regexEngine = regexEngine;
    }

    /** The stored group; every member's session (and pending revocation) starts again at {@code now}. */
    public static ConsumerGroup restore(ConsumerGroupSnapshot snapshot, ConsumerGroupConfig config,
                                       RegexEngine regexEngine, long now) {
        ConsumerGroup group = new ConsumerGroup(snapshot.groupId(), config, regexEngine);
        group.groupEpoch = snapshot.groupEpoch();
        group.assignmentEpoch = snapshot.assignmentEpoch();
        group.subscriptionHash = snapshot.subscriptionHash();
        group.target.putAll(snapshot.targetAssignment());
        for (ConsumerGroupMember m : snapshot.members()) {
            group.members.put(m.memberId(), m);
            group.own(m);
            group.sessionDeadlines.put(m.memberId(), now + config.sessionTimeoutMs());
            if (m.state() == MemberState.UNREVOKED_PARTITIONS) {
                group.revocationDeadlines.put(m.memberId(), now + m.rebalanceTimeoutMs());
            }
        }
        return group;
    }

    public ConsumerGroupSnapshot snapshot() {
        return new ConsumerGroupSnapshot(groupId, groupEpoch, assignmentEpoch, subscriptionHash,
                List.copyOf(members.values()), target);
    }

    /**
     * What changed since the last call (or since the group was created or restored), for a storage write
     * that touches only that; the group forgets it. {@link #snapshot()} is always the whole group.
     */
    public ConsumerGroupChanges takeChanges() {
        List<ConsumerGroupMember> upserted = new ArrayList<>();
        for (String id : changedMembers) {
            ConsumerGroupMember m = members.get(id);
            if (m != null) {
                upserted.add(m);
            }
        }
        ConsumerGroupChanges changes = new ConsumerGroupChanges(groupId, groupEpoch, assignmentEpoch, subscriptionHash,
                upserted, removedMembers, targetChanged ? target : null);
        changedMembers.clear();
        removedMembers.clear();
        targetChanged = false;
        return changes;
    }

    public String groupId() {
        return groupId;
    }

    public int groupEpoch() {
        return groupEpoch;
    }

    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public Collection<ConsumerGroupMember> members() {
        return List.copyOf(members.values());
    }

    public Map<UUID, Set<Integer>> targetOf(String memberId) {
        return target.getOrDefault(memberId, Map.of());
    }

    /** Which member owns the partition (assigned or still revoking), if any. */
    public Optional<String> ownerOf(TopicIdPartition partition) {
        return Optional.ofNullable(owners.get(partition));
    }

    public ConsumerGroupState state() {
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerGroupMember m : members.values()) {
            if (m.memberEpoch() != assignmentEpoch || m.state() != MemberState.STABLE) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    // ---------------------------------------------------------------- validation

    /**
     * Kafka's checks of a heartbeat that need no group: INVALID_REQUEST for malformed ones,
     * INVALID_REGULAR_EXPRESSION (also for a regex longer than {@link ClientRegex#MAX_LENGTH}), UNSUPPORTED_ASSIGNOR.
     */
    public static Optional<ConsumerHeartbeatResult> validate(String groupId, ConsumerHeartbeat request,
                                                             PartitionAssignors assignors, RegexEngine regexEngine) {
        if (groupId == null || groupId.isEmpty()) {
            return invalid("GroupId can't be empty.");
        }
        if (request.instanceId() != null && request.instanceId().isEmpty()) {
            return invalid("InstanceId can't be empty.");
        }
        if (request.rackId() != null && request.rackId().isEmpty()) {
            return invalid("RackId can't be empty.");
        }
        int epoch = request.memberEpoch();
        if (epoch == 0) {
            if (request.clientGeneratesMemberId() && request.memberId().isEmpty()) {
                return invalid("MemberId can't be empty.");
            }
            if (request.rebalanceTimeoutMs() == -1) {
                return invalid("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.ownedPartitions() == null || !request.ownedPartitions().isEmpty()) {
                return invalid("TopicPartitions must be empty when (re-)joining.");
            }
            boolean names = request.subscribedTopicNames() != null && !request.subscribedTopicNames().isEmpty();
            boolean regex = request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty();
            if (!names && !regex) {
                return invalid("SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        } else if (epoch == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            if (request.memberId().isEmpty()) {
                return invalid("MemberId can't be empty.");
            }
            if (request.instanceId() == null) {
                return invalid("InstanceId can't be null.");
            }
        } else if (epoch < ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return invalid("MemberEpoch is invalid.");
        } else if (request.memberId().isEmpty()) {
            return invalid("MemberId can't be empty.");
        }
        String regex = request.subscribedTopicRegex();
        if (regex != null && !regex.isEmpty()) {
            try {
                ClientRegex.compile(regexEngine, regex);
            } catch (InvalidRegexException e) {
                // Kafka's message; a regex over the cap is not echoed back
                String shown = regex.length() > ClientRegex.MAX_LENGTH ? "" : " `" + regex + "`";
                return Optional.of(ConsumerHeartbeatResult.error(ErrorCode.INVALID_REGULAR_EXPRESSION,
                        "SubscribedTopicRegex" + shown + " is not a valid regular expression: " + e.description() + "."));
            }
        }
        if (request.serverAssignor() != null && assignors.find(request.serverAssignor()).isEmpty()) {
            return Optional.of(ConsumerHeartbeatResult.error(ErrorCode.UNSUPPORTED_ASSIGNOR,
                    "ServerAssignor " + request.serverAssignor() + " is not supported. Supported assignors: "
                            + String.join(", ", assignors.names()) + "."));
        }
        return Optional.empty();
    }

    private static Optional<ConsumerHeartbeatResult> invalid(String message) {
        return Optional.of(ConsumerHeartbeatResult.error(ErrorCode.INVALID_REQUEST, message));
    }

    // ---------------------------------------------------------------- heartbeat

    /**
     * A heartbeat that {@link #validate} accepted.
     *
     * @param generatedMemberId the member id for a v0 join without one
     */
    public Outcome heartbeat(ConsumerHeartbeat request, String generatedMemberId, TopicImage topics,
                             PartitionAssignors assignors, long now) {
        return heartbeat(request, generatedMemberId, topics, assignors, now, null);
    }

    /**
     * A heartbeat whose member's regular expression resolves only to the topics {@code visibleTopics}
     * accepts (Kafka resolves regexes to the topics the member may DESCRIBE); null accepts every topic.
     */
    public Outcome heartbeat(ConsumerHeartbeat request, String generatedMemberId, TopicImage topics,
                             PartitionAssignors assignors, long now, Predicate<String> visibleTopics) {
        int epoch = request.memberEpoch();
        if (epoch == ConsumerGroupMember.LEAVE_GROUP_MEMBER_EPOCH || epoch == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
            return leave(request, now);
        }
        String memberId = request.memberId().isEmpty() ? generatedMemberId : request.memberId();
        List<String> events = new ArrayList<>();
        ConsumerGroupMember existing;
        boolean joined = false;
        String replaced = null;
        if (request.instanceId() == null) {
            existing = members.get(memberId);
            if (existing == null) {
                if (epoch != 0) {
                    return failure(ErrorCode.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group "
                            + groupId + ".");
                }
                if (members.size() >= config.maxSize()) {
                    return failure(ErrorCode.GROUP_MAX_SIZE_REACHED, "The consumer group has reached its maximum capacity of "
                            + config.maxSize() + " members.");
                }
                existing = ConsumerGroupMember.joining(memberId, null);
                joined = true;
            } else if (epoch != 0) {
                Optional<Outcome> fenced = checkEpoch(existing, request);
                if (fenced.isPresent()) {
                    return fenced.get();
                }
            }
        } else {
            ConsumerGroupMember holder = staticMember(request.instanceId());
            if (epoch == 0) {
                if (holder == null) {
                    existing = members.get(memberId);
                    if (existing == null) {
                        if (members.size() >= config.maxSize()) {
                            return failure(ErrorCode.GROUP_MAX_SIZE_REACHED,
                                    "The consumer group has reached its maximum capacity of " + config.maxSize() + " members.");
                        }
                        existing = ConsumerGroupMember.joining(memberId, request.instanceId());
                        joined = true;
                    }
                } else if (holder.memberId().equals(memberId)
                        && holder.memberEpoch() != ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                    existing = holder;
                } else if (holder.memberEpoch() != ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                    return failure(ErrorCode.UNRELEASED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                            + request.instanceId() + " cannot join the group because the instance id is owned by "
                            + holder.memberId() + " member.");
                } else {
                    replaced = holder.memberId();
                    existing = replaceStaticMember(holder, memberId);
                    events.add("static member " + memberId + " with instance id " + request.instanceId()
                            + " replaced member " + replaced + " and keeps its partitions");
                }
            } else {
                if (holder == null) {
                    return failure(ErrorCode.UNKNOWN_MEMBER_ID, "Instance id " + request.instanceId() + " is unknown.");
                }
                if (!holder.memberId().equals(memberId)) {
                    return failure(ErrorCode.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                            + request.instanceId() + " was fenced by member " + holder.memberId() + ".");
                }
                existing = holder;
                Optional<Outcome> fenced = checkEpoch(existing, request);
                if (fenced.isPresent()) {
                    return fenced.get();
                }
            }
        }

        ConsumerGroupMember updated = existing.withSubscription(
                request.clientId(), request.clientHost(),
                request.rackId() != null ? request.rackId() : existing.rackId(),
                request.subscribedTopicNames() != null ? request.subscribedTopicNames() : existing.subscribedTopicNames(),
                request.subscribedTopicRegex() != null ? request.subscribedTopicRegex() : existing.subscribedTopicRegex(),
                request.serverAssignor() != null ? request.serverAssignor() : existing.serverAssignor(),
                request.rebalanceTimeoutMs() != -1 ? request.rebalanceTimeoutMs() : existing.rebalanceTimeoutMs());
        boolean bump = joined || !updated.sameSubscription(existing)
                || !java.util.Objects.equals(updated.serverAssignor(), existing.serverAssignor());
        if (joined) {
            events.add((updated.isStatic() ? "static member " + memberId + " with instance id " + updated.instanceId()
                    : "member " + memberId) + " joined");
        } else if (bump) {
            events.add("member " + memberId + " changed its subscription to " + describeSubscription(updated));
        }
        members.put(memberId, updated);
        if (joined || !updated.equals(existing)) {
            changedMembers.add(memberId);
        }
        resolveRegex(updated, topics, visibleTopics);

        long hash = subscriptionHash(topics);
        if (hash != subscriptionHash) {
            if (!bump && !members.isEmpty()) {
                events.add("the subscribed topics changed");
            }
            subscriptionHash = hash;
            bump = true;
        }
        if (bump) {
            groupEpoch++;
            events.add("group epoch " + groupEpoch);
        }
        boolean retargeted = false;
        if (groupEpoch > assignmentEpoch) {
            computeTargetAssignment(topics, assignors, events);
            retargeted = true;
        }

        ConsumerGroupMember reconciled = CurrentAssignmentBuilder.reconcile(updated, assignmentEpoch,
                targetOf(memberId), (topicId, p) -> owners.containsKey(new TopicIdPartition(topicId, p)),
                request.ownedPartitions());
        setMember(updated, reconciled);
        if (reconciled.memberEpoch() != updated.memberEpoch() || reconciled.state() != updated.state()) {
            events.add("member " + memberId + " is at epoch " + reconciled.memberEpoch() + " ("
                    + reconciled.state().name().toLowerCase(java.util.Locale.ROOT) + ") with "
                    + TopicPartitions.count(reconciled.assignedPartitions()) + " partition(s)");
        }
        sessionDeadlines.put(memberId, now + config.sessionTimeoutMs());
        if (reconciled.state() == MemberState.UNREVOKED_PARTITIONS) {
            if (updated.state() != MemberState.UNREVOKED_PARTITIONS
                    || !updated.partitionsPendingRevocation().equals(reconciled.partitionsPendingRevocation())) {
                revocationDeadlines.put(memberId, now + reconciled.rebalanceTimeoutMs());
            }
        } else {
            revocationDeadlines.remove(memberId);
        }
        boolean sendAssignment = epoch == 0 || request.isFull()
                || !reconciled.assignedPartitions().equals(existing.assignedPartitions());
        boolean changed = joined || replaced != null || bump || retargeted || !reconciled.equals(existing);
        return new Outcome(new ConsumerHeartbeatResult(ErrorCode.NONE, null, memberId, reconciled.memberEpoch(),
                config.heartbeatIntervalMs(), sendAssignment ? reconciled.assignedPartitions() : null), changed, events);
    }

    private Optional<Outcome> checkEpoch(ConsumerGroupMember member, ConsumerHeartbeat request) {
        int received = request.memberEpoch();
        if (received > member.memberEpoch()) {
            return Optional.of(failure(ErrorCode.FENCED_MEMBER_EPOCH, "The consumer group member has a greater member epoch ("
                    + received + ") than the one known by the group coordinator (" + member.memberEpoch()
                    + "). The member must abandon all its partitions and rejoin."));
        }
        if (received < member.memberEpoch()) {
            boolean lostAnswer = received == member.previousMemberEpoch() && request.ownedPartitions() != null
                    && TopicPartitions.isSubset(request.ownedPartitions(), member.assignedPartitions());
            if (!lostAnswer) {
                return Optional.of(failure(ErrorCode.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller member epoch ("
                        + received + ") than the one known by the group coordinator (" + member.memberEpoch()
                        + "). The member must abandon all its partitions and rejoin."));
            }
        }
        return Optional.empty();
    }

    /**
     * The successor of a static member that left temporarily: its partitions and the epoch it had before
     * leaving (Kafka restarts it at epoch 0, which leaves a successor that must revoke a partition
     * reporting owned partitions at epoch 0, a request Kafka itself calls invalid).
     */
    private ConsumerGroupMember replaceStaticMember(ConsumerGroupMember old, String newMemberId) {
        disown(old);
        members.remove(old.memberId());
        regexTopics.remove(old.memberId());
        removedMembers.add(old.memberId());
        changedMembers.remove(old.memberId());
        sessionDeadlines.remove(old.memberId());
        revocationDeadlines.remove(old.memberId());
        Map<UUID, Set<Integer>> oldTarget = target.remove(old.memberId());
        if (oldTarget != null) {
            target.put(newMemberId, oldTarget);
        }
        targetChanged = true;
        ConsumerGroupMember successor = new ConsumerGroupMember(newMemberId, old.instanceId(), old.rackId(), old.clientId(),
                old.clientHost(), old.subscribedTopicNames(), old.subscribedTopicRegex(), old.serverAssignor(),
                old.rebalanceTimeoutMs(), old.previousMemberEpoch(), old.previousMemberEpoch(),
                MemberState.UNRELEASED_PARTITIONS, old.assignedPartitions(), Map.of()); // reconciled from scratch
        members.put(newMemberId, successor);
        changedMembers.add(newMemberId);
        own(successor);
        return successor;
    }

    private Outcome leave(ConsumerHeartbeat request, long now) {
        String memberId = request.memberId();
        List<String> events = new ArrayList<>();
        ConsumerGroupMember member;
        if (request.instanceId() == null) {
            member = members.get(memberId);
            if (member == null) {
                return failure(ErrorCode.UNKNOWN_MEMBER_ID, "Member " + memberId + " is not a member of group " + groupId + ".");
            }
        } else {
            member = staticMember(request.instanceId());
            if (member == null) {
                return failure(ErrorCode.UNKNOWN_MEMBER_ID, "Instance id " + request.instanceId() + " is unknown.");
            }
            if (!member.memberId().equals(memberId)) {
                return failure(ErrorCode.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
                        + request.instanceId() + " was fenced by member " + member.memberId() + ".");
            }
            if (request.memberEpoch() == ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
                ConsumerGroupMember away = member.leftTemporarily();
                setMember(member, away);
                revocationDeadlines.remove(memberId);
                sessionDeadlines.put(memberId, now + config.sessionTimeoutMs());
                events.add("static member " + memberId + " with instance id " + member.instanceId()
                        + " left temporarily; its partitions wait for it for " + config.sessionTimeoutMs() + " ms");
                return new Outcome(new ConsumerHeartbeatResult(ErrorCode.NONE, null, memberId,
                        ConsumerGroupMember.LEAVE_GROUP_STATIC_MEMBER_EPOCH, 0, null), true, events);
            }
        }
        remove(member, "left the group", events);
        return new Outcome(new ConsumerHeartbeatResult(ErrorCode.NONE, null, memberId,
                ConsumerGroupMember.LEAVE_GROUP_MEMBER_EPOCH, 0, null), true, events);
    }

    private Outcome failure(ErrorCode error, String message) {
        return new Outcome(ConsumerHeartbeatResult.error(error, message), false, List.of());
    }

    // ---------------------------------------------------------------- deadlines

    /** The earliest session or revocation deadline, or {@link #NO_DEADLINE}. */
    public long nextDeadline() {
        long next = NO_DEADLINE;
        for (long d : sessionDeadlines.values()) {
            next = Math.min(next, d);
        }
        for (long d : revocationDeadlines.values()) {
            next = Math.min(next, d);
        }
        return next;
    }

    /** Removes the members whose session expired or who did not revoke in time. */
    public Outcome tick(long now) {
        List<String> events = new ArrayList<>();
        for (ConsumerGroupMember m : List.copyOf(members.values())) {
            if (sessionDeadlines.getOrDefault(m.memberId(), NO_DEADLINE) <= now) {
                remove(m, "was fenced: its session timed out after " + config.sessionTimeoutMs() + " ms", events);
            } else if (revocationDeadlines.getOrDefault(m.memberId(), NO_DEADLINE) <= now) {
                remove(m, "was fenced: it did not revoke " + m.partitionsPendingRevocation() + " within its rebalance timeout of "
                        + m.rebalanceTimeoutMs() + " ms", events);
            }
        }
        return new Outcome(null, !events.isEmpty(), events);
    }

    private void remove(ConsumerGroupMember member, String why, List<String> events) {
        disown(member);
        members.remove(member.memberId());
        regexTopics.remove(member.memberId());
        removedMembers.add(member.memberId());
        changedMembers.remove(member.memberId());
        target.remove(member.memberId());
        targetChanged = true;
        sessionDeadlines.remove(member.memberId());
        revocationDeadlines.remove(member.memberId());
        groupEpoch++;
        events.add("member " + member.memberId() + (member.isStatic() ? " (instance " + member.instanceId() + ")" : "")
                + " " + why + "; group epoch " + groupEpoch);
    }

    // ---------------------------------------------------------------- offsets

    /** Kafka's checks of an OffsetCommit against a consumer group (member epoch instead of generation). */
    public ErrorCode validateOffsetCommit(String memberId, int memberEpoch) {
        if (memberEpoch < 0 && (memberId == null || memberId.isEmpty())) {
            return ErrorCode.NONE; // an admin or a consumer with assign() commits without membership
        }
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch() ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
    }

    /** OffsetFetch v9+ with a member: the same checks. */
    public ErrorCode validateOffsetFetch(String memberId, int memberEpoch) {
        return validateOffsetCommit(memberId, memberEpoch);
    }

    /** Whether a member subscribes to the topic (OffsetDelete answers GROUP_SUBSCRIBED_TO_TOPIC then). */
    public boolean isSubscribedTo(Topic topic) {
        for (ConsumerGroupMember m : members.values()) {
            if (subscribes(m, topic)) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- description

    public ConsumerGroupDescription describe(PartitionAssignors assignors) {
        List<ConsumerGroupDescription.Member> described = new ArrayList<>();
        for (ConsumerGroupMember m : members.values()) {
            described.add(new ConsumerGroupDescription.Member(m, targetOf(m.memberId())));
        }
        return new ConsumerGroupDescription(groupId, state(), groupEpoch, assignmentEpoch, preferredAssignor(assignors).name(),
                described);
    }

    // ---------------------------------------------------------------- internals

    private ConsumerGroupMember staticMember(String instanceId) {
        for (ConsumerGroupMember m : members.values()) {
            if (instanceId.equals(m.instanceId())) {
                return m;
            }
        }
        return null;
    }

    private void setMember(ConsumerGroupMember before, ConsumerGroupMember after) {
        disown(before);
        members.put(after.memberId(), after);
        if (!after.equals(before)) {
            changedMembers.add(after.memberId());
        }
        own(after);
    }

    private void own(ConsumerGroupMember m) {
        forEachPartition(m.ownedPartitions(), tp -> owners.put(tp, m.memberId()));
    }

    private void disown(ConsumerGroupMember m) {
        forEachPartition(m.ownedPartitions(), tp -> owners.remove(tp, m.memberId()));
    }

    private static void forEachPartition(Map<UUID, Set<Integer>> partitions, java.util.function.Consumer<TopicIdPartition> action) {
        partitions.forEach((topicId, set) -> set.forEach(p -> action.accept(new TopicIdPartition(topicId, p))));
    }

    private PartitionAssignor preferredAssignor(PartitionAssignors assignors) {
        Map<String, Integer> votes = new TreeMap<>();
        for (ConsumerGroupMember m : members.values()) {
            if (m.serverAssignor() != null && assignors.find(m.serverAssignor()).isPresent()) {
                votes.merge(m.serverAssignor(), 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Comparator.comparingInt((Map.Entry<String, Integer> e) -> e.getValue())
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .flatMap(e -> assignors.find(e.getKey()))
                .orElse(assignors.defaultAssignor());
    }

    private void computeTargetAssignment(TopicImage topics, PartitionAssignors assignors, List<String> events) {
        PartitionAssignor assignor = preferredAssignor(assignors);
        Map<String, MemberSubscription> specMembers = new LinkedHashMap<>();
        Map<UUID, TopicMetadata> specTopics = new TreeMap<>();
        for (ConsumerGroupMember m : members.values()) {
            Set<UUID> subscribed = new TreeSet<>();
            for (Topic t : subscribedTopics(m, topics)) {
                subscribed.add(t.id());
                specTopics.put(t.id(), TopicMetadata.withPartitions(t.partitionCount()));
            }
            specMembers.put(m.memberId(), new MemberSubscription(Optional.ofNullable(m.instanceId()),
                    Optional.ofNullable(m.rackId()), subscribed, targetOf(m.memberId())));
        }
        GroupAssignment assignment = assignor.assign(new AssignmentSpec(specMembers, specTopics));
        target.clear();
        assignment.members().forEach((memberId, partitions) -> target.put(memberId, TopicPartitions.copy(partitions)));
        targetChanged = true;
        assignmentEpoch = groupEpoch;
        events.add("target assignment of epoch " + assignmentEpoch + " computed by " + assignor.name() + " for "
                + members.size() + " member(s) over " + specTopics.size() + " topic(s)");
    }

    /** The member's topics that exist: its names looked up, its regex matched against every topic. */
    private List<Topic> subscribedTopics(ConsumerGroupMember m, TopicImage topics) {
        Map<String, Topic> result = new TreeMap<>();
        for (String name : m.subscribedTopicNames()) {
            topics.find(name).ifPresent(t -> result.put(name, t));
        }
        if (m.subscribedTopicRegex() != null) {
            for (Topic t : topics.byName().values()) {
                if (subscribes(m, t)) {
                    result.put(t.name(), t);
                }
            }
        }
        return List.copyOf(result.values());
    }

    private boolean subscribes(ConsumerGroupMember m, Topic t) {
        if (m.subscribedTopicNames().contains(t.name())) {
            return true;
        }
        if (m.subscribedTopicRegex() == null || t.isInternal()) {
            return false;
        }
        Set<String> resolved = regexTopics.get(m.memberId());
        if (resolved != null) {
            return resolved.contains(t.name());
        }
        Optional<Predicate<String>> pattern = pattern(m.subscribedTopicRegex());
        return pattern.isPresent() && pattern.get().test(t.name());
    }

    /** Resolves the member's regex now, against the topics it may see, when its heartbeats bring a filter. */
    private void resolveRegex(ConsumerGroupMember m, TopicImage topics, Predicate<String> visibleTopics) {
        if (visibleTopics == null || m.subscribedTopicRegex() == null) {
            regexTopics.remove(m.memberId());
            return;
        }
        Set<String> resolved = new TreeSet<>();
        Optional<Predicate<String>> pattern = pattern(m.subscribedTopicRegex());
        if (pattern.isPresent()) {
            for (Topic t : topics.byName().values()) {
                if (!t.isInternal() && pattern.get().test(t.name()) && visibleTopics.test(t.name())) {
                    resolved.add(t.name());
                }
            }
        }
        regexTopics.put(m.memberId(), resolved);
    }

    /** The member's regex compiled once per group; one that does not compile (a stored one) matches nothing. */
    private Optional<Predicate<String>> pattern(String regex) {
        if (patterns.size() > 2 * members.size() + 16 && !patterns.containsKey(regex)) {
            patterns.clear(); // members that keep changing their regex must not grow the cache without bound
        }
        return patterns.computeIfAbsent(regex, r -> {
            try {
                return Optional.of(ClientRegex.compile(regexEngine, r));
            } catch (InvalidRegexException e) {
                return Optional.empty();
            }
        });
    }

    /** A hash of every subscribed topic's id, name and partition count: it changes when the group's topics do. */
    private long subscriptionHash(TopicImage topics) {
        // one pass over the members, one over the topics: O(members x names + topics x distinct regexes)
        Set<String> names = new TreeSet<>();
        Set<String> regexes = new TreeSet<>();
        for (ConsumerGroupMember m : members.values()) {
            names.addAll(m.subscribedTopicNames());
            Set<String> resolved = regexTopics.get(m.memberId());
            if (resolved != null && m.subscribedTopicRegex() != null) {
                names.addAll(resolved);
            } else if (m.subscribedTopicRegex() != null) {
                regexes.add(m.subscribedTopicRegex());
            }
        }
        List<Predicate<String>> compiled = new ArrayList<>();
        regexes.forEach(r -> pattern(r).ifPresent(compiled::add));
        long hash = 0xcbf29ce484222325L;
        for (Topic t : topics.byName().values()) {
            boolean subscribed = names.contains(t.name());
            if (!subscribed && !t.isInternal()) {
                for (Predicate<String> p : compiled) {
                    if (p.test(t.name())) {
                        subscribed = true;
                        break;
                    }
                }
            }
            if (subscribed) {
                String entry = t.id() + "/" + t.name() + "/" + t.partitionCount() + ";";
                for (int i = 0; i < entry.length(); i++) {
                    hash ^= entry.charAt(i);
                    hash *= 0x100000001b3L;
                }
            }
        }
        return hash;
    }

    private static String describeSubscription(ConsumerGroupMember m) {
        return m.subscribedTopicRegex() != null ? m.subscribedTopicNames() + " and regex " + m.subscribedTopicRegex()
                : m.subscribedTopicNames().toString();
    }
}
