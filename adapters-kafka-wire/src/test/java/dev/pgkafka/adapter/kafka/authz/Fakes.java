package dev.pgkafka.adapter.kafka.authz;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.ConsumerGroupsUseCase;
import dev.pgkafka.application.port.in.GroupMembershipUseCase;
import dev.pgkafka.application.port.in.GroupOffsetsUseCase;
import dev.pgkafka.application.port.in.GroupsUseCase;
import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.application.port.in.TransactionsUseCase;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.config.ConfigSource;
import dev.pgkafka.domain.config.ConfigType;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.group.GroupDescription;
import dev.pgkafka.domain.group.JoinRequest;
import dev.pgkafka.domain.group.JoinResult;
import dev.pgkafka.domain.group.LeaveResult;
import dev.pgkafka.domain.group.MemberIdentity;
import dev.pgkafka.domain.group.SyncRequest;
import dev.pgkafka.domain.group.SyncResult;
import dev.pgkafka.domain.group.consumer.ConsumerGroupDescription;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeat;
import dev.pgkafka.domain.group.consumer.ConsumerHeartbeatResult;
import dev.pgkafka.domain.producer.ProducerPartitionState;
import dev.pgkafka.domain.topic.Topic;
import dev.pgkafka.domain.topic.TopicIdPartition;
import dev.pgkafka.domain.txn.TransactionMetadata;

/** Use cases in memory, recording what the handlers asked of them once authorization let them through. */
final class Fakes {
    private Fakes() {
    }

    static final class Topics implements TopicsUseCase {
        final Map<String, Topic> byName = new LinkedHashMap<>();
        boolean autoCreate;
        final List<String> autoCreated = new ArrayList<>();
        final List<CreateTopicCommand> created = new ArrayList<>();

        Topic add(String name, int partitions) {
            Topic topic = new Topic(UUID.randomUUID(), name, partitions, Map.of());
            byName.put(name, topic);
            return topic;
        }

        @Override
        public Optional<Topic> find(String name) {
            return Optional.ofNullable(byName.get(name));
        }

        @Override
        public Optional<Topic> find(UUID topicId) {
            return byName.values().stream().filter(t -> t.id().equals(topicId)).findFirst();
        }

        @Override
        public List<Topic> list() {
            return List.copyOf(byName.values());
        }

        @Override
        public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
            if (!byName.containsKey(name) && clientAllowsAutoCreate && autoCreate) {
                autoCreated.add(name);
                add(name, 1);
            }
            return find(name);
        }

        @Override
        public boolean autoCreatesTopics() {
            return autoCreate;
        }

        @Override
        public CreateTopicOutcome create(CreateTopicCommand command) {
            created.add(command);
            Topic topic = new Topic(UUID.randomUUID(), command.name(), command.partitions() == -1 ? 1 : command.partitions(),
                    command.configs());
            if (!command.validateOnly()) {
                byName.put(topic.name(), topic);
            }
            return CreateTopicOutcome.created(topic);
        }

