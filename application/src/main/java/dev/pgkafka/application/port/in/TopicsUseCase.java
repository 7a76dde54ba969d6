package dev.pgkafka.application.port.in;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.LogConfig;
import dev.pgkafka.domain.topic.Topic;

/** Find, list and create topics, and resolve their configs. */
public interface TopicsUseCase {

    Optional<Topic> find(String name);

    Optional<Topic> find(UUID topicId);

    List<Topic> list();

    /**
     * The topic, created with the broker's default partition count when it does not exist and
     * auto-creation is enabled (and {@code clientAllowsAutoCreate}).
     */
    Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate);

    /**
     * Kafka's {@code auto.create.topics.enable}: whether {@link #findOrAutoCreate} creates missing topics
     * (Metadata then checks the client's CREATE permission for them).
     */
    default boolean autoCreatesTopics() {
        return false;
    }

    CreateTopicOutcome create(CreateTopicCommand command);

    /** Every topic with the heads of its partitions, in name order. */
    List<TopicDescription> describeAll();

    /** The topic's configs resolved over the broker's (Kafka's defaults where nothing is set). */
    default LogConfig logConfig(Topic topic) {
        return LogConfig.of(topic);
    }

    /**
     * @param partitions -1 for the broker's default
     */
    record CreateTopicCommand(String name, int partitions, Map<String, String> configs, boolean validateOnly) {
        public CreateTopicCommand {
            configs = configs == null ? Map.of() : Map.copyOf(configs);
        }
    }

    /** The created (or, for validate-only, would-be) topic, or the error. */
    record CreateTopicOutcome(Topic topic, ErrorCode error, String errorMessage) {
        public static CreateTopicOutcome created(Topic topic) {
            return new CreateTopicOutcome(topic, ErrorCode.NONE, null);
        }

        public static CreateTopicOutcome failed(ErrorCode error, String message) {
            return new CreateTopicOutcome(null, error, message);
        }

        public boolean isSuccess() {
            return error == ErrorCode.NONE;
        }
    }

    record TopicDescription(Topic topic, List<PartitionHead> partitions) {
    }
}
