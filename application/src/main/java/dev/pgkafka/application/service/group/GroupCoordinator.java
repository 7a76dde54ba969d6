package dev.pgkafka.application.service.group;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.ParkedTime;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.GroupStorePort;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.service.StorageFailures;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.ClassicGroup;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.ConsumerProtocol;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.GroupEffects;
import dev.pgkafka.domain.group.GroupSnapshot;
import dev.pgkafka.domain.group.GroupState;
import dev.pgkafka.domain.group.GroupWrite;
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.LeaveResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.OffsetRetention;
import dev.pgkafka.domain.group.ParkedCall;
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * The group coordinator for every group (this is a single-broker system): classic groups in memory,
 * one lock per group, metadata and offsets in storage.
 *
 * <ul>
 *   <li>Every operation on a group runs under the group's lock, storage writes included, so the
 *       group's state and what is stored never disagree and concurrent joins and leaves are
 *       serialised (no lost member, no spurious UNKNOWN_MEMBER_ID).</li>
 *   <li>JoinGroup and SyncGroup park the caller (a virtual thread) on a future that the group
 *       completes when the phase ends; the lock is not held while waiting.</li>
 *   <li>Deadlines (sessions, rebalance and sync timeouts, the initial delay) are kept by the
 *       {@link ClassicGroup}; one timer per group fires at the earliest and ticks the group with
 *       the clock's time. Tests drive time through the clock and {@link #runDueDeadlines()}.</li>
 *   <li>Groups are saved where Kafka writes its GroupMetadata record and loaded at start, so
 *       members carry on (or rejoin) after a broker restart.</li>
 * </ul>
 */
