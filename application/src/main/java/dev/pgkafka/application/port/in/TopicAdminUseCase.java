package dev.pgkafka.application.port.in;

import java.util.List;
import java.util.UUID;

import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.topic.Topic;

/** Delete topics and add partitions to them, as Kafka's DeleteTopics and CreatePartitions do. */
public interface TopicAdminUseCase {

    /** Deletes a topic by name: its records, offsets and state go with it. */
    DeleteTopicResult deleteTopic(String name);

    /** Deletes a topic by id. */
    DeleteTopicResult deleteTopic(UUID topicId);

    /**
     * Raises a topic's partition count.
     *
     * @param assignments the replicas of each new partition, or null to let the broker choose
     */
    CreatePartitionsResult createPartitions(String topic, int count, List<List<Integer>> assignments,
                                            boolean validateOnly);

    /** @param topic the deleted topic, null on error */
    record DeleteTopicResult(Topic topic, ErrorCode error, String errorMessage) {
        public static DeleteTopicResult failed(ErrorCode error, String message) {
            return new DeleteTopicResult(null, error, message);
        }
    }

    record CreatePartitionsResult(ErrorCode error, String errorMessage) {
        public static final CreatePartitionsResult OK = new CreatePartitionsResult(ErrorCode.NONE, null);
    }
}
