package dev.pgkafka.domain.group;

import static dev.pgkafka.domain.group.GroupState.COMPLETING_REBALANCE;
import static dev.pgkafka.domain.group.GroupState.DEAD;
import static dev.pgkafka.domain.group.GroupState.EMPTY;
import static dev.pgkafka.domain.group.GroupState.PREPARING_REBALANCE;
import static dev.pgkafka.domain.group.GroupState.STABLE;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.pgkafka.domain.error.ErrorCode;

/**
 * A consumer group on Kafka's classic protocol: members join, the broker picks the protocol their
 * votes prefer, the leader's assignment goes out through SyncGroup, heartbeats keep members alive.
 * The rules are Kafka's (its {@code ClassicGroup} and the classic part of {@code GroupMetadataManager}),
 * restated here.
 *
 * <p>The aggregate is not thread-safe: its owner serialises the operations. It never waits and never
 * reads a clock. Each operation takes the current time and returns {@link GroupEffects}: answers for
 * JoinGroup and SyncGroup calls that were parked with it (a call is answered at once or later, when
 * the phase completes), and a write to make first. Timeouts are deadlines kept in the aggregate; the
 * owner calls {@link #tick} when {@link #nextDeadline()} has come.
 */
public final class ClassicGroup {
    /** "No deadline". */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** The protocol type of Kafka consumers, whose metadata the broker may read. */
    public static final String CONSUMER_PROTOCOL_TYPE = "consumer";
    /** A tick handles at most this many rounds of due deadlines; the rest waits for the next tick. */
    private static final int MAX_TICK_ROUNDS = 64;

    private final String groupId;
    private final GroupConfig config;
    private GroupState state;
    private GroupState previousState = DEAD;
    private long stateTimestamp;
    private String protocolType;
    private String protocolName;
    private int generationId;
    private String leaderId;
    private final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** group instance id to member id. */
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Members that got MEMBER_ID_REQUIRED and have not joined yet, with the deadline to do so. */
    private final Map<String, Long> pendingMembers = new LinkedHashMap<>();
    private final Set<String> pendingSyncMembers = new LinkedHashSet<>();
    /** How many members support each protocol. */
    private final Map<String, Integer> protocolSupport = new HashMap<>();
    /** The topics the members subscribe to (consumer protocol only), or null when unknown. */
    private Set<String> subscribedTopics;
    private boolean newMemberAdded;

    private long joinDeadline = NO_DEADLINE;
    /** Whether the join deadline is the initial rebalance delay (else the rebalance timeout). */
    private boolean initialJoinDelay;
    private int initialDelayMs;
    private int initialRemainingMs;
    private long syncDeadline = NO_DEADLINE;
    private int syncDeadlineGeneration;

    /** The leader's assignment while it is being written. */
    private Map<String, byte[]> pendingAssignment;
    /** A static member's rejoin while the replacement is being written. */
    private PendingStaticJoin pendingStaticJoin;

    private GroupEffects effects = new GroupEffects();

    private record PendingStaticJoin(String memberId, String previousLeaderId, boolean supportsSkipAssignment) {
    }

    /** A new, empty group. */
    public ClassicGroup(String groupId, GroupConfig config, long now) {
        this.groupId = Objects.requireNonNull(groupId, "group id");
        this.config = Objects.requireNonNull(config, "config");
        this.state = EMPTY;
        this.stateTimestamp = now;
    }

