package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.topic.Topic;

/** Hand-written fakes of the use cases the admin API drives; tests change their answers between calls. */
final class Fakes {
    private Fakes() {
    }

    static final class FakeHealth implements HealthUseCase {
        volatile Health answer = new Health(true, "fake storage", 3, null);

        @Override
        public Health check() {
            return answer;
        }
    }

    static final class FakeTopics implements TopicsUseCase {
        volatile List<TopicDescription> descriptions = List.of();
        volatile RuntimeException failure;

        @Override
        public Optional<Topic> find(String name) {
            return list().stream().filter(t -> t.name().equals(name)).findFirst();
        }

        @Override
        public Optional<Topic> find(UUID topicId) {
            return list().stream().filter(t -> t.id().equals(topicId)).findFirst();
        }

        @Override
        public List<Topic> list() {
            failIfAsked();
            List<Topic> topics = new ArrayList<>();
            descriptions.forEach(d -> topics.add(d.topic()));
            return topics;
        }

        @Override
        public Optional<Topic> findOrAutoCreate(String name, boolean clientAllowsAutoCreate) {
            return find(name);
        }

        @Override
        public CreateTopicOutcome create(CreateTopicCommand command) {
            throw new UnsupportedOperationException("the admin API does not create topics yet");
        }

        @Override
        public List<TopicDescription> describeAll() {
            failIfAsked();
            return descriptions;
        }

        private void failIfAsked() {
            RuntimeException e = failure;
            if (e != null) {
                throw e;
            }
        }
    }

    /** The record's accessors are the use case's methods. */
    record FakeCluster(String clusterId, int nodeId) implements ClusterUseCase {
    }
}
