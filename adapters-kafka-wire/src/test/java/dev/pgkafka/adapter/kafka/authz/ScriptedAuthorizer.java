package dev.pgkafka.adapter.kafka.authz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;

/**
 * An authorizer that allows exactly what a test grants: (principal, operation, resource type, name),
 * nothing implied, and records every question, so a test can say what a handler asked and whether it
 * would log a denial.
 */
final class ScriptedAuthorizer implements AuthorizationUseCase {
    private record Grant(String principal, AclOperation operation, ResourceType type, String name) {
    }

    /** One question a handler asked. */
    record Asked(String principal, Action action, boolean allowed) {
    }

    private final Set<Grant> grants = new HashSet<>();
    private final Set<String> byResourceType = new HashSet<>();
    final List<Asked> asked = new ArrayList<>();

    ScriptedAuthorizer allow(String user, AclOperation operation, ResourceType type, String name) {
        grants.add(new Grant("User:" + user, operation, type, name));
        return this;
    }

    ScriptedAuthorizer allowCluster(String user, AclOperation operation) {
        return allow(user, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    /** What {@code authorizeByResourceType} answers yes to (an ALLOW somewhere of that type). */
    ScriptedAuthorizer allowSomewhere(String user, AclOperation operation, ResourceType type) {
        byResourceType.add("User:" + user + "/" + operation + "/" + type);
        return this;
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    @Override
    public List<Boolean> authorize(Requester requester, List<Action> actions) {
        List<Boolean> decisions = new ArrayList<>(actions.size());
        String principal = requester.principal().toString();
        for (Action a : actions) {
            boolean allowed = grants.contains(new Grant(principal, a.operation(), a.resourceType(), a.resourceName()));
            asked.add(new Asked(principal, a, allowed));
            decisions.add(allowed);
        }
        return decisions;
    }

    @Override
    public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType resourceType) {
        return byResourceType.contains(requester.principal() + "/" + operation + "/" + resourceType);
    }

    /** The denials that would be logged (Kafka's logIfDenied). */
    List<Action> loggedDenials() {
        return asked.stream().filter(a -> !a.allowed() && a.action().logIfDenied()).map(Asked::action).toList();
    }

    /** Whether the handler asked this exact question. */
    boolean wasAsked(AclOperation operation, ResourceType type, String name) {
        return asked.stream().anyMatch(a -> a.action().operation() == operation && a.action().resourceType() == type
                && a.action().resourceName().equals(name));
    }
}