        @Override
        public List<TopicDescription> describeAll() {
            return List.of();
        }
    }

    static final class TopicAdmin implements TopicAdminUseCase {
        private final Topics topics;
        final List<String> deleted = new ArrayList<>();
        final List<String> grown = new ArrayList<>();

        TopicAdmin(Topics topics) {
            this.topics = topics;
        }

        @Override
        public DeleteTopicResult deleteTopic(String name) {
            Topic topic = topics.byName.remove(name);
            if (topic == null) {
                return DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
            }
            deleted.add(name);
            return new DeleteTopicResult(topic, ErrorCode.NONE, null);
        }

        @Override
        public DeleteTopicResult deleteTopic(UUID topicId) {
            Optional<Topic> topic = topics.find(topicId);
            if (topic.isEmpty()) {
                return DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
            }
            return deleteTopic(topic.get().name());
        }

        @Override
        public CreatePartitionsResult createPartitions(String topic, int count, List<List<Integer>> assignments,
                                                       boolean validateOnly) {
            grown.add(topic);
            return CreatePartitionsResult.OK;
        }
    }

    static final class Configs implements ConfigsUseCase {
        final List<DescribeRequest> described = new ArrayList<>();
        final List<IncrementalAlter> altered = new ArrayList<>();
        final List<Replace> replaced = new ArrayList<>();

        @Override
        public List<DescribeResult> describe(List<DescribeRequest> resources, boolean includeSynonyms,
                                             boolean includeDocumentation) {
            described.addAll(resources);
            return resources.stream().map(r -> new DescribeResult(r.resource(), ErrorCode.NONE, null,
                    List.of(entry("cleanup.policy", "delete")))).toList();
        }

        @Override
        public List<AlterResult> incrementalAlter(List<IncrementalAlter> changes, boolean validateOnly) {
            altered.addAll(changes);
            return changes.stream().map(c -> AlterResult.ok(c.resource())).toList();
        }

        @Override
        public List<AlterResult> replace(List<Replace> replacements, boolean validateOnly) {
            replaced.addAll(replacements);
            return replacements.stream().map(c -> AlterResult.ok(c.resource())).toList();
        }

        @Override
        public List<ConfigEntry> topicConfigs(Topic topic) {
            return List.of(entry("cleanup.policy", "delete"));
        }

        static ConfigEntry entry(String name, String value) {
            return new ConfigEntry(name, value, ConfigSource.DEFAULT_CONFIG, false, false, ConfigType.STRING, null, List.of());
        }
    }

    static final class Groups implements GroupsUseCase {
        final Map<String, GroupDescription> groups = new LinkedHashMap<>();
        final List<String> deleted = new ArrayList<>();

        @Override
        public Optional<GroupDescription> describeGroup(String groupId) {
            return Optional.ofNullable(groups.get(groupId));
        }

        @Override
        public List<GroupListing> listGroups(Collection<String> stateFilter, Collection<String> typeFilter) {
            return groups.values().stream().map(g -> new GroupListing(g.groupId(), g.protocolType(), g.state(), CLASSIC))
                    .toList();
        }

        @Override
        public ErrorCode deleteGroup(String groupId) {
            deleted.add(groupId);
            return ErrorCode.NONE;
        }

        @Override
        public List<GroupOverview> overview() {
            return List.of();
        }
    }

    static final class Membership implements GroupMembershipUseCase {
        final List<String> calls = new ArrayList<>();

        @Override
        public JoinResult joinGroup(String groupId, JoinRequest request) {
            calls.add("join " + groupId);
            return JoinResult.error(ErrorCode.UNKNOWN_MEMBER_ID, request.memberId());
        }

        @Override
        public SyncResult syncGroup(String groupId, SyncRequest request) {
            calls.add("sync " + groupId);
            return SyncResult.error(ErrorCode.UNKNOWN_MEMBER_ID);
        }

        @Override
        public ErrorCode heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
            calls.add("heartbeat " + groupId);
            return ErrorCode.NONE;
        }

        @Override
        public LeaveResult leaveGroup(String groupId, List<MemberIdentity> members) {
            calls.add("leave " + groupId);
            return new LeaveResult(ErrorCode.NONE, members.stream().map(m -> ErrorCode.NONE).toList());
        }
    }

    static final class GroupOffsets implements GroupOffsetsUseCase {
        final List<OffsetCommitCommand> commits = new ArrayList<>();
        final List<List<PartitionRef>> fetched = new ArrayList<>();
        final List<List<PartitionRef>> deleted = new ArrayList<>();
        /** What a fetch of all offsets finds. */
        final List<FetchedOffset> committed = new ArrayList<>();

        @Override
        public List<ErrorCode> commitOffsets(OffsetCommitCommand command) {
            commits.add(command);
            return command.partitions().stream().map(p -> ErrorCode.NONE).toList();
        }

        @Override
        public List<ErrorCode> commitTransactionalOffsets(OffsetCommitCommand command, long producerId) {
            return commitOffsets(command);
        }

        @Override
        public List<FetchedOffset> fetchOffsets(String groupId, List<PartitionRef> partitions, boolean requireStable) {
            if (partitions == null) {
                return List.copyOf(committed);
            }
            fetched.add(partitions);
            return partitions.stream().map(p -> new FetchedOffset(p.topic(), p.partition(), 42, -1, "", ErrorCode.NONE))
                    .toList();
        }

        @Override
        public OffsetDeleteResult deleteOffsets(String groupId, List<PartitionRef> partitions) {
            deleted.add(partitions);
            return new OffsetDeleteResult(ErrorCode.NONE, partitions.stream().map(p -> ErrorCode.NONE).toList());
        }
    }

    static final class ConsumerGroups implements ConsumerGroupsUseCase {
        final List<ConsumerHeartbeat> heartbeats = new ArrayList<>();
        Predicate<String> lastVisibleTopics;
        final Map<String, ConsumerGroupDescription> groups = new LinkedHashMap<>();

        @Override
        public ConsumerHeartbeatResult heartbeat(String groupId, ConsumerHeartbeat request, Predicate<String> visibleTopics) {
            heartbeats.add(request);
            lastVisibleTopics = visibleTopics;
            return new ConsumerHeartbeatResult(ErrorCode.NONE, null, request.memberId(), 1, 5000, null);
        }

        @Override
        public List<DescribedConsumerGroup> describe(List<String> groupIds) {
            return groupIds.stream().map(id -> groups.containsKey(id)
                    ? new DescribedConsumerGroup(id, ErrorCode.NONE, null, groups.get(id))
                    : new DescribedConsumerGroup(id, ErrorCode.GROUP_ID_NOT_FOUND, "Group " + id + " not found.", null))
                    .toList();
        }

        @Override
        public List<ConsumerGroupDescription> describeAll() {
            return List.copyOf(groups.values());
        }
    }

    static final class Transactions implements TransactionsUseCase {
        final List<Collection<TopicIdPartition>> added = new ArrayList<>();
        final List<String> calls = new ArrayList<>();
        final Map<String, TransactionMetadata> states = new LinkedHashMap<>();

        @Override
        public ErrorCode addPartitions(String transactionalId, long producerId, short producerEpoch,
                                       Collection<TopicIdPartition> partitions) {
            added.add(List.copyOf(partitions));
            return ErrorCode.NONE;
        }

        @Override
        public ErrorCode addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
            calls.add("addOffsets " + transactionalId + " " + groupId);
            return ErrorCode.NONE;
        }

        @Override
        public EndTxnResult endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit,
                                           boolean bumpEpoch) {
            calls.add("endTxn " + transactionalId);
            return new EndTxnResult(ErrorCode.NONE, producerId, producerEpoch);
        }

        @Override
        public List<ErrorCode> commitOffsets(String transactionalId, long producerId, short producerEpoch,
                                             GroupOffsetsUseCase.OffsetCommitCommand command, boolean addGroup) {
            calls.add("txnOffsetCommit " + transactionalId + " " + command.partitions().size());
            return command.partitions().stream().map(p -> ErrorCode.NONE).toList();
        }

        @Override
        public int transactionVersion() {
            return 2;
        }

        @Override
        public List<TransactionMetadata> list(Set<String> stateFilter, Set<Long> producerIds, long minDurationMs,
                                              Predicate<String> idFilter) {
            return List.copyOf(states.values());
        }

        @Override
        public Optional<TransactionMetadata> describe(String transactionalId) {
            return Optional.ofNullable(states.get(transactionalId));
        }

        @Override
        public List<ProducerPartitionState> producers(TopicIdPartition partition) {
            return List.of();
        }
    }
}
