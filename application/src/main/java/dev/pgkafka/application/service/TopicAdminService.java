package dev.pgkafka.application.service;

import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pgkafka.application.port.in.TopicAdminUseCase;
import dev.pgkafka.application.port.out.TopicStorePort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/**
 * Deletes topics (the storage drops them at once, their records are purged in the background by
 * the log cleaner) and adds partitions, with Kafka's checks and messages.
 */
public final class TopicAdminService implements TopicAdminUseCase {
    private static final System.Logger LOG = System.getLogger(TopicAdminService.class.getName());

    private final TopicService topics;
    private final TopicStorePort store;
    private final BrokerSettings settings;
    private final Runnable afterDelete;
    private final List<TopicDeletionListener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param afterDelete runs after each deletion, e.g. to wake the log cleaner that purges the
     *                    deleted topic's records
     */
    public TopicAdminService(TopicService topics, TopicStorePort store, BrokerSettings settings, Runnable afterDelete) {
        this.topics = topics;
        this.store = store;
        this.settings = settings;
        this.afterDelete = afterDelete;
    }

    /** Registers a listener told about every deleted topic, e.g. to delete its committed offsets. */
    public void onTopicDeleted(TopicDeletionListener listener) {
        listeners.add(listener);
    }

    @Override
    public DeleteTopicResult deleteTopic(String name) {
        Optional<Topic> topic = name == null ? Optional.empty() : topics.find(name);
        if (topic.isEmpty()) {
            return DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
                    "This server does not host this topic-partition.");
        }
        return delete(topic.get(), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
    }

    @Override
    public DeleteTopicResult deleteTopic(UUID topicId) {
        Optional<Topic> topic = topics.find(topicId);
        if (topic.isEmpty()) {
            return DeleteTopicResult.failed(ErrorCode.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
        }
        return delete(topic.get(), ErrorCode.UNKNOWN_TOPIC_ID, "This server does not host this topic ID.");
    }

    private DeleteTopicResult delete(Topic topic, ErrorCode unknown, String unknownMessage) {
        Optional<Topic> deleted = store.delete(topic.id());
        topics.forget(topic);
        if (deleted.isEmpty()) {
            // deleted by someone else since we looked it up
            return DeleteTopicResult.failed(unknown, unknownMessage);
        }
        LOG.log(Level.INFO, "deleted topic {0} ({1}, {2} partition(s))", topic.name(), topic.id(),
                topic.partitionCount());
        for (TopicDeletionListener listener : listeners) {
            try {
                listener.topicDeleted(deleted.get());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a topic deletion listener failed for " + topic.name() + ": " + e, e);
            }
        }
        afterDelete.run();
        return new DeleteTopicResult(deleted.get(), ErrorCode.NONE, null);
    }

    @Override
    public CreatePartitionsResult createPartitions(String name, int count, List<List<Integer>> assignments,
                                                   boolean validateOnly) {
        Optional<Topic> found = name == null ? Optional.empty() : topics.find(name);
        if (found.isEmpty()) {
            return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
        }
        Topic topic = found.get();
        int current = topic.partitionCount();
        if (count == current) {
            return failed(ErrorCode.INVALID_PARTITIONS, "Topic already has " + current + " partition(s).");
        }
        if (count < current) {
            return failed(ErrorCode.INVALID_PARTITIONS, "The topic " + name + " currently has " + current
                    + " partition(s); " + count + " would not be an increase.");
        }
        if (count > TopicService.MAX_PARTITIONS) {
            return failed(ErrorCode.INVALID_PARTITIONS,
                    "Number of partitions must be at most " + TopicService.MAX_PARTITIONS + ".");
        }
        if (assignments != null) {
            if (assignments.size() != count - current) {
                return failed(ErrorCode.INVALID_REPLICA_ASSIGNMENT, "Increasing the number of partitions by "
                        + (count - current) + " but " + assignments.size() + " assignments provided.");
            }
            for (List<Integer> replicas : assignments) {
                Optional<String> problem = replicaProblem(replicas);
                if (problem.isPresent()) {
                    return failed(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem.get());
                }
            }
        }
        if (validateOnly) {
            return CreatePartitionsResult.OK;
        }
        Optional<Topic> after = store.addPartitions(topic.id(), count);
        if (after.isEmpty()) {
            topics.forget(topic);
            return failed(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "This server does not host this topic-partition.");
        }
        topics.updated(topic, after.get());
        if (after.get().partitionCount() != count) {
            return failed(ErrorCode.INVALID_PARTITIONS, "The topic " + name + " currently has "
                    + after.get().partitionCount() + " partition(s); " + count + " would not be an increase.");
        }
        LOG.log(Level.INFO, "topic {0} now has {1} partition(s), was {2}", name, count, current);
        return CreatePartitionsResult.OK;
    }

    /**
     * Why a manual replica assignment cannot be honoured: pgkafka is one broker, so a partition's
     * replicas can only be this broker (durability is PostgreSQL's). Empty when it names this broker only.
     */
    public Optional<String> replicaProblem(List<Integer> replicas) {
        if (replicas.isEmpty()) {
            return Optional.of("The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int broker : replicas) {
            if (!seen.add(broker)) {
                return Optional.of("Duplicate brokers not allowed in replica assignment: " + replicas);
            }
            if (broker != settings.nodeId()) {
                return Optional.of("The manual partition assignment includes broker " + broker
                        + ", but no such broker is registered.");
            }
        }
        return Optional.empty();
    }

    private static CreatePartitionsResult failed(ErrorCode error, String message) {
        return new CreatePartitionsResult(error, message);
    }
}
