package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.pgkafka.application.port.in.AuthenticationUseCase;
import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.application.port.in.ClusterUseCase;
import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.in.SaslExchange;
import dev.pgkafka.application.port.in.TopicsUseCase;
import dev.pgkafka.domain.security.AuthenticationFailedException;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;
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

    /** Users with passwords and bearer tokens with their principals; the failure message can be set. */
    static final class FakeAuthentication implements AuthenticationUseCase {
        final Map<String, String> passwords = new ConcurrentHashMap<>();
        final Map<String, KafkaPrincipal> tokens = new ConcurrentHashMap<>();
        volatile String failureMessage = "Authentication failed: Invalid username or password";
        /** Thrown by every check while set, as when the credential store cannot be reached. */
        volatile RuntimeException outage;

        @Override
        public List<String> enabledMechanisms(String listenerName) {
            return List.of();
        }

        @Override
        public SaslExchange startSasl(String listenerName, String mechanism, String clientHost) {
            throw new IllegalArgumentException("no SASL over HTTP");
        }

        @Override
        public KafkaPrincipal authenticatePassword(String username, String password)
                throws AuthenticationFailedException {
            if (outage != null) {
                throw outage;
            }
            if (password.equals(passwords.get(username))) {
                return KafkaPrincipal.user(username);
            }
            throw new AuthenticationFailedException(failureMessage);
        }

        @Override
        public KafkaPrincipal authenticateBearer(String token) throws AuthenticationFailedException {
            KafkaPrincipal principal = tokens.get(token);
            if (principal == null) {
                throw new AuthenticationFailedException(failureMessage);
            }
            return principal;
        }
    }

    /**
     * An authorizer that allows DESCRIBE of the resources listed per principal ({@code "TOPIC:orders"})
     * and records every action it is asked about, with who asked.
     */
    static final class FakeAuthorization implements AuthorizationUseCase {
        final Map<KafkaPrincipal, Set<String>> describable = new ConcurrentHashMap<>();
        final List<Asked> asked = new CopyOnWriteArrayList<>();
        /** Allow every action (still recording them). */
        volatile boolean allowEverything;

        record Asked(Requester requester, Action action) {
        }

        void allow(KafkaPrincipal principal, ResourceType type, String... names) {
            Set<String> set = describable.computeIfAbsent(principal, p -> ConcurrentHashMap.newKeySet());
            for (String name : names) {
                set.add(type + ":" + name);
            }
        }

        @Override
        public boolean isEnabled() {
            return true;
        }

        @Override
        public List<Boolean> authorize(Requester requester, List<Action> actions) {
            List<Boolean> decisions = new ArrayList<>(actions.size());
            Set<String> allowed = describable.getOrDefault(requester.principal(), Set.of());
            for (Action action : actions) {
                asked.add(new Asked(requester, action));
                decisions.add(allowEverything || action.operation() == AclOperation.DESCRIBE
                        && allowed.contains(action.resourceType() + ":" + action.resourceName()));
            }
            return decisions;
        }

        @Override
        public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType resourceType) {
            return false;
        }
    }
}
