package dev.pgkafka.application.service.group;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.out.ConsumerGroupStorePort;
import dev.pgkafka.application.port.out.OffsetStorePort;
import dev.pgkafka.application.port.out.StorageException;
import dev.pgkafka.application.service.StorageFailures;
import dev.pgkafka.domain.assignment.PartitionAssignors;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.CommittedOffset;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.LeaveResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.OffsetRetention;
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;
import dev.pgkafka.domain.group.consumer.ConsumerGroup;
import dev.pgkafka.domain.group.consumer.ConsumerGroupConfig;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerGroupSnapshot;
import dev.pgkafka.domain.group.consumer.ConsumerGroupState;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.group.consumer.TopicImage;
import dev.pgkafka.domain.regex.RegexEngine;
import dev.pgkafka.domain.topic.TopicIdPartition;

/**
 * The coordinator of consumer groups of the consumer group protocol (KIP-848), in front of the classic
 * {@link GroupCoordinator}: both kinds share one group id space, so the group APIs (ListGroups,
 * DescribeGroups, DeleteGroups, OffsetCommit, OffsetFetch, OffsetDelete, JoinGroup) come here first and
 * go on to the classic coordinator for ids that are not consumer groups.
 *
 * <ul>
 *   <li>Each group lives in memory behind its own lock; a heartbeat runs the domain
 *       ({@link ConsumerGroup}), stores the group when it changed and answers. Nothing waits for other
 *       members: they learn of a new target assignment at their next heartbeat.</li>
 *   <li>A new consumer group may take over the id of an empty classic group (its offsets stay), and a
 *       JoinGroup the id of an empty consumer group, as Kafka converts empty groups; a group of the other
 *       type with members answers GROUP_ID_NOT_FOUND (ConsumerGroupHeartbeat) or
 *       INCONSISTENT_GROUP_PROTOCOL (JoinGroup).</li>
 *   <li>One timer checks the groups' session and revocation deadlines every
 *       {@value #DEADLINE_CHECK_INTERVAL_MS} ms; tests call {@link #runDueDeadlines()}.</li>
 * </ul>
 */