    /**
     * The group as it was persisted: stable with its members (who must heartbeat within their session
     * timeout from {@code now}, or rejoin), or empty.
     */
    public static ClassicGroup restore(GroupSnapshot snapshot, GroupConfig config, long now) {
        ClassicGroup group = new ClassicGroup(snapshot.groupId(), config, snapshot.stateTimestamp());
        group.protocolType = emptyToNull(snapshot.protocolType());
        group.protocolName = emptyToNull(snapshot.protocolName());
        group.generationId = snapshot.generationId();
        group.leaderId = emptyToNull(snapshot.leaderId());
        for (GroupSnapshot.Member m : snapshot.members()) {
            GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs(), m.sessionTimeoutMs(), group.protocolType,
                    List.of(new Protocol(group.protocolName, m.subscription())));
            member.assignment = m.assignment() == null ? GroupMember.NO_BYTES : m.assignment();
            member.heartbeatDeadline = now + m.sessionTimeoutMs();
            group.addMember(member, null);
        }
        if (!group.members.isEmpty()) {
            if (group.protocolName == null) {
                throw new IllegalArgumentException("group " + group.groupId + " has members but no protocol");
            }
            group.state = STABLE;
            if (group.leaderId == null || !group.members.containsKey(group.leaderId)) {
                group.leaderId = group.members.keySet().iterator().next();
            }
        } else {
            group.leaderId = null;
        }
        group.previousState = DEAD;
        group.subscribedTopics = group.computeSubscribedTopics();
        return group;
    }

    // ---------------------------------------------------------------- JoinGroup

    /**
     * A JoinGroup. The answer for {@code call} is in the returned effects, or in those of a later
     * operation (when the join phase completes).
     *
     * @param newMemberId the id to give the member if it is new (the caller makes it unique, e.g.
     *                    client id + "-" + UUID as Kafka does)
     */
    public GroupEffects join(JoinRequest request, String newMemberId, ParkedCall call, long now) {
        begin();
        if (request.memberId().isEmpty()) {
            joinNewMember(request, newMemberId, call, now);
        } else {
            joinExistingMember(request, call, now);
        }
        return end();
    }

    private void joinNewMember(JoinRequest request, String newMemberId, ParkedCall call, long now) {
        if (state == DEAD) {
            effects.answerJoin(call, JoinResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE, ""));
        } else if (!supportsProtocols(request.protocolType(), request.protocols())) {
            effects.answerJoin(call, JoinResult.error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ""));
        } else if (request.groupInstanceId() != null && staticMembers.containsKey(request.groupInstanceId())) {
            replaceStaticMember(request, staticMembers.get(request.groupInstanceId()), newMemberId, call, now);
        } else if (isFull()) {
            effects.answerJoin(call, JoinResult.error(ErrorCode.GROUP_MAX_SIZE_REACHED, ""));
        } else if (request.groupInstanceId() != null) {
            addMemberThenRebalanceOrCompleteJoin(request, newMemberId, call, now);
        } else if (request.requireKnownMemberId()) {
            // the member must come back with this id; until then it holds up the join phase
            pendingMembers.put(newMemberId, now + request.sessionTimeoutMs());
            effects.answerJoin(call, JoinResult.error(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
        } else {
            addMemberThenRebalanceOrCompleteJoin(request, newMemberId, call, now);
        }
    }

    /**
     * Whether a new member would make the group larger than {@code group.max.size}; members told
     * MEMBER_ID_REQUIRED count until they join or their deadline passes, as in Kafka.
     */
    private boolean isFull() {
        return (long) members.size() + pendingMembers.size() >= config.maxSize();
    }

    private void joinExistingMember(JoinRequest request, ParkedCall call, long now) {
        String memberId = request.memberId();
        if (state == DEAD) {
            effects.answerJoin(call, JoinResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
            return;
        }
        if (!supportsProtocols(request.protocolType(), request.protocols())) {
            effects.answerJoin(call, JoinResult.error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        if (pendingMembers.containsKey(memberId)) {
            if (request.groupInstanceId() != null) {
                // pending members are dynamic by construction; Kafka treats this as a broken invariant
                effects.answerJoin(call, JoinResult.error(ErrorCode.UNKNOWN_SERVER_ERROR, memberId));
                return;
            }
            addMemberThenRebalanceOrCompleteJoin(request, memberId, call, now);
            return;
        }
        ErrorCode invalid = validateMember(memberId, request.groupInstanceId());
        if (invalid != ErrorCode.NONE) {
            effects.answerJoin(call, JoinResult.error(invalid, memberId));
            return;
        }
        GroupMember member = members.get(memberId);
        switch (state) {
            case PREPARING_REBALANCE -> updateMemberThenRebalanceOrCompleteJoin(request, member, call, now);
            case COMPLETING_REBALANCE -> {
                if (member.matches(request.protocols())) {
                    // the member lost our answer: tell it again
                    effects.answerJoin(call, currentGeneration(member, isLeader(memberId), false, leaderId));
                } else {
                    updateMemberThenRebalanceOrCompleteJoin(request, member, call, now);
                }
            }
            case STABLE -> {
                if (isLeader(memberId) || !member.matches(request.protocols())) {
                    // the leader rejoins to make the group reassign (e.g. new partitions); a changed
                    // subscription needs a new assignment too
                    updateMemberThenRebalanceOrCompleteJoin(request, member, call, now);
                } else {
                    effects.answerJoin(call, currentGeneration(member, false, false, leaderId));
                }
            }
            default -> effects.answerJoin(call, JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private void addMemberThenRebalanceOrCompleteJoin(JoinRequest request, String memberId, ParkedCall call, long now) {
        GroupMember member = new GroupMember(memberId, request.groupInstanceId(), request.clientId(),
                request.clientHost(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), request.protocolType(),
                request.protocols());
        member.isNew = true;
        if (state == PREPARING_REBALANCE && previousState == EMPTY) {
            // the initial rebalance waits a little longer for each member that arrives
            newMemberAdded = true;
        }
        addMember(member, call);
        // the session timeout cannot apply while the member has no id to heartbeat with
        member.heartbeatDeadline = now + config.newMemberJoinTimeoutMs();
        maybePrepareRebalanceOrCompleteJoin(now);
    }

    private void updateMemberThenRebalanceOrCompleteJoin(JoinRequest request, GroupMember member, ParkedCall call,
                                                         long now) {
        updateMember(member, request.protocols(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), call);
        maybePrepareRebalanceOrCompleteJoin(now);
    }

    /** A static member rejoined without its member id (it restarted): it takes over its old place. */
    private void replaceStaticMember(JoinRequest request, String oldMemberId, String newMemberId, ParkedCall call,
                                     long now) {
        String previousLeader = leaderId;
        GroupMember old = members.remove(oldMemberId);
        // whoever still waits under the old id is a duplicate of this instance: fence it
        effects.answerJoin(old.joinCall, JoinResult.error(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
        effects.answerSync(old.syncCall, SyncResult.error(ErrorCode.FENCED_INSTANCE_ID));
        old.joinCall = null;
        old.syncCall = null;

        GroupMember replacement = new GroupMember(newMemberId, old.groupInstanceId, old.clientId, old.clientHost,
                old.rebalanceTimeoutMs, old.sessionTimeoutMs, old.protocolType, old.protocols);
        replacement.assignment = old.assignment;
        members.put(newMemberId, replacement);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        staticMembers.put(old.groupInstanceId, newMemberId);
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
        replacement.heartbeatDeadline = now + replacement.sessionTimeoutMs;
        updateMember(replacement, request.protocols(), request.rebalanceTimeoutMs(), request.sessionTimeoutMs(), call);

        switch (state) {
            case STABLE -> {
                if (Objects.equals(protocolName, selectProtocol())) {
                    // nothing changes for the group: store the new id, then give the member its place back
                    pendingStaticJoin = new PendingStaticJoin(newMemberId, previousLeader,
                            request.supportsSkipAssignment());
                    effects.requestWrite(GroupWrite.STATIC_MEMBER_REPLACED);
                } else {
                    maybePrepareRebalanceOrCompleteJoin(now);
                }
            }
            // the leader may already be assigning for the old id: start over
            case COMPLETING_REBALANCE -> prepareRebalance(now);
            default -> maybeCompleteJoinPhase(now);
        }
    }

    // ---------------------------------------------------------------- SyncGroup

    /** A SyncGroup. The answer for {@code call} is in the returned effects or those of a later operation. */
    public GroupEffects sync(SyncRequest request, ParkedCall call, long now) {
        begin();
        String memberId = request.memberId();
        ErrorCode invalid = validateSync(request);
        if (invalid != ErrorCode.NONE) {
            effects.answerSync(call, SyncResult.error(invalid));
        } else if (state == PREPARING_REBALANCE) {
            effects.answerSync(call, SyncResult.error(ErrorCode.REBALANCE_IN_PROGRESS));
        } else if (state == COMPLETING_REBALANCE) {
            GroupMember member = members.get(memberId);
            if (member.syncCall != null && member.syncCall != call) {
                effects.answerSync(member.syncCall, SyncResult.error(ErrorCode.REBALANCE_IN_PROGRESS));
            }
            member.syncCall = call;
            removePendingSyncMember(memberId);
            if (isLeader(memberId)) {
                Map<String, byte[]> assignment = new LinkedHashMap<>();
                for (String id : members.keySet()) {
                    byte[] given = request.assignments().get(id);
                    assignment.put(id, given == null ? GroupMember.NO_BYTES : given);
                }
                pendingAssignment = assignment;
                effects.requestWrite(GroupWrite.ASSIGNMENT);
            }
        } else if (state == STABLE) {
            removePendingSyncMember(memberId);
            GroupMember member = members.get(memberId);
            effects.answerSync(call, new SyncResult(ErrorCode.NONE, protocolType, protocolName, member.assignment));
        }
        return end();
    }

    private ErrorCode validateSync(SyncRequest request) {
        if (state == EMPTY) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        if (state == DEAD) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        ErrorCode invalid = validateMember(request.memberId(), request.groupInstanceId());
        if (invalid != ErrorCode.NONE) {
            return invalid;
        }
        if (request.generationId() != generationId) {
            return ErrorCode.ILLEGAL_GENERATION;
        }
        if (inconsistent(request.protocolType(), protocolType) || inconsistent(request.protocolName(), protocolName)) {
            return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
        }
        return ErrorCode.NONE;
    }

    private static boolean inconsistent(String requested, String actual) {
        return requested != null && actual != null && !requested.equals(actual);
    }

    /**
     * The write the last operation asked for is done ({@code stored}) or failed. Hands out what
     * waited for it: the assignment (or, on failure, an error and a new rebalance), or a static
     * member's rejoin answer.
     */
    public GroupEffects written(GroupWrite write, boolean stored, long now) {
        begin();
        switch (write) {
            case ASSIGNMENT -> {
                Map<String, byte[]> assignment = pendingAssignment;
                pendingAssignment = null;
                if (assignment != null && state == COMPLETING_REBALANCE) {
                    if (stored) {
                        for (GroupMember m : members.values()) {
                            m.assignment = assignment.getOrDefault(m.memberId, GroupMember.NO_BYTES);
                        }
                        propagateAssignment(ErrorCode.NONE, now);
                        transitionTo(STABLE, now);
                    } else {
                        resetAndPropagateAssignmentWithError(ErrorCode.COORDINATOR_NOT_AVAILABLE, now);
                        maybePrepareRebalanceOrCompleteJoin(now);
                    }
                }
            }
            case STATIC_MEMBER_REPLACED -> {
                PendingStaticJoin pending = pendingStaticJoin;
                pendingStaticJoin = null;
                GroupMember member = pending == null ? null : members.get(pending.memberId());
                if (member != null && member.joinCall != null) {
                    ParkedCall call = member.joinCall;
                    member.joinCall = null;
                    if (!stored) {
                        // the restarted instance finds the coordinator again and rejoins
                        effects.answerJoin(call, JoinResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE, ""));
                    } else if (pending.supportsSkipAssignment()) {
                        boolean leader = isLeader(member.memberId);
                        effects.answerJoin(call, currentGeneration(member, leader, leader, leaderId));
                    } else {
                        // older clients: name the previous leader id, so that a rejoining leader acts as
                        // a follower and simply fetches its assignment
                        effects.answerJoin(call, currentGeneration(member, false, false, pending.previousLeaderId()));
                    }
                }
            }
            case CREATED, EMPTIED -> {
                // nothing waits for these
            }
        }
        return end();
    }

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup

    /** A Heartbeat: keeps the member's session alive and tells it whether to rejoin. */
    public ErrorCode heartbeat(String memberId, String groupInstanceId, int generation, long now) {
        if (state == DEAD) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        ErrorCode invalid = validateMember(memberId, groupInstanceId);
        if (invalid != ErrorCode.NONE) {
            return invalid;
        }
        if (generation != generationId) {
            return ErrorCode.ILLEGAL_GENERATION;
        }
        return switch (state) {
            case EMPTY -> ErrorCode.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                rescheduleHeartbeat(members.get(memberId), now);
                yield ErrorCode.REBALANCE_IN_PROGRESS;
            }
            default -> {
                // members heartbeat after their JoinGroup answer while the leader assigns: that counts
                rescheduleHeartbeat(members.get(memberId), now);
                yield ErrorCode.NONE;
            }
        };
    }

    /** The outcome of an operation with a direct result. */
    public record Outcome<R>(R result, GroupEffects effects) {
    }

    /** A LeaveGroup of one or more members (several from v3; by instance id for administrators). */
    public Outcome<LeaveResult> leave(List<MemberIdentity> leaving, long now) {
        begin();
        if (state == DEAD) {
            return new Outcome<>(new LeaveResult(ErrorCode.COORDINATOR_NOT_AVAILABLE, List.of()), end());
        }
        List<ErrorCode> errors = new ArrayList<>(leaving.size());
        boolean anyLeft = false;
        for (MemberIdentity m : leaving) {
            ErrorCode error;
            if (m.memberId().isEmpty()) {
                String staticId = m.groupInstanceId() == null ? null : staticMembers.get(m.groupInstanceId());
                if (staticId != null) {
                    removeLeavingMember(staticId);
                    error = ErrorCode.NONE;
                } else {
                    error = ErrorCode.UNKNOWN_MEMBER_ID;
                }
            } else if (pendingMembers.containsKey(m.memberId())) {
                pendingMembers.remove(m.memberId());
                error = ErrorCode.NONE;
            } else {
                error = validateMember(m.memberId(), m.groupInstanceId());
                if (error == ErrorCode.NONE) {
                    removeLeavingMember(m.memberId());
                }
            }
            anyLeft |= error == ErrorCode.NONE;
            errors.add(error);
        }
        if (anyLeft) {
            switch (state) {
                case STABLE, COMPLETING_REBALANCE -> maybePrepareRebalanceOrCompleteJoin(now);
                case PREPARING_REBALANCE -> maybeCompleteJoinPhase(now);
                default -> {
                }
            }
        }
        return new Outcome<>(new LeaveResult(ErrorCode.NONE, errors), end());
    }

    private void removeLeavingMember(String memberId) {
        GroupMember member = members.get(memberId);
        // a new member may still wait in the join phase: tell it to start over
        effects.answerJoin(member.joinCall, JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
        member.joinCall = null;
        removeMember(memberId);
    }

    // ---------------------------------------------------------------- timeouts

    /**
     * Handles every deadline that has come by {@code now}: members without a heartbeat in their
     * session timeout, members that never came back after MEMBER_ID_REQUIRED, the end of the join
     * phase (rebalance timeout or initial delay), members that never sent SyncGroup.
     */
    public GroupEffects tick(long now) {
        begin();
        for (int round = 0; round < MAX_TICK_ROUNDS; round++) {
            boolean progressed = false;
            for (Map.Entry<String, Long> pending : List.copyOf(pendingMembers.entrySet())) {
                if (pending.getValue() <= now && pendingMembers.remove(pending.getKey()) != null) {
                    progressed = true;
                    if (state == PREPARING_REBALANCE && hasAllMembersJoined()) {
                        completeJoin(now);
                    }
                }
            }
            for (GroupMember member : List.copyOf(members.values())) {
                if (member.heartbeatDeadline <= now && members.get(member.memberId) == member) {
                    progressed = true;
                    if (member.hasSatisfiedHeartbeat()) {
                        member.heartbeatDeadline = NO_DEADLINE;
                    } else {
                        expireMember(member, now);
                    }
                }
            }
            if (joinDeadline <= now) {
                progressed = true;
                if (initialJoinDelay) {
                    completeInitialRebalanceOrWait(now);
                } else {
                    completeJoin(now);
                }
            }
            if (syncDeadline <= now) {
                progressed = true;
                syncDeadline = NO_DEADLINE;
                expirePendingSync(now);
            }
            if (!progressed) {
                break;
            }
        }
        return end();
    }

    /** The earliest deadline, or {@link #NO_DEADLINE}. */
    public long nextDeadline() {
        long next = Math.min(joinDeadline, syncDeadline);
        for (long d : pendingMembers.values()) {
            next = Math.min(next, d);
        }
        for (GroupMember m : members.values()) {
            next = Math.min(next, m.heartbeatDeadline);
        }
        return next;
    }

    private void expireMember(GroupMember member, long now) {
        effects.answerJoin(member.joinCall, JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
        member.joinCall = null;
        removeMember(member.memberId);
        if (state == STABLE || state == COMPLETING_REBALANCE) {
            maybePrepareRebalanceOrCompleteJoin(now);
        } else if (state == PREPARING_REBALANCE && hasAllMembersJoined()) {
            completeJoin(now);
        }
    }

    private void completeInitialRebalanceOrWait(long now) {
        if (newMemberAdded && initialRemainingMs != 0) {
            newMemberAdded = false;
            int delay = Math.min(config.initialRebalanceDelayMs(), initialRemainingMs);
            int remaining = Math.max(initialRemainingMs - initialDelayMs, 0);
            initialDelayMs = delay;
            initialRemainingMs = remaining;
            joinDeadline = now + delay;
        } else {
            completeJoin(now);
        }
    }

    private void expirePendingSync(long now) {
        if (syncDeadlineGeneration != generationId) {
            return;
        }
        if ((state == COMPLETING_REBALANCE || state == STABLE) && !pendingSyncMembers.isEmpty()) {
            for (String memberId : List.copyOf(pendingSyncMembers)) {
                removeMember(memberId);
            }
            prepareRebalance(now);
        }
    }

    // ---------------------------------------------------------------- the rebalance

    private void maybePrepareRebalanceOrCompleteJoin(long now) {
        if (canRebalance()) {
            prepareRebalance(now);
        } else {
            maybeCompleteJoinPhase(now);
        }
    }

    private boolean canRebalance() {
        return PREPARING_REBALANCE.validPrevious().contains(state);
    }

    private void prepareRebalance(long now) {
        if (state == COMPLETING_REBALANCE) {
            // followers waiting for their assignment must rejoin
            resetAndPropagateAssignmentWithError(ErrorCode.REBALANCE_IN_PROGRESS, now);
        }
        pendingSyncMembers.clear();
        syncDeadline = NO_DEADLINE;
        boolean initial = state == EMPTY;
        if (initial) {
            initialJoinDelay = true;
            initialDelayMs = config.initialRebalanceDelayMs();
            initialRemainingMs = Math.max(rebalanceTimeoutMs() - config.initialRebalanceDelayMs(), 0);
            joinDeadline = now + initialDelayMs;
        }
        transitionTo(PREPARING_REBALANCE, now);
        if (!initial) {
            if (hasAllMembersJoined()) {
                completeJoin(now);
            } else {
                initialJoinDelay = false;
                joinDeadline = now + rebalanceTimeoutMs();
            }
        }
    }

    private void maybeCompleteJoinPhase(long now) {
        // the initial rebalance ends only when its delay is over
        if (state == PREPARING_REBALANCE && previousState != EMPTY && hasAllMembersJoined()) {
            completeJoin(now);
        }
    }

    private void completeJoin(long now) {
        joinDeadline = NO_DEADLINE;
        initialJoinDelay = false;
        for (GroupMember m : List.copyOf(members.values())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                // dynamic members that did not rejoin in time are out; static ones keep their place
                removeMember(m.memberId);
            }
        }
        if (state == DEAD) {
            return;
        }
        if (!maybeElectNewJoinedLeader() && !members.isEmpty()) {
            // only static members are left and none rejoined: wait another rebalance timeout
            joinDeadline = now + rebalanceTimeoutMs();
            return;
        }
        initNextGeneration(now);
        if (state == EMPTY) {
            effects.requestWrite(GroupWrite.EMPTIED);
            return;
        }
        List<JoinResult.JoinedMember> all = currentMembers();
        for (GroupMember m : members.values()) {
            boolean leader = isLeader(m.memberId);
            if (m.joinCall != null) {
                effects.answerJoin(m.joinCall, new JoinResult(ErrorCode.NONE, generationId, protocolType, protocolName,
                        leaderId, false, m.memberId, leader ? all : List.of()));
                m.joinCall = null;
            }
            rescheduleHeartbeat(m, now);
            m.isNew = false;
            pendingSyncMembers.add(m.memberId);
        }
        syncDeadline = now + rebalanceTimeoutMs();
        syncDeadlineGeneration = generationId;
    }

    /** Keeps the leader if it rejoined, else picks a member that did; false when none did. */
    private boolean maybeElectNewJoinedLeader() {
        if (leaderId == null) {
            return false;
        }
        GroupMember leader = members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId;
                return true;
            }
        }
        return false;
    }

    private void initNextGeneration(long now) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            subscribedTopics = computeSubscribedTopics();
            transitionTo(COMPLETING_REBALANCE, now);
        } else {
            protocolName = null;
            subscribedTopics = computeSubscribedTopics();
            transitionTo(EMPTY, now);
        }
        pendingSyncMembers.clear();
    }

    private void resetAndPropagateAssignmentWithError(ErrorCode error, long now) {
        for (GroupMember m : members.values()) {
            m.assignment = GroupMember.NO_BYTES;
        }
        propagateAssignment(error, now);
    }

    private void propagateAssignment(ErrorCode error, long now) {
        for (GroupMember m : members.values()) {
            if (m.syncCall != null) {
                effects.answerSync(m.syncCall, error == ErrorCode.NONE
                        ? new SyncResult(ErrorCode.NONE, protocolType, protocolName, m.assignment)
                        : SyncResult.error(error));
                m.syncCall = null;
                // the member's session restarts with its answer
                rescheduleHeartbeat(m, now);
            }
        }
    }

    private void removePendingSyncMember(String memberId) {
        pendingSyncMembers.remove(memberId);
        if (state != COMPLETING_REBALANCE && state != STABLE || pendingSyncMembers.isEmpty()) {
            syncDeadline = NO_DEADLINE;
        }
    }

    /**
     * The protocol every member supports that most members prefer. Ties go to the protocol the
     * leader (then the earliest member) prefers, so the choice is deterministic.
     */
    private String selectProtocol() {
        if (members.isEmpty()) {
            throw new IllegalStateException("cannot select a protocol for empty group " + groupId);
        }
        Set<String> candidates = new LinkedHashSet<>();
        List<GroupMember> ordered = new ArrayList<>(members.values());
        if (leaderId != null && members.containsKey(leaderId)) {
            ordered.remove(members.get(leaderId));
            ordered.addFirst(members.get(leaderId));
        }
        for (String name : ordered.getFirst().protocolNames()) {
            if (protocolSupport.getOrDefault(name, 0) == members.size()) {
                candidates.add(name);
            }
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (GroupMember m : ordered) {
            votes.merge(m.vote(candidates), 1, Integer::sum);
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    private boolean supportsProtocols(String memberProtocolType, List<Protocol> memberProtocols) {
        if (state == EMPTY) {
            return !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        for (Protocol p : memberProtocols) {
            if (protocolSupport.getOrDefault(p.name(), 0) == members.size()) {
                return true;
            }
        }
        return false;
    }

    private boolean hasAllMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (GroupMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    /** The longest rebalance timeout of the members. */
    private int rebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    // ---------------------------------------------------------------- members

    private void addMember(GroupMember member, ParkedCall call) {
        if (member.groupInstanceId != null) {
            if (staticMembers.containsKey(member.groupInstanceId)) {
                throw new IllegalStateException("static member " + member.groupInstanceId + " is already in group "
                        + groupId);
            }
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (members.isEmpty()) {
            protocolType = member.protocolType;
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
        members.put(member.memberId, member);
        countProtocols(member, 1);
        member.joinCall = call;
        pendingMembers.remove(member.memberId);
    }

    private void updateMember(GroupMember member, List<Protocol> protocols, int rebalanceTimeoutMs, int sessionTimeoutMs,
                              ParkedCall call) {
        countProtocols(member, -1);
        member.protocols = List.copyOf(protocols);
        countProtocols(member, 1);
        member.rebalanceTimeoutMs = rebalanceTimeoutMs;
        member.sessionTimeoutMs = sessionTimeoutMs;
        if (member.joinCall != null && member.joinCall != call) {
            // a retry on another connection replaces a JoinGroup nobody listens to any more
            effects.answerJoin(member.joinCall, JoinResult.error(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId));
        }
        member.joinCall = call;
    }

    /**
     * Removes a member. Calls it still has parked are answered UNKNOWN_MEMBER_ID, so that nothing
     * waits for a member that is gone.
     */
    private void removeMember(String memberId) {
        GroupMember removed = members.remove(memberId);
        if (removed != null) {
            countProtocols(removed, -1);
            if (removed.groupInstanceId != null) {
                staticMembers.remove(removed.groupInstanceId, memberId);
            }
            effects.answerJoin(removed.joinCall, JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
            effects.answerSync(removed.syncCall, SyncResult.error(ErrorCode.UNKNOWN_MEMBER_ID));
            removed.joinCall = null;
            removed.syncCall = null;
            removed.heartbeatDeadline = NO_DEADLINE;
        }
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
        pendingMembers.remove(memberId);
        pendingSyncMembers.remove(memberId);
    }

    private void countProtocols(GroupMember member, int delta) {
        for (Protocol p : member.protocols) {
            protocolSupport.merge(p.name(), delta, Integer::sum);
        }
    }

    private void rescheduleHeartbeat(GroupMember member, long now) {
        if (member != null) {
            member.heartbeatDeadline = now + member.sessionTimeoutMs;
        }
    }

    /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID when the (static) member is not who it claims to be. */
    private ErrorCode validateMember(String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String current = staticMembers.get(groupInstanceId);
            if (current == null) {
                return ErrorCode.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return ErrorCode.FENCED_INSTANCE_ID;
            }
        }
        return members.containsKey(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }

    private boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    private List<JoinResult.JoinedMember> currentMembers() {
        List<JoinResult.JoinedMember> list = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            list.add(new JoinResult.JoinedMember(m.memberId, m.groupInstanceId, m.metadata(protocolName)));
        }
        return list;
    }

    private JoinResult currentGeneration(GroupMember member, boolean withMembers, boolean skipAssignment,
                                         String leader) {
        return new JoinResult(ErrorCode.NONE, generationId, protocolType, protocolName, leader, skipAssignment,
                member.memberId, withMembers ? currentMembers() : List.of());
    }

    private void transitionTo(GroupState target, long now) {
        if (!target.validPrevious().contains(state)) {
            throw new IllegalStateException("group " + groupId + " cannot go from " + state + " to " + target);
        }
        previousState = state;
        state = target;
        stateTimestamp = now;
    }

    private Set<String> computeSubscribedTopics() {
        if (!CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return null;
        }
        if (members.isEmpty()) {
            return Set.of();
        }
        if (protocolName == null) {
            return null;
        }
        Set<String> topics = new LinkedHashSet<>();
        for (GroupMember m : members.values()) {
            List<String> subscribed = ConsumerProtocol.subscribedTopics(m.metadata(protocolName));
            if (subscribed == null) {
                return null;
            }
            topics.addAll(subscribed);
        }
        return Collections.unmodifiableSet(topics);
    }

    // ---------------------------------------------------------------- offsets, admin, persistence

    /**
     * Whether an OffsetCommit of this member may be stored: Kafka's rules for members, and for
     * consumers that commit without membership ({@code assign()}), which may only commit while the
     * group is empty.
     */
    public ErrorCode validateOffsetCommit(String memberId, String groupInstanceId, int generation) {
        if (state == DEAD) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && state == EMPTY) {
            return ErrorCode.NONE;
        }
        if (generation >= 0 || !memberId.isEmpty() || groupInstanceId != null) {
            ErrorCode invalid = validateMember(memberId, groupInstanceId);
            if (invalid != ErrorCode.NONE) {
                return invalid;
            }
            if (generation != generationId) {
                return ErrorCode.ILLEGAL_GENERATION;
            }
        } else if (state != EMPTY) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        if (state == COMPLETING_REBALANCE) {
            return ErrorCode.REBALANCE_IN_PROGRESS;
        }
        return ErrorCode.NONE;
    }

    /** A member's offsets were stored: in a stable or rebalancing group that counts as a heartbeat. */
    public void offsetsCommitted(String memberId, long now) {
        if (state == STABLE || state == PREPARING_REBALANCE) {
            rescheduleHeartbeat(members.get(memberId), now);
        }
    }

    /** NONE when the group may be deleted (it is empty), else Kafka's error. */
    public ErrorCode validateDelete() {
        return switch (state) {
            case DEAD -> ErrorCode.GROUP_ID_NOT_FOUND;
            case EMPTY -> ErrorCode.NONE;
            default -> ErrorCode.NON_EMPTY_GROUP;
        };
    }

    /** NONE when offsets of the group may be deleted (per topic, see {@link #isSubscribedToTopic}). */
    public ErrorCode validateOffsetDelete() {
        return switch (state) {
            case DEAD -> ErrorCode.GROUP_ID_NOT_FOUND;
            case EMPTY -> ErrorCode.NONE;
            default -> usesConsumerProtocol() ? ErrorCode.NONE : ErrorCode.NON_EMPTY_GROUP;
        };
    }

    /** Whether the members consume the topic; when the broker cannot tell, consumer groups count as subscribed. */
    public boolean isSubscribedToTopic(String topic) {
        return subscribedTopics != null ? subscribedTopics.contains(topic) : usesConsumerProtocol();
    }

    /** The group is deleted (its storage is gone); every later request is turned away. */
    public GroupEffects markDead(long now) {
        begin();
        shutdownCalls(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        transitionTo(DEAD, now);
        joinDeadline = NO_DEADLINE;
        syncDeadline = NO_DEADLINE;
        pendingMembers.clear();
        for (GroupMember m : members.values()) {
            m.heartbeatDeadline = NO_DEADLINE;
        }
        return end();
    }

    /** Answers every parked call with {@code error}, e.g. NOT_COORDINATOR when the broker shuts down. */
    public GroupEffects releaseParkedCalls(ErrorCode error) {
        begin();
        shutdownCalls(error);
        return end();
    }

    private void shutdownCalls(ErrorCode error) {
        for (GroupMember m : members.values()) {
            effects.answerJoin(m.joinCall, JoinResult.error(error, m.memberId));
            effects.answerSync(m.syncCall, SyncResult.error(error));
            m.joinCall = null;
            m.syncCall = null;
        }
    }

    /** What to persist now; see {@link GroupSnapshot} for what restores from it. */
    public GroupSnapshot snapshot() {
        List<GroupSnapshot.Member> persisted = new ArrayList<>();
        if (state == STABLE || state == COMPLETING_REBALANCE) {
            for (GroupMember m : members.values()) {
                byte[] assignment = pendingAssignment != null
                        ? pendingAssignment.getOrDefault(m.memberId, GroupMember.NO_BYTES) : m.assignment;
                persisted.add(new GroupSnapshot.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                        m.sessionTimeoutMs, m.rebalanceTimeoutMs, m.metadata(protocolName), assignment));
            }
        }
        boolean withMembers = !persisted.isEmpty();
        return new GroupSnapshot(groupId, protocolType, withMembers ? protocolName : null,
                generationId, withMembers ? leaderId : null, stateTimestamp, persisted);
    }

    /** The group as DescribeGroups shows it. */
    public GroupDescription describe() {
        boolean stable = state == STABLE;
        List<GroupDescription.Member> list = new ArrayList<>(members.size());
        for (GroupMember m : members.values()) {
            list.add(new GroupDescription.Member(m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
                    stable ? m.metadata(protocolName) : GroupMember.NO_BYTES,
                    stable ? m.assignment : GroupMember.NO_BYTES));
        }
        return new GroupDescription(groupId, state, protocolType == null ? "" : protocolType,
                stable ? protocolName : "", generationId, list);
    }

    private boolean usesConsumerProtocol() {
        return CONSUMER_PROTOCOL_TYPE.equals(protocolType);
    }

    public String groupId() {
        return groupId;
    }

    public GroupState state() {
        return state;
    }

    /** When the group entered its current state, in epoch milliseconds. */
    public long stateTimestamp() {
        return stateTimestamp;
    }

    /** The protocol type, or null for a group that never had a member. */
    public String protocolType() {
        return protocolType;
    }

    /** The protocol of the current generation, or null. */
    public String protocolName() {
        return protocolName;
    }

    public int generationId() {
        return generationId;
    }

    /** The leader's member id, or null. */
    public String leaderId() {
        return leaderId;
    }

    public Set<String> memberIds() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(members.keySet()));
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    /** The member's current assignment (no bytes when it has none). */
    public byte[] assignment(String memberId) {
        GroupMember m = members.get(memberId);
        return m == null ? GroupMember.NO_BYTES : m.assignment;
    }

    @Override
    public String toString() {
        return "group " + groupId + " (" + state.kafkaName() + ", generation " + generationId + ", " + members.size()
                + " member(s))";
    }

    private void begin() {
        effects = new GroupEffects();
    }

    private GroupEffects end() {
        GroupEffects done = effects;
        effects = new GroupEffects();
        return done;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
