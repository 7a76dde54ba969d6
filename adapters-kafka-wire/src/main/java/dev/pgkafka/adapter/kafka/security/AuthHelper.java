package dev.pgkafka.adapter.kafka.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * The authorization questions API handlers ask, phrased as Kafka's {@code AuthHelper} phrases them,
 * for the requester of a request. With no authorizer configured every answer is yes.
 */
public final class AuthHelper {
    /** Kafka's value for "the client did not ask for authorized operations". */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    private final AuthorizationUseCase authorization;

    public AuthHelper(AuthorizationUseCase authorization) {
        this.authorization = authorization;
    }

    /** Everything allowed (tests, and brokers without {@code authorizer.class.name}). */
    public static AuthHelper allowAll() {
        return new AuthHelper(AuthorizationUseCase.ALLOW_ALL);
    }

    public boolean isEnabled() {
        return authorization.isEnabled();
    }

    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name) {
        return authorize(context, operation, type, name, true, true);
    }

    public boolean authorize(RequestContext context, AclOperation operation, ResourceType type, String name,
                             boolean logIfAllowed, boolean logIfDenied) {
        return authorization.authorize(context.requester(),
                new Action(operation, type, name, logIfAllowed, logIfDenied));
    }

    public boolean authorizeCluster(RequestContext context, AclOperation operation) {
        return authorize(context, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** A cluster check that is only a first try (Kafka's {@code logIfDenied = false}), e.g. CREATE before topic CREATE. */
    public boolean authorizeCluster(RequestContext context, AclOperation operation, boolean logIfAllowed,
                                    boolean logIfDenied) {
        return authorize(context, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME, logIfAllowed, logIfDenied);
    }

    public boolean authorizeByResourceType(RequestContext context, AclOperation operation, ResourceType type) {
        return authorization.authorizeByResourceType(context.requester(), operation, type);
    }

    /** The names (of {@code names}, duplicates asked once) the requester may perform {@code operation} on. */
    public Set<String> filterByAuthorized(RequestContext context, AclOperation operation, ResourceType type,
                                          Collection<String> names, boolean logIfAllowed, boolean logIfDenied) {
        Set<String> distinct = new LinkedHashSet<>(names);
        if (!authorization.isEnabled()) {
            return distinct;
        }
        List<String> ordered = new ArrayList<>(distinct);
        List<Action> actions = new ArrayList<>(ordered.size());
        for (String name : ordered) {
            actions.add(new Action(operation, type, name, logIfAllowed, logIfDenied));
        }
        List<Boolean> decisions = authorization.authorize(context.requester(), actions);
        Set<String> allowed = new LinkedHashSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            if (decisions.get(i)) {
                allowed.add(ordered.get(i));
            }
        }
        return allowed;
    }

    public Set<String> filterByAuthorized(RequestContext context, AclOperation operation, ResourceType type,
                                          Collection<String> names) {
        return filterByAuthorized(context, operation, type, names, true, true);
    }

    /**
     * KIP-430: the operations of those the resource type supports that the requester may perform,
     * as Kafka's 32-bit field (bit = operation code). Decisions are not logged, as in Kafka.
     */
    public int authorizedOperations(RequestContext context, ResourceType type, String name) {
        Set<AclOperation> supported = supportedOperations(type);
        if (!authorization.isEnabled()) {
            return bits(supported);
        }
        Map<AclOperation, Action> actions = new LinkedHashMap<>();
        for (AclOperation op : supported) {
            actions.put(op, new Action(op, type, name, false, false));
        }
        List<Boolean> decisions = authorization.authorize(context.requester(), new ArrayList<>(actions.values()));
        Set<AclOperation> allowed = EnumSet.noneOf(AclOperation.class);
        int i = 0;
        for (AclOperation op : actions.keySet()) {
            if (decisions.get(i++)) {
                allowed.add(op);
            }
        }
        return bits(allowed);
    }

    /** The operations an ACL on a resource of this type can name (Kafka's {@code AclEntry.supportedOperations}). */
    public static Set<AclOperation> supportedOperations(ResourceType type) {
        return switch (type) {
            case TOPIC -> EnumSet.of(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DESCRIBE,
                    AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case GROUP -> EnumSet.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
                    AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);
            case CLUSTER -> EnumSet.of(AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS, AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE);
            case TRANSACTIONAL_ID -> EnumSet.of(AclOperation.DESCRIBE, AclOperation.WRITE, AclOperation.TWO_PHASE_COMMIT);
            case DELEGATION_TOKEN -> EnumSet.of(AclOperation.DESCRIBE);
            case USER -> EnumSet.of(AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS);
            default -> EnumSet.noneOf(AclOperation.class);
        };
    }

    private static int bits(Set<AclOperation> operations) {
        int field = 0;
        for (AclOperation op : operations) {
            field |= 1 << op.code();
        }
        return field;
    }
}
