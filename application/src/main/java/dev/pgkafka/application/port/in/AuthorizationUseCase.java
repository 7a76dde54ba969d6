package dev.pgkafka.application.port.in;

import java.util.ArrayList;
import java.util.List;

import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * Decides whether a requester may perform actions, as Kafka's {@code Authorizer} does. Each API
 * handler asks for exactly what Kafka's {@code KafkaApis} asks for.
 */
public interface AuthorizationUseCase {

    /**
     * Whether an authorizer is configured ({@code authorizer.class.name}). Without one everything is
     * allowed, and the ACL APIs answer SECURITY_DISABLED as Kafka does.
     */
    boolean isEnabled();

    /** One decision per action, in order: true when allowed. */
    List<Boolean> authorize(Requester requester, List<Action> actions);

    default boolean authorize(Requester requester, Action action) {
        return authorize(requester, List.of(action)).getFirst();
    }

    /**
     * Whether the requester may perform {@code operation} on at least one resource of the type
     * (Kafka's {@code authorizeByResourceType}: an ALLOW on any pattern that no DENY covers).
     */
    boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType resourceType);

    /** No authorizer: everything is allowed. */
    AuthorizationUseCase ALLOW_ALL = new AuthorizationUseCase() {
        @Override
        public boolean isEnabled() {
            return false;
        }

        @Override
        public List<Boolean> authorize(Requester requester, List<Action> actions) {
            List<Boolean> all = new ArrayList<>(actions.size());
            for (int i = 0; i < actions.size(); i++) {
                all.add(Boolean.TRUE);
            }
            return all;
        }

        @Override
        public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType resourceType) {
            return true;
        }
    };
}
