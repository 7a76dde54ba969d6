package dev.pgkafka.application.service.security;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclIndex;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.AuthorizationDecision;
import dev.pgkafka.domain.security.acl.ResourceType;
import dev.pgkafka.domain.security.acl.StandardAuthorizer;

/**
 * Kafka's standard authorizer over this broker's {@link AclCache}, with its audit log: every
 * decision goes to the logger {@code kafka.authorizer.logger} (Kafka's name, so existing logging
 * configs apply), a denied one at INFO when the request explicitly asked for the resource, an allowed
 * one at DEBUG, the rest at TRACE. When disabled (no {@code authorizer.class.name}) everything is
 * allowed and nothing is logged.
 */
public final class AuthorizationService implements AuthorizationUseCase {
    /** Kafka's audit logger name. */
    public static final String AUDIT_LOGGER = "kafka.authorizer.logger";

    private final AclCache cache;
    private final AuthorizerSettings settings;
    private final System.Logger audit;
    private volatile StandardAuthorizer authorizer;

    public AuthorizationService(AclCache cache, AuthorizerSettings settings) {
        this(cache, settings, System.getLogger(AUDIT_LOGGER));
    }

    /** With another audit logger (tests). */
    AuthorizationService(AclCache cache, AuthorizerSettings settings, System.Logger audit) {
        this.cache = cache;
        this.settings = settings;
        this.audit = audit;
        this.authorizer = new StandardAuthorizer(cache.acls(), settings.superUsers(), settings.allowEveryoneIfNoAclFound());
    }

    public AuthorizerSettings settings() {
        return settings;
    }

    @Override
    public boolean isEnabled() {
        return settings.enabled();
    }

    @Override
    public List<Boolean> authorize(Requester requester, List<Action> actions) {
        List<Boolean> decisions = new ArrayList<>(actions.size());
        if (!settings.enabled()) {
            actions.forEach(a -> decisions.add(Boolean.TRUE));
            return decisions;
        }
        StandardAuthorizer current = current();
        for (Action action : actions) {
            decisions.add(decide(current, requester, action));
        }
        return decisions;
    }

    @Override
    public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType resourceType) {
        if (!settings.enabled()) {
            return true;
        }
        StandardAuthorizer current = current();
        // Kafka decides (and logs) a made-up name first, so super users pass whatever the DENYs say
        return decide(current, requester, StandardAuthorizer.resourceTypeProbe(operation, resourceType))
                || current.anyResourceAllowed(requester, operation, resourceType);
    }

    /** The decision with its reason, unlogged (tests, tools). */
    public AuthorizationDecision explain(Requester requester, Action action) {
        return current().authorize(requester, action);
    }

    private boolean decide(StandardAuthorizer current, Requester requester, Action action) {
        AuthorizationDecision decision = current.authorize(requester, action);
        Level level = decision.allowed()
                ? (action.logIfAllowed() ? Level.DEBUG : Level.TRACE)
                : (action.logIfDenied() ? Level.INFO : Level.TRACE);
        if (audit.isLoggable(level)) {
            audit.log(level, auditMessage(requester, action, decision));
        }
        return decision.allowed();
    }

    /** The authorizer over the ACLs the cache holds now (rebuilt only when they changed). */
    private StandardAuthorizer current() {
        StandardAuthorizer a = authorizer;
        AclIndex acls = cache.acls();
        if (a.acls() != acls) {
            a = a.withAcls(acls);
            authorizer = a;
        }
        return a;
    }

    /** Kafka's audit line, without the request name and reference count, which actions do not carry. */
    static String auditMessage(Requester requester, Action action, AuthorizationDecision decision) {
        return "Principal = " + requester.principal() + " is " + (decision.allowed() ? "Allowed" : "Denied")
                + " operation = " + action.operation() + " from host = " + requester.host()
                + " on resource = " + resourceTypeName(action.resourceType()) + ":LITERAL:" + action.resourceName()
                + " based on rule " + decision.rule();
    }

    /** Kafka's {@code SecurityUtils.resourceTypeName}: TRANSACTIONAL_ID is "TransactionalId". */
    static String resourceTypeName(ResourceType type) {
        StringBuilder name = new StringBuilder();
        for (String word : type.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }
}