public final class ConsumerGroupCoordinator implements ConsumerGroupsUseCase, GroupMembershipUseCase, GroupsUseCase,
        GroupOffsetsUseCase, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ConsumerGroupCoordinator.class.getName());
    static final long DEADLINE_CHECK_INTERVAL_MS = 100;
    /** How soon the timer tries again to store a group whose write failed. */
    private static final long SAVE_RETRY_INTERVAL_MS = 1_000;
    /** How long a listing of the topics serves heartbeats before it is read again. */
    private static final long TOPIC_IMAGE_MAX_AGE_MS = 200;

    private final GroupCoordinator classic;
    private final ConsumerGroupStorePort store;
    private final OffsetStorePort offsetStore;
    private final TopicsUseCase topics;
    private final ConsumerGroupConfig config;
    private final PartitionAssignors assignors;
    private final RegexEngine regexEngine;
    private final Clock clock;
    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
    /** What {@link #createGroup} answers when {@code pgkafka.groups.max} groups exist. */
    private static final Slot LIMIT_REACHED = new Slot(null, false);
    /** Serialises the creation of consumer groups against the hand-over of classic ids. */
    private final ReentrantLock creation = new ReentrantLock();
    private final ScheduledExecutorService timer;
    private volatile TopicImage image;
    private volatile long imageAt = Long.MIN_VALUE;
    private volatile boolean closed;

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final ConsumerGroup group;
        /** Whether storage holds the group's latest state. */
        boolean clean = true;
        /** Whether the group was ever stored (a new group whose first heartbeat failed is just forgotten). */
        boolean stored;
        /** Whether the next write must store the whole group (a write failed). */
        boolean rewrite;
        /** When a write last failed; the timer retries a second later. */
        long failedAt = Long.MIN_VALUE / 2;
        boolean removed;

        Slot(ConsumerGroup group, boolean stored) {
            this.group = group;
            this.stored = stored;
        }
    }

    private ConsumerGroupCoordinator(GroupCoordinator classic, ConsumerGroupStorePort store, OffsetStorePort offsetStore,
                                     TopicsUseCase topics, ConsumerGroupConfig config, PartitionAssignors assignors,
                                     RegexEngine regexEngine, Clock clock, boolean startTimer) {
        this.classic = classic;
        this.store = store;
        this.offsetStore = offsetStore;
        this.topics = topics;
        this.config = config;
        this.assignors = assignors;
        this.regexEngine = regexEngine;
        this.clock = clock;
        this.timer = startTimer ? Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("consumer-group-timer").factory()) : null;
    }

    /**
     * Loads every stored consumer group (each member's session starts again now) and starts the timer.
     *
     * @param regexEngine compiles subscribed topic regexes (RE2/J, from the wire adapter)
     * @param startTimer false in tests that drive deadlines through {@link #runDueDeadlines()}
     * @throws StorageException when the groups cannot be read
     */
    public static ConsumerGroupCoordinator start(GroupCoordinator classic, ConsumerGroupStorePort store,
                                                 OffsetStorePort offsetStore, TopicsUseCase topics,
                                                 ConsumerGroupConfig config, PartitionAssignors assignors,
                                                 RegexEngine regexEngine, Clock clock, boolean startTimer) {
        ConsumerGroupCoordinator coordinator = new ConsumerGroupCoordinator(classic, store, offsetStore, topics, config,
                assignors, regexEngine, clock, startTimer);
        classic.countAlso(coordinator.slots::size);
        long now = clock.millis();
        int members = 0;
        for (ConsumerGroupSnapshot snapshot : store.loadAll()) {
            coordinator.slots.put(snapshot.groupId(), new Slot(ConsumerGroup.restore(snapshot, config, regexEngine, now), true));
            // the classic coordinator knows ids with offsets as empty classic groups; these are consumer groups
            classic.releaseIfEmpty(snapshot.groupId());
            members += snapshot.members().size();
        }
        LOG.log(Level.INFO, "consumer group coordinator loaded {0} consumer group(s) with {1} member(s); sessions of "
                + "{2} ms, heartbeats every {3} ms, assignors {4}", coordinator.slots.size(), members,
                config.sessionTimeoutMs(), config.heartbeatIntervalMs(), assignors.names());
        if (coordinator.timer != null) {
            coordinator.timer.scheduleWithFixedDelay(coordinator::runDueDeadlinesQuietly, DEADLINE_CHECK_INTERVAL_MS,
                    DEADLINE_CHECK_INTERVAL_MS, TimeUnit.MILLISECONDS);
            long interval = classic.settings().offsetsRetentionCheckIntervalMs();
            coordinator.timer.scheduleWithFixedDelay(() -> Thread.ofVirtual().name("consumer-group-offset-retention")
                    .start(coordinator::expireOffsetsQuietly), interval, interval, TimeUnit.MILLISECONDS);
        }
        return coordinator;
    }

    // ---------------------------------------------------------------- ConsumerGroupHeartbeat, ConsumerGroupDescribe

    @Override
    public ConsumerHeartbeatResult heartbeat(String groupId, ConsumerHeartbeat request, Predicate<String> visibleTopics) {
        Optional<ConsumerHeartbeatResult> invalid = ConsumerGroup.validate(groupId, request, assignors, regexEngine);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (containsNul(groupId, request)) {
            // PostgreSQL text cannot hold NUL: such a group could never be stored
            return ConsumerHeartbeatResult.error(ErrorCode.INVALID_REQUEST,
                    "Group, member, instance, rack, client ids, topic names and regex cannot contain NUL characters.");
        }
        if (closed) {
            return ConsumerHeartbeatResult.error(ErrorCode.NOT_COORDINATOR, "The coordinator is shutting down.");
        }
        Slot slot = slots.get(groupId);
        if (slot == null) {
            if (request.memberEpoch() != 0) {
                return ConsumerHeartbeatResult.error(ErrorCode.GROUP_ID_NOT_FOUND,
                        classic.hasGroup(groupId) ? "Group " + groupId + " is not a consumer group."
                                : "Consumer group " + groupId + " not found.");
            }
            slot = createGroup(groupId);
            if (slot == null) {
                return ConsumerHeartbeatResult.error(ErrorCode.GROUP_ID_NOT_FOUND,
                        "Group " + groupId + " is not a consumer group.");
            }
            if (slot == LIMIT_REACHED) {
                return ConsumerHeartbeatResult.error(ErrorCode.GROUP_MAX_SIZE_REACHED, "Group " + groupId
                        + " cannot be created: the broker has as many groups as pgkafka.groups.max ("
                        + classic.settings().maxGroups() + ") allows.");
            }
        }
        Slot target = slot;
        return locked(target, () -> {
            if (target.removed) {
                return ConsumerHeartbeatResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                        "Group " + groupId + " was just deleted; try again.");
            }
            long started = System.nanoTime();
            // a join or a new subscription reads the topics afresh: a topic created just before must be seen
            boolean subscribing = request.memberEpoch() == 0 || request.subscribedTopicNames() != null
                    || request.subscribedTopicRegex() != null;
            ConsumerGroup.Outcome outcome = target.group.heartbeat(request, UUID.randomUUID().toString(),
                    image(subscribing), assignors, clock.millis(), visibleTopics);
            long micros = (System.nanoTime() - started) / 1_000;
            if (outcome.changed()) {
                target.clean = false;
            }
            logEvents(groupId, outcome.events(), micros);
            if (!target.clean && !save(target)) {
                return ConsumerHeartbeatResult.error(ErrorCode.COORDINATOR_NOT_AVAILABLE,
                        "The group could not be stored; try again.");
            }
            if (target.group.isEmpty() && !target.stored) {
                forget(target);
            }
            return outcome.result();
        });
    }

    private static boolean containsNul(String groupId, ConsumerHeartbeat r) {
        List<String> values = new ArrayList<>(List.of(groupId, r.memberId(), r.clientId() == null ? "" : r.clientId(),
                r.clientHost() == null ? "" : r.clientHost()));
        for (String optional : new String[] {r.instanceId(), r.rackId(), r.subscribedTopicRegex(), r.serverAssignor()}) {
            if (optional != null) {
                values.add(optional);
            }
        }
        if (r.subscribedTopicNames() != null) {
            values.addAll(r.subscribedTopicNames());
        }
        return values.stream().anyMatch(v -> v.indexOf('\u0000') >= 0);
    }

    /**
     * The new consumer group, or null when a classic group with members holds the id, or
     * {@link #LIMIT_REACHED} when the id is new and {@code pgkafka.groups.max} groups exist (taking over an
     * empty classic group's id creates no group).
     */
    private Slot createGroup(String groupId) {
        creation.lock();
        try {
            Slot existing = slots.get(groupId);
            if (existing != null) {
                return existing;
            }
            if (!classic.hasGroup(groupId) && !classic.mayCreate(groupId)) {
                return LIMIT_REACHED;
            }
            if (!classic.releaseIfEmpty(groupId)) {
                return null;
            }
            Slot slot = new Slot(new ConsumerGroup(groupId, config, regexEngine), false);
            slots.put(groupId, slot);
            return slot;
        } finally {
            creation.unlock();
        }
    }

    @Override
    public List<DescribedConsumerGroup> describe(List<String> groupIds) {
        List<DescribedConsumerGroup> result = new ArrayList<>(groupIds.size());
        for (String groupId : groupIds) {
            Slot slot = groupId == null ? null : slots.get(groupId);
            ConsumerGroupDescription description = slot == null ? null
                    : locked(slot, () -> slot.removed ? null : slot.group.describe(assignors));
            if (description != null) {
                result.add(new DescribedConsumerGroup(groupId, ErrorCode.NONE, null, description));
            } else if (classic.hasGroup(groupId)) {
                result.add(new DescribedConsumerGroup(groupId, ErrorCode.GROUP_ID_NOT_FOUND,
                        "Group " + groupId + " is not a consumer group.", null));
            } else {
                result.add(new DescribedConsumerGroup(groupId, ErrorCode.GROUP_ID_NOT_FOUND,
                        "Group " + groupId + " not found.", null));
            }
        }
        return result;
    }

    @Override
    public List<ConsumerGroupDescription> describeAll() {
        List<String> ids = new ArrayList<>(slots.keySet());
        ids.sort(Comparator.naturalOrder());
        List<ConsumerGroupDescription> result = new ArrayList<>();
        for (DescribedConsumerGroup d : describe(ids)) {
            if (d.description() != null) {
                result.add(d.description());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------- the classic protocol, one id space

    @Override
    public JoinResult joinGroup(String groupId, JoinRequest request) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot != null) {
            boolean handedOver = locked(slot, () -> {
                if (slot.removed) {
                    return true;
                }
                if (!slot.group.isEmpty()) {
                    return false;
                }
                try {
                    store.delete(groupId, false);
                } catch (StorageException e) {
                    LOG.log(StorageFailures.level(e), "could not hand consumer group {0} over to the classic protocol: {1}",
                            groupId, e.getMessage());
                    return false;
                }
                forget(slot);
                LOG.log(Level.INFO, "empty consumer group {0} handed over to the classic protocol", groupId);
                return true;
            });
            if (!handedOver) {
                return JoinResult.error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, request.memberId());
            }
        }
        return classic.joinGroup(groupId, request, slot != null);
    }

    @Override
    public SyncResult syncGroup(String groupId, SyncRequest request) {
        return classic.syncGroup(groupId, request);
    }

    @Override
    public ErrorCode heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        return classic.heartbeat(groupId, memberId, groupInstanceId, generationId);
    }

    @Override
    public LeaveResult leaveGroup(String groupId, List<MemberIdentity> members) {
        return classic.leaveGroup(groupId, members);
    }

    // ---------------------------------------------------------------- administration

    @Override
    public Optional<GroupDescription> describeGroup(String groupId) {
        return slots.containsKey(groupId) ? Optional.empty() : classic.describeGroup(groupId);
    }

    @Override
    public Optional<String> groupType(String groupId) {
        if (groupId != null && slots.containsKey(groupId)) {
            return Optional.of(CONSUMER);
        }
        return classic.groupType(groupId);
    }

    @Override
    public List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter) {
        Set<String> states = GroupCoordinator.lowerCase(stateFilter);
        Set<String> types = GroupCoordinator.lowerCase(typeFilter);
        List<GroupListing> listed = new ArrayList<>();
        for (GroupListing l : classic.listGroups(stateFilter, typeFilter)) {
            if (!slots.containsKey(l.groupId())) {
                listed.add(l);
            }
        }
        if (types.isEmpty() || types.contains(CONSUMER)) {
            for (Slot slot : slots.values()) {
                ConsumerGroupState state = locked(slot, () -> slot.removed ? ConsumerGroupState.DEAD : slot.group.state());
                if (state != ConsumerGroupState.DEAD
                        && (states.isEmpty() || states.contains(state.kafkaName().toLowerCase(Locale.ROOT)))) {
                    listed.add(new GroupListing(slot.group.groupId(), CONSUMER, state.kafkaName(), CONSUMER));
                }
            }
        }
        listed.sort(Comparator.comparing(GroupListing::groupId));
        return listed;
    }

    @Override
    public ErrorCode deleteGroup(String groupId) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return classic.deleteGroup(groupId);
        }
        return locked(slot, () -> {
            if (slot.removed) {
                return ErrorCode.GROUP_ID_NOT_FOUND;
            }
            if (!slot.group.isEmpty()) {
                return ErrorCode.NON_EMPTY_GROUP;
            }
            try {
                store.delete(groupId, true);
            } catch (StorageException e) {
                LOG.log(StorageFailures.level(e), "could not delete consumer group {0}: {1}", groupId, e.getMessage());
                return ErrorCode.COORDINATOR_NOT_AVAILABLE;
            }
            forget(slot);
            LOG.log(Level.INFO, "deleted consumer group {0} and its offsets", groupId);
            return ErrorCode.NONE;
        });
    }

    @Override
    public List<GroupOverview> overview() {
        List<GroupOverview> all = new ArrayList<>();
        for (GroupOverview g : classic.overview()) {
            if (!slots.containsKey(g.groupId())) {
                all.add(g);
            }
        }
        for (ConsumerGroupDescription d : describeAll()) {
            Map<String, String> owners = new HashMap<>();
            for (ConsumerGroupDescription.Member m : d.members()) {
                m.member().ownedPartitions().forEach((topicId, partitions) -> topics.find(topicId).ifPresent(t ->
                        partitions.forEach(p -> owners.put(t.name() + "/" + p, m.member().memberId()))));
            }
            all.add(new GroupOverview(null, classic.partitionOffsets(d.groupId(), owners), d));
        }
        all.sort(Comparator.comparing(GroupOverview::groupId));
        return all;
    }

    // ---------------------------------------------------------------- offsets

    @Override
    public List<ErrorCode> commitOffsets(OffsetCommitCommand command) {
        Slot slot = slots.get(command.groupId());
        if (slot == null) {
            return classic.commitOffsets(command);
        }
        int n = command.partitions().size();
        return locked(slot, () -> {
            ErrorCode invalid = slot.removed ? ErrorCode.COORDINATOR_NOT_AVAILABLE
                    : slot.group.validateOffsetCommit(command.memberId(), command.generationId());
            if (invalid != ErrorCode.NONE) {
                return List.copyOf(Collections.nCopies(n, invalid));
            }
            return classic.storeOffsets(command);
        });
    }

    /**
     * TxnOffsetCommit: for a consumer group checked against the member and its epoch (ILLEGAL_GENERATION for
     * another epoch, as Kafka answers transactional commits), then kept pending until the transaction ends.
     */
    @Override
    public List<ErrorCode> commitTransactionalOffsets(OffsetCommitCommand command, long producerId) {
        Slot slot = slots.get(command.groupId());
        if (slot == null) {
            return classic.commitTransactionalOffsets(command, producerId);
        }
        int n = command.partitions().size();
        return locked(slot, () -> {
            ErrorCode invalid = slot.removed ? ErrorCode.COORDINATOR_NOT_AVAILABLE
                    : slot.group.validateOffsetCommit(command.memberId(), command.generationId());
            if (invalid == ErrorCode.STALE_MEMBER_EPOCH) {
                invalid = ErrorCode.ILLEGAL_GENERATION;
            }
            if (invalid != ErrorCode.NONE) {
                return List.copyOf(Collections.nCopies(n, invalid));
            }
            return classic.storePendingOffsets(command, producerId);
        });
    }

    @Override
    public List<FetchedOffset> fetchOffsets(String groupId, List<PartitionRef> partitions, boolean requireStable) {
        if (groupId != null && slots.containsKey(groupId)) {
            return classic.fetchOffsets(groupId, partitions, requireStable, true);
        }
        return classic.fetchOffsets(groupId, partitions, requireStable);
    }

    @Override
    public ErrorCode validateOffsetFetch(String groupId, String memberId, int memberEpoch) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return classic.validateOffsetFetch(groupId, memberId, memberEpoch);
        }
        return locked(slot, () -> slot.group.validateOffsetFetch(memberId, memberEpoch));
    }

    @Override
    public OffsetDeleteResult deleteOffsets(String groupId, List<PartitionRef> partitions) {
        Slot slot = groupId == null ? null : slots.get(groupId);
        if (slot == null) {
            return classic.deleteOffsets(groupId, partitions);
        }
        return locked(slot, () -> {
            List<ErrorCode> errors = new ArrayList<>(partitions.size());
            List<TopicIdPartition> deletable = new ArrayList<>();
            for (PartitionRef p : partitions) {
                if (slot.group.isSubscribedTo(p.topic())) {
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

    // ---------------------------------------------------------------- deadlines, storage, shutdown

    /** Removes members whose session or revocation deadline passed, by the clock's time. */
    public void runDueDeadlines() {
        long now = clock.millis();
        for (Slot slot : List.copyOf(slots.values())) {
            locked(slot, () -> {
                if (slot.removed || closed) {
                    return null;
                }
                if (slot.group.nextDeadline() <= now) {
                    ConsumerGroup.Outcome outcome = slot.group.tick(now);
                    if (outcome.changed()) {
                        slot.clean = false;
                        logEvents(slot.group.groupId(), outcome.events(), -1);
                    }
                }
                if (!slot.clean && now - slot.failedAt >= SAVE_RETRY_INTERVAL_MS) {
                    save(slot);
                }
                return null;
            });
        }
    }

    /**
     * {@code offsets.retention.minutes} for consumer groups: offsets of topics no member subscribes to expire a
     * retention period after their commit; an empty group without offsets left is deleted. Public for tests.
     *
     * @return how many offsets expired
     */
    public int expireOffsets() {
        int expired = 0;
        long now = clock.millis();
        long retentionMs = classic.settings().offsetsRetentionMs();
        for (Slot slot : List.copyOf(slots.values())) {
            expired += locked(slot, () -> {
                if (slot.removed) {
                    return 0;
                }
                String groupId = slot.group.groupId();
                Map<TopicIdPartition, CommittedOffset> offsets = offsetStore.fetchAll(groupId);
                Set<TopicIdPartition> gone = OffsetRetention.expired(slot.group, offsets,
                        tp -> topics.find(tp.topicId()).orElse(null), now, retentionMs);
                if (!gone.isEmpty()) {
                    offsetStore.delete(groupId, gone);
                    LOG.log(Level.INFO, "expired {0} offset(s) of consumer group {1}", gone.size(), groupId);
                }
                if (slot.group.isEmpty() && offsets.size() == gone.size()) {
                    store.delete(groupId, true);
                    forget(slot);
                    LOG.log(Level.INFO, "removed empty consumer group {0}, which has no offsets left", groupId);
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
            LOG.log(StorageFailures.level(e), "offset expiration of consumer groups failed; retrying at the next interval: {0}",
                    e.toString());
        }
    }

    private void runDueDeadlinesQuietly() {
        try {
            runDueDeadlines();
        } catch (RuntimeException e) {
            if (StorageFailures.isOutage(e)) {
                // the timer's next round tries again
                LOG.log(Level.DEBUG, "consumer group deadlines failed: {0}", e.getMessage());
                return;
            }
            LOG.log(Level.ERROR, "consumer group deadlines failed", e);
        }
    }

    /**
     * Stores what changed: the whole group the first time (and after a failed write), else only the members
     * and the target that changed.
     */
    private boolean save(Slot slot) {
        try {
            if (slot.stored && !slot.rewrite) {
                store.update(slot.group.takeChanges());
            } else {
                slot.group.takeChanges();
                store.save(slot.group.snapshot());
            }
            slot.clean = true;
            slot.stored = true;
            slot.rewrite = false;
            return true;
        } catch (StorageException e) {
            slot.rewrite = true; // the changes taken are lost to a partial write: store the whole group next time
            slot.failedAt = clock.millis();
            LOG.log(StorageFailures.level(e), "could not store consumer group {0}: {1}", slot.group.groupId(), e.getMessage());
            return false;
        }
    }

    private void forget(Slot slot) {
        slot.removed = true;
        slots.remove(slot.group.groupId(), slot);
    }

    /** The topics, read again when asked to or when the last reading is older than {@value #TOPIC_IMAGE_MAX_AGE_MS} ms. */
    private TopicImage image(boolean fresh) {
        long now = System.nanoTime() / 1_000_000;
        TopicImage current = image;
        if (fresh || current == null || now - imageAt > TOPIC_IMAGE_MAX_AGE_MS) {
            current = new TopicImage(topics.list());
            image = current;
            imageAt = now;
        }
        return current;
    }

    private static void logEvents(String groupId, List<String> events, long micros) {
        for (String event : events) {
            if (micros >= 0 && event.startsWith("target assignment")) {
                LOG.log(Level.INFO, "consumer group {0}: {1} (heartbeat handled in {2} ms)", groupId, event,
                        String.format(Locale.ROOT, "%.2f", micros / 1000.0));
            } else {
                LOG.log(Level.INFO, "consumer group {0}: {1}", groupId, event);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** The consumer groups in memory; for tests. */
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
}