public final class GroupCoordinator implements GroupMembershipUseCase, GroupsUseCase, GroupOffsetsUseCase,
        AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GroupCoordinator.class.getName());
    /** A parked call is answered by the group's own timeouts; this only guards against a lost answer. */
    private static final long PARKED_CALL_SAFETY_MARGIN_MS = 60_000;

    private final GroupStorePort groupStore;
    private final OffsetStorePort offsetStore;
    private final PartitionLogPort log;
    private final TopicsUseCase topics;
    private final GroupSettings settings;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** The groups kept elsewhere in the same id space (the consumer group coordinator's), for pgkafka.groups.max. */
    private volatile IntSupplier otherGroups = () -> 0;
    private volatile boolean closed;

    /** One group with its lock, the futures of its parked calls and its timer. */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final ClassicGroup group;
        final Map<ParkedCall, CompletableFuture<JoinResult>> joins = new HashMap<>();
        final Map<ParkedCall, CompletableFuture<SyncResult>> syncs = new HashMap<>();
        /** Whether storage knows the group (else a JoinGroup that created it saves it). */
        boolean stored;
        boolean removed;
        ScheduledFuture<?> timer;
        long timerAt = ClassicGroup.NO_DEADLINE;

        Slot(ClassicGroup group, boolean stored) {
            this.group = group;
            this.stored = stored;
        }
    }

    private GroupCoordinator(GroupStorePort groupStore, OffsetStorePort offsetStore, PartitionLogPort log,
                             TopicsUseCase topics, GroupSettings settings, Clock clock) {
        this.groupStore = groupStore;
        this.offsetStore = offsetStore;
        this.log = log;
        this.topics = topics;
        this.settings = settings;
        this.clock = clock;
        this.timers = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("group-timers").factory());
    }

    /**
     * Loads every stored group (and every group that only has offsets) and starts the timers.
     *
     * @throws StorageException when the groups cannot be read
     */
    public static GroupCoordinator start(GroupStorePort groupStore, OffsetStorePort offsetStore, PartitionLogPort log,
                                         TopicsUseCase topics, GroupSettings settings, Clock clock) {
        GroupCoordinator coordinator = new GroupCoordinator(groupStore, offsetStore, log, topics, settings, clock);
        try {
            coordinator.load();
        } catch (RuntimeException e) {
            coordinator.timers.shutdownNow();
            throw e;
        }
        long interval = settings.offsetsRetentionCheckIntervalMs();
        coordinator.timers.scheduleWithFixedDelay(() -> Thread.ofVirtual().name("offset-retention")
                .start(coordinator::expireOffsetsQuietly), interval, interval, TimeUnit.MILLISECONDS);
        return coordinator;
    }

    private void load() {
        long now = clock.millis();
        int members = 0;
        for (GroupSnapshot snapshot : groupStore.loadAll()) {
            ClassicGroup group = ClassicGroup.restore(snapshot, settings.groupConfig(), now);
            slots.put(snapshot.groupId(), new Slot(group, true));
            members += snapshot.members().size();
        }
        int loaded = slots.size();
        for (String groupId : offsetStore.groupsWithOffsets()) {
            // a group of consumers that only commit offsets exists through its offsets
            slots.computeIfAbsent(groupId, id -> new Slot(new ClassicGroup(id, settings.groupConfig(), now), true));
        }
        for (Slot slot : slots.values()) {
            locked(slot, () -> {
                reschedule(slot);
                return null;
            });
        }
        LOG.log(Level.INFO, "group coordinator loaded {0} group(s) with {1} member(s), and {2} group(s) with offsets only",
                loaded, members, slots.size() - loaded);
    }

    // ---------------------------------------------------------------- membership

    @Override
    public JoinResult joinGroup(String groupId, JoinRequest request) {
        return joinGroup(groupId, request, false);
    }

    /**
     * JoinGroup; {@code takingOver} when the id was an empty consumer group just handed over to this
     * coordinator, which is not a new group for {@code pgkafka.groups.max}.
     */
    JoinResult joinGroup(String groupId, JoinRequest request, boolean takingOver) {
        if (groupId == null || groupId.isEmpty()) {
            return JoinResult.error(ErrorCode.INVALID_GROUP_ID, request.memberId());
        }
        if (request.sessionTimeoutMs() < settings.minSessionTimeoutMs()
                || request.sessionTimeoutMs() > settings.maxSessionTimeoutMs()) {
            return JoinResult.error(ErrorCode.INVALID_SESSION_TIMEOUT, request.memberId());
        }
        if (closed) {
            return JoinResult.error(ErrorCode.NOT_COORDINATOR, request.memberId());
        }
        Slot existing = slots.get(groupId);
        if (existing == null && request.memberId().isEmpty()) {
            if (!takingOver && !mayCreate(groupId)) {
                return JoinResult.error(ErrorCode.GROUP_MAX_SIZE_REACHED, request.memberId());
            }
            existing = slots.computeIfAbsent(groupId, id -> new Slot(new ClassicGroup(id, settings.groupConfig(),
                    clock.millis()), false));
        }
        if (existing == null) {
            return JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, request.memberId());
        }
        Slot slot = existing;
        ParkedCall call = new ParkedCall();
        CompletableFuture<JoinResult> answer = new CompletableFuture<>();
        String owner = request.groupInstanceId() != null ? request.groupInstanceId() : request.clientId();
        String newMemberId = owner + "-" + UUID.randomUUID();
        locked(slot, () -> {
            slot.joins.put(call, answer);
            apply(slot, slot.group.join(request, newMemberId, call, clock.millis()));
            return null;
        });
        long wait = (long) request.rebalanceTimeoutMs() + settings.newMemberJoinTimeoutMs() + PARKED_CALL_SAFETY_MARGIN_MS;
        return await(slot, call, answer, wait, () -> JoinResult.error(ErrorCode.REBALANCE_IN_PROGRESS, request.memberId()));
    }

    @Override
    public SyncResult syncGroup(String groupId, SyncRequest request) {
        if (groupId == null || groupId.isEmpty()) {
            return SyncResult.error(ErrorCode.INVALID_GROUP_ID);
        }
        if (closed) {
            return SyncResult.error(ErrorCode.NOT_COORDINATOR);
        }
        Slot slot = slots.get(groupId);
        if (slot == null) {
            return SyncResult.error(ErrorCode.UNKNOWN_MEMBER_ID);
        }
        ParkedCall call = new ParkedCall();
        CompletableFuture<SyncResult> answer = new CompletableFuture<>();
        locked(slot, () -> {
            slot.syncs.put(call, answer);
            apply(slot, slot.group.sync(request, call, clock.millis()));
            return null;
        });
        long wait = settings.maxSessionTimeoutMs() + PARKED_CALL_SAFETY_MARGIN_MS;
        return await(slot, call, answer, wait, () -> SyncResult.error(ErrorCode.REBALANCE_IN_PROGRESS));
    }

    @Override
    public ErrorCode heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        if (groupId == null || groupId.isEmpty()) {
            return ErrorCode.INVALID_GROUP_ID;
        }
        if (closed) {
            return ErrorCode.NOT_COORDINATOR;
        }
        Slot slot = slots.get(groupId);
        if (slot == null) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        return locked(slot, () -> {
            ErrorCode result = slot.group.heartbeat(memberId, groupInstanceId, generationId, clock.millis());
            reschedule(slot);
            return result;
        });
    }

    @Override
    public LeaveResult leaveGroup(String groupId, List<MemberIdentity> members) {
        if (groupId == null || groupId.isEmpty()) {
            return new LeaveResult(ErrorCode.INVALID_GROUP_ID, List.of());
        }
        if (closed) {
            return new LeaveResult(ErrorCode.NOT_COORDINATOR, List.of());
        }
        Slot slot = slots.get(groupId);
        if (slot == null) {
            List<ErrorCode> unknown = new ArrayList<>();
            members.forEach(m -> unknown.add(ErrorCode.UNKNOWN_MEMBER_ID));
            return new LeaveResult(ErrorCode.NONE, unknown);
        }
        return locked(slot, () -> {
            ClassicGroup.Outcome<LeaveResult> outcome = slot.group.leave(members, clock.millis());
            apply(slot, outcome.effects());
            return outcome.result();
        });
    }

    // ---------------------------------------------------------------- administration

    @Override
    public Optional<GroupDescription> describeGroup(String groupId) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return Optional.empty();
        }
        GroupDescription description = locked(slot, slot.group::describe);
        return description.state() == GroupState.DEAD ? Optional.empty() : Optional.of(description);
    }

    @Override
    public List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter) {
        Set<String> states = lowerCase(stateFilter);
        Set<String> types = lowerCase(typeFilter);
        if (!types.isEmpty() && !types.contains(CLASSIC)) {
            return List.of();
        }
        List<GroupListing> listed = new ArrayList<>();
        for (Slot slot : slots.values()) {
            GroupListing listing = locked(slot, () -> new GroupListing(slot.group.groupId(),
                    slot.group.protocolType() == null ? "" : slot.group.protocolType(), slot.group.state(), CLASSIC));
            boolean stateMatches = states.isEmpty()
                    || states.contains(listing.state().toLowerCase(Locale.ROOT));
            if (!listing.state().equals(GroupState.DEAD.kafkaName()) && stateMatches) {
                listed.add(listing);
            }
        }
        listed.sort(Comparator.comparing(GroupListing::groupId));
        return listed;
    }

    @Override
    public ErrorCode deleteGroup(String groupId) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return ErrorCode.GROUP_ID_NOT_FOUND;
        }
        return locked(slot, () -> {
            ErrorCode allowed = slot.group.validateDelete();
            if (allowed != ErrorCode.NONE) {
                return allowed;
            }
            try {
                groupStore.delete(groupId);
            } catch (StorageException e) {
                LOG.log(StorageFailures.level(e), "could not delete group {0}: {1}", groupId, e.getMessage());
                return ErrorCode.COORDINATOR_NOT_AVAILABLE;
            }
            remove(slot);
            LOG.log(Level.INFO, "deleted group {0} and its offsets", groupId);
            return ErrorCode.NONE;
        });
    }

    @Override
    public List<GroupOverview> overview() {
        List<String> ids = new ArrayList<>(slots.keySet());
        ids.sort(Comparator.naturalOrder());
        List<GroupOverview> result = new ArrayList<>();
        for (String id : ids) {
            describeGroup(id).ifPresent(description -> result.add(overview(description)));
        }
        return result;
    }

    private GroupOverview overview(GroupDescription description) {
        Map<TopicIdPartition, CommittedOffset> committed = offsetStore.fetchAll(description.groupId());
        Map<String, String> owners = new HashMap<>();
        for (GroupDescription.Member m : description.members()) {
            Map<String, List<Integer>> assigned = ClassicGroup.CONSUMER_PROTOCOL_TYPE.equals(description.protocolType())
                    && m.assignment().length > 0 ? ConsumerProtocol.assignedPartitions(m.assignment()) : null;
            if (assigned != null) {
                assigned.forEach((topic, partitions) -> partitions.forEach(p -> owners.put(topic + "/" + p, m.memberId())));
            }
        }
        return new GroupOverview(description, partitionOffsets(description.groupId(), committed, owners));
    }

    /**
     * The group's committed offsets with log end offsets and lag, for the partitions it committed for
     * and those its members own.
     *
     * @param owners member id by {@code topic/partition}
     */
    List<PartitionOffset> partitionOffsets(String groupId, Map<String, String> owners) {
        return partitionOffsets(groupId, offsetStore.fetchAll(groupId), owners);
    }

    private List<PartitionOffset> partitionOffsets(String groupId, Map<TopicIdPartition, CommittedOffset> committed,
                                                   Map<String, String> owners) {
        Map<TopicIdPartition, Topic> partitions = new LinkedHashMap<>();
        for (TopicIdPartition tp : committed.keySet()) {
            topics.find(tp.topicId()).ifPresent(t -> partitions.put(tp, t));
        }
        for (String key : owners.keySet()) {
            int slash = key.lastIndexOf('/');
            topics.find(key.substring(0, slash)).ifPresent(t -> {
                int p = Integer.parseInt(key.substring(slash + 1));
                if (t.hasPartition(p)) {
                    partitions.putIfAbsent(t.partition(p), t);
                }
            });
        }
        Map<TopicIdPartition, PartitionHead> heads = log.heads(partitions.keySet());
        List<PartitionOffset> offsets = new ArrayList<>();
        partitions.forEach((tp, topic) -> {
            CommittedOffset c = committed.get(tp);
            long end = heads.getOrDefault(tp, PartitionHead.empty()).highWatermark();
            long at = c == null ? -1 : c.offset();
            long lag = Math.max(0, end - Math.max(at, heads.getOrDefault(tp, PartitionHead.empty()).logStartOffset()));
            offsets.add(new PartitionOffset(topic.name(), tp.partition(), at, end, lag, c == null ? "" : c.metadata(),
                    owners.get(topic.name() + "/" + tp.partition())));
        });
        offsets.sort(Comparator.comparing(PartitionOffset::topic).thenComparingInt(PartitionOffset::partition));
        return offsets;
    }

    // ---------------------------------------------------------------- offsets

    @Override
    public List<ErrorCode> commitOffsets(OffsetCommitCommand command) {
        return commitOffsets(command, offsets -> offsetStore.commit(command.groupId(), offsets));
    }

    /**
     * TxnOffsetCommit: validated as an OffsetCommit (a generation of -1 commits without membership),
     * stored as the producer's pending offsets until its transaction ends.
     */
    @Override
    public List<ErrorCode> commitTransactionalOffsets(OffsetCommitCommand command, long producerId) {
        return commitOffsets(command, offsets -> offsetStore.commitPending(command.groupId(), producerId, offsets));
    }

    private List<ErrorCode> commitOffsets(OffsetCommitCommand command,
                                          Consumer<Map<TopicIdPartition, CommittedOffset>> sink) {
        int n = command.partitions().size();
        if (closed) {
            return List.copyOf(Collections.nCopies(n, ErrorCode.NOT_COORDINATOR));
        }
        Slot slot = slots.get(command.groupId());
        if (slot == null) {
            if (command.generationId() >= 0) {
                ErrorCode error = command.unknownGroupIsNotFound() ? ErrorCode.GROUP_ID_NOT_FOUND
                        : ErrorCode.ILLEGAL_GENERATION;
                return List.copyOf(Collections.nCopies(n, error));
            }
            if (!mayCreate(command.groupId())) {
                return List.copyOf(Collections.nCopies(n, ErrorCode.GROUP_MAX_SIZE_REACHED));
            }
            // consumers that commit without membership make a group without protocol type
            slot = slots.computeIfAbsent(command.groupId(),
                    id -> new Slot(new ClassicGroup(id, settings.groupConfig(), clock.millis()), true));
        }
        Slot target = slot;
        return locked(target, () -> {
            ClassicGroup group = target.group;
            ErrorCode invalid = group.validateOffsetCommit(command.memberId(), command.groupInstanceId(),
                    command.generationId());
            if (invalid != ErrorCode.NONE) {
                return List.copyOf(Collections.nCopies(n, invalid));
            }
            group.offsetsCommitted(command.memberId(), clock.millis());
            reschedule(target);
            return storeOffsets(command, sink);
        });
    }

    /**
     * Writes the offsets of a commit that its group validated (under the group's lock): one error per
     * partition, OFFSET_METADATA_TOO_LARGE for partitions whose metadata is too long.
     */
    List<ErrorCode> storeOffsets(OffsetCommitCommand command) {
        return storeOffsets(command, offsets -> offsetStore.commit(command.groupId(), offsets));
    }

    /** As {@link #storeOffsets(OffsetCommitCommand)}, as a transactional producer's pending offsets (TxnOffsetCommit). */
    List<ErrorCode> storePendingOffsets(OffsetCommitCommand command, long producerId) {
        return storeOffsets(command, offsets -> offsetStore.commitPending(command.groupId(), producerId, offsets));
    }

    private List<ErrorCode> storeOffsets(OffsetCommitCommand command, Consumer<Map<TopicIdPartition, CommittedOffset>> sink) {
        int n = command.partitions().size();
        long now = clock.millis();
        OptionalLong expire = command.retentionTimeMs() < 0 ? OptionalLong.empty()
                : OptionalLong.of(now + command.retentionTimeMs());
        List<ErrorCode> errors = new ArrayList<>(n);
        Map<TopicIdPartition, CommittedOffset> offsets = new LinkedHashMap<>();
        for (PartitionCommit p : command.partitions()) {
            if (CommittedOffset.metadataTooLarge(p.metadata(), settings.offsetMetadataMaxBytes())) {
                errors.add(ErrorCode.OFFSET_METADATA_TOO_LARGE);
            } else {
                errors.add(ErrorCode.NONE);
                offsets.put(p.topic().partition(p.partition()),
                        new CommittedOffset(p.offset(), p.leaderEpoch(), p.metadata(), now, expire));
            }
        }
        if (!offsets.isEmpty()) {
            try {
                sink.accept(offsets);
            } catch (StorageException e) {
                LOG.log(StorageFailures.level(e), "could not store offsets of group {0}: {1}", command.groupId(), e.getMessage());
                errors.replaceAll(err -> err == ErrorCode.NONE ? ErrorCode.COORDINATOR_NOT_AVAILABLE : err);
            }
        }
        return errors;
    }

    @Override
    public List<FetchedOffset> fetchOffsets(String groupId, List<PartitionRef> partitions, boolean requireStable) {
        return fetchOffsets(groupId, partitions, requireStable, groupId != null && slots.containsKey(groupId));
    }

    /** The committed offsets of a group; {@code groupExists} false answers as for an unknown group (nothing committed). */
    List<FetchedOffset> fetchOffsets(String groupId, List<PartitionRef> partitions, boolean requireStable,
                                     boolean groupExists) {
        Set<TopicIdPartition> pending = groupExists && requireStable
                ? offsetStore.pendingTransactionalOffsets(groupId) : Set.of();
        List<FetchedOffset> result = new ArrayList<>();
        if (partitions == null) {
            if (!groupExists) {
                return result;
            }
            Map<TopicIdPartition, CommittedOffset> all = offsetStore.fetchAll(groupId);
            for (Map.Entry<TopicIdPartition, CommittedOffset> e : all.entrySet()) {
                Optional<Topic> topic = topics.find(e.getKey().topicId());
                topic.ifPresent(t -> result.add(fetched(t, e.getKey().partition(), e.getValue(), pending)));
            }
            result.sort(Comparator.comparing((FetchedOffset f) -> f.topic().name()).thenComparingInt(FetchedOffset::partition));
            return result;
        }
        List<TopicIdPartition> wanted = new ArrayList<>(partitions.size());
        partitions.forEach(p -> wanted.add(p.topic().partition(p.partition())));
        Map<TopicIdPartition, CommittedOffset> found = groupExists ? offsetStore.fetch(groupId, wanted) : Map.of();
        for (PartitionRef p : partitions) {
            result.add(fetched(p.topic(), p.partition(), found.get(p.topic().partition(p.partition())), pending));
        }
        return result;
    }

    private static FetchedOffset fetched(Topic topic, int partition, CommittedOffset offset, Set<TopicIdPartition> pending) {
        if (pending.contains(topic.partition(partition))) {
            return new FetchedOffset(topic, partition, -1, -1, "", ErrorCode.UNSTABLE_OFFSET_COMMIT);
        }
        if (offset == null) {
            return new FetchedOffset(topic, partition, -1, -1, "", ErrorCode.NONE);
        }
        return new FetchedOffset(topic, partition, offset.offset(), offset.leaderEpoch(), offset.metadata(), ErrorCode.NONE);
    }

    @Override
    public OffsetDeleteResult deleteOffsets(String groupId, List<PartitionRef> partitions) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return new OffsetDeleteResult(ErrorCode.GROUP_ID_NOT_FOUND, List.of());
        }
        return locked(slot, () -> {
            ErrorCode allowed = slot.group.validateOffsetDelete();
            if (allowed != ErrorCode.NONE) {
                return new OffsetDeleteResult(allowed, List.of());
            }
            List<ErrorCode> errors = new ArrayList<>(partitions.size());
            List<TopicIdPartition> deletable = new ArrayList<>();
            for (PartitionRef p : partitions) {
                if (slot.group.isSubscribedToTopic(p.topic().name())) {
                    errors.add(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    errors.add(ErrorCode.NONE);
                    deletable.add(p.topic().partition(p.partition()));
                }
            }
            if (!deletable.isEmpty()) {
                offsetStore.delete(groupId, deletable);
            }
            return new OffsetDeleteResult(ErrorCode.NONE, errors);
        });
    }

    /**
     * Expires offsets per {@code offsets.retention.minutes} and deletes empty groups that have none
     * left. Runs every {@code offsets.retention.check.interval.ms}; public for tests.
     *
     * @return how many offsets expired
     */
    public int expireOffsets() {
        int expired = 0;
        long now = clock.millis();
        for (Slot slot : List.copyOf(slots.values())) {
            expired += locked(slot, () -> {
                if (slot.removed) {
                    return 0;
                }
                Map<TopicIdPartition, CommittedOffset> offsets = offsetStore.fetchAll(slot.group.groupId());
                Map<TopicIdPartition, String> names = new HashMap<>();
                offsets.keySet().forEach(tp -> names.put(tp, topics.find(tp.topicId()).map(Topic::name).orElse("")));
                Set<TopicIdPartition> gone = OffsetRetention.expired(slot.group, offsets, names::get, now,
                        settings.offsetsRetentionMs());
                if (!gone.isEmpty()) {
                    offsetStore.delete(slot.group.groupId(), gone);
                    LOG.log(Level.INFO, "expired {0} offset(s) of group {1}", gone.size(), slot.group.groupId());
                }
                if (OffsetRetention.groupExpired(slot.group, offsets.size() - gone.size())) {
                    groupStore.delete(slot.group.groupId());
                    remove(slot);
                    LOG.log(Level.INFO, "removed empty group {0}, which has no offsets left", slot.group.groupId());
                }
                return gone.size();
            });
        }
        return expired;
    }

    private void expireOffsetsQuietly() {
        try {
            expireOffsets();
        } catch (RuntimeException e) {
            LOG.log(StorageFailures.level(e), "offset expiration failed; retrying at the next interval: {0}", e.toString());
        }
    }

    // ---------------------------------------------------------------- timers, effects, shutdown

    /** Ticks every group whose deadline has come by the clock's time; the timers call this per group. */
    public void runDueDeadlines() {
        for (Slot slot : List.copyOf(slots.values())) {
            onDeadline(slot);
        }
    }

    private void onDeadline(Slot slot) {
        try {
            locked(slot, () -> {
                if (slot.removed || closed) {
                    return null;
                }
                slot.timer = null;
                slot.timerAt = ClassicGroup.NO_DEADLINE;
                long now = clock.millis();
                if (slot.group.nextDeadline() <= now) {
                    apply(slot, slot.group.tick(now));
                } else {
                    reschedule(slot);
                }
                return null;
            });
        } catch (RuntimeException e) {
            if (StorageFailures.isOutage(e)) {
                // the group's next deadline or request tries again
                LOG.log(Level.DEBUG, "deadline of group {0} failed: {1}", slot.group.groupId(), e.getMessage());
                return;
            }
            LOG.log(Level.ERROR, "deadline of group " + slot.group.groupId() + " failed", e);
        }
    }

    /**
     * Makes the write the group asked for (each write may lead to the next step asking for another),
     * then hands out the answers and re-arms the timer. Runs under the group's lock.
     */
    private void apply(Slot slot, GroupEffects effects) {
        List<GroupEffects.Answer<JoinResult>> joins = new ArrayList<>(effects.joins());
        List<GroupEffects.Answer<SyncResult>> syncs = new ArrayList<>(effects.syncs());
        Optional<GroupWrite> write = effects.write();
        if (write.isEmpty() && !slot.stored && slot.group.state() != GroupState.DEAD) {
            write = Optional.of(GroupWrite.CREATED);
        }
        while (write.isPresent()) {
            boolean stored = save(slot);
            GroupEffects next = slot.group.written(write.get(), stored, clock.millis());
            joins.addAll(next.joins());
            syncs.addAll(next.syncs());
            write = next.write();
        }
        for (GroupEffects.Answer<JoinResult> a : joins) {
            CompletableFuture<JoinResult> f = slot.joins.remove(a.call());
            if (f != null) {
                f.complete(a.result());
            }
        }
        for (GroupEffects.Answer<SyncResult> a : syncs) {
            CompletableFuture<SyncResult> f = slot.syncs.remove(a.call());
            if (f != null) {
                f.complete(a.result());
            }
        }
        reschedule(slot);
    }

    private boolean save(Slot slot) {
        try {
            groupStore.save(slot.group.snapshot());
            slot.stored = true;
            return true;
        } catch (StorageException e) {
            LOG.log(StorageFailures.level(e), "could not store group {0}: {1}", slot.group.groupId(), e.getMessage());
            return false;
        }
    }

    /** Arms the group's timer for its earliest deadline, unless it already fires no later. */
    private void reschedule(Slot slot) {
        long next = slot.group.nextDeadline();
        if (next == ClassicGroup.NO_DEADLINE || slot.removed || closed) {
            cancelTimer(slot);
            return;
        }
        if (slot.timer != null && slot.timerAt <= next) {
            // it fires early, finds nothing due and re-arms: cheaper than re-arming on every heartbeat
            return;
        }
        cancelTimer(slot);
        long delay = Math.max(0, next - clock.millis());
        slot.timerAt = next;
        slot.timer = timers.schedule(() -> Thread.ofVirtual().name("group-deadline").start(() -> onDeadline(slot)),
                delay, TimeUnit.MILLISECONDS);
    }

    private static void cancelTimer(Slot slot) {
        if (slot.timer != null) {
            slot.timer.cancel(false);
            slot.timer = null;
        }
        slot.timerAt = ClassicGroup.NO_DEADLINE;
    }

    private void remove(Slot slot) {
        GroupEffects effects = slot.group.markDead(clock.millis());
        slot.removed = true;
        slots.remove(slot.group.groupId(), slot);
        cancelTimer(slot);
        deliverOnly(slot, effects);
    }

    private static void deliverOnly(Slot slot, GroupEffects effects) {
        effects.joins().forEach(a -> {
            CompletableFuture<JoinResult> f = slot.joins.remove(a.call());
            if (f != null) {
                f.complete(a.result());
            }
        });
        effects.syncs().forEach(a -> {
            CompletableFuture<SyncResult> f = slot.syncs.remove(a.call());
            if (f != null) {
                f.complete(a.result());
            }
        });
    }

    private <R> R await(Slot slot, ParkedCall call, CompletableFuture<R> answer, long timeoutMs, Supplier<R> giveUp) {
        long parkedAt = System.nanoTime();
        try {
            return answer.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.log(Level.WARNING, "a call of group {0} was not answered in {1} ms; giving up on it",
                    slot.group.groupId(), timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            // waiting for the rebalance is not handling: request_percentage quotas must not count it
            ParkedTime.add(System.nanoTime() - parkedAt);
        }
        locked(slot, () -> {
            slot.joins.remove(call);
            slot.syncs.remove(call);
            return null;
        });
        R late = answer.getNow(null);
        return late != null ? late : giveUp.get();
    }

    /** Answers every parked JoinGroup and SyncGroup with NOT_COORDINATOR, so that shutdown need not wait for them. */
    public void releaseParkedCalls() {
        closed = true;
        for (Slot slot : List.copyOf(slots.values())) {
            locked(slot, () -> {
                cancelTimer(slot);
                deliverOnly(slot, slot.group.releaseParkedCalls(ErrorCode.NOT_COORDINATOR));
                return null;
            });
        }
    }

    @Override
    public void close() {
        releaseParkedCalls();
        timers.shutdownNow();
    }

    /** The settings this coordinator runs with (offset retention applies to consumer groups too). */
    GroupSettings settings() {
        return settings;
    }

    /**
     * Counts the groups of the consumer group coordinator too: both kinds share one id space and the
     * {@code pgkafka.groups.max} limit. Called once, when that coordinator starts.
     */
    void countAlso(IntSupplier groups) {
        this.otherGroups = groups;
    }

    /**
     * The groups in memory: classic ones (those with offsets only included) and the consumer groups. Every
     * group is loaded at start and kept in memory, so this counts the stored groups without a query. An id
     * moving between the two kinds may be missed (or, while the coordinators load, counted twice) for the
     * moment of its hand-over.
     */
    int groupCount() {
        return slots.size() + otherGroups.getAsInt();
    }

    /**
     * Whether a group that does not exist yet may be created: fewer than {@code pgkafka.groups.max} groups
     * exist. Checked before the creation without a lock, so concurrent first requests for new ids can pass
     * the limit by at most their number.
     */
    boolean mayCreate(String groupId) {
        int count = groupCount();
        if (count < settings.maxGroups()) {
            return true;
        }
        LOG.log(Level.WARNING, "refused to create group {0}: {1} groups exist, pgkafka.groups.max is {2}",
                groupId, count, settings.maxGroups());
        return false;
    }

    /** Whether a classic group with this id is in memory (it may have only offsets). */
    public boolean hasGroup(String groupId) {
        return groupId != null && slots.containsKey(groupId);
    }

    /**
     * Lets a consumer group (KIP-848) take the id over: an empty classic group leaves memory (its stored
     * row goes when the consumer group is saved, its offsets stay with the id), as Kafka converts an
     * empty classic group. False when the classic group has members.
     */
    public boolean releaseIfEmpty(String groupId) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return true;
        }
        return locked(slot, () -> {
            if (slot.removed) {
                return true;
            }
            if (!slot.group.memberIds().isEmpty()) {
                return false;
            }
            remove(slot);
            LOG.log(Level.INFO, "empty classic group {0} handed over to the consumer group protocol", groupId);
            return true;
        });
    }

    /** The groups in memory; for tests and the HTTP view. */
    public Set<String> groupIds() {
        return new HashSet<>(slots.keySet());
    }

    private static <T> T locked(Slot slot, Supplier<T> work) {
        slot.lock.lock();
        try {
            return work.get();
        } finally {
            slot.lock.unlock();
        }
    }

    /** ListGroups filters compare states and types without case; also the consumer group coordinator's. */
    static Set<String> lowerCase(Collection<String> values) {
        Set<String> lower = new HashSet<>();
        if (values != null) {
            values.forEach(v -> lower.add(v.toLowerCase(Locale.ROOT)));
        }
        return lower;
    }
}
