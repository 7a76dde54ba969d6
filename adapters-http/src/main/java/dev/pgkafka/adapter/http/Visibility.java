package dev.pgkafka.adapter.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.pgkafka.application.port.in.AuthorizationUseCase;
import dev.pgkafka.domain.security.Requester;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.domain.security.acl.Action;
import dev.pgkafka.domain.security.acl.ResourceType;
import io.helidon.webserver.http.ServerRequest;

/**
 * What one request's principal may see: resources it may DESCRIBE, decided by the authorizer as
 * Kafka's handlers decide. Lists keep only what may be described and do not log denials (Kafka's
 * {@code logIfDenied=false} for resources a request did not name); a resource named in the path is
 * an explicit request, allowed and denied decisions both worth an audit line.
 */
final class Visibility {
    private final AuthorizationUseCase authorization;
    private final Requester requester;
    /** Topic decisions already made for this request (a group's offsets name the same topics often). */
    private final Map<String, Boolean> topics = new HashMap<>();

    private Visibility(AuthorizationUseCase authorization, Requester requester) {
        this.authorization = authorization;
        this.requester = requester;
    }

    static Visibility of(ServerRequest req, AuthorizationUseCase authorization) {
        return new Visibility(authorization, Caller.of(req).requester());
    }

    /** Whether the principal may DESCRIBE the resource the request names. */
    boolean mayDescribe(ResourceType type, String name) {
        return authorization.authorize(requester, new Action(AclOperation.DESCRIBE, type, name, true, true));
    }

    /** The items whose resource the principal may DESCRIBE, in their order, asked in one batch. */
    <T> List<T> describable(ResourceType type, List<T> items, Function<T, String> name) {
        if (items.isEmpty()) {
            return List.of();
        }
        List<Action> actions = new ArrayList<>(items.size());
        for (T item : items) {
            actions.add(listed(type, name.apply(item)));
        }
        List<Boolean> allowed = authorization.authorize(requester, actions);
        List<T> visible = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (allowed.get(i)) {
                visible.add(items.get(i));
            }
        }
        return visible;
    }

    /** Decides the topics in one batch, so that {@link #mayDescribeTopic} answers from memory. */
    Visibility decideTopics(Collection<String> names) {
        List<String> open = new ArrayList<>(new LinkedHashSet<>(names));
        open.removeIf(topics::containsKey);
        if (!open.isEmpty()) {
            List<Action> actions = open.stream().map(n -> listed(ResourceType.TOPIC, n)).toList();
            List<Boolean> allowed = authorization.authorize(requester, actions);
            for (int i = 0; i < open.size(); i++) {
                topics.put(open.get(i), allowed.get(i));
            }
        }
        return this;
    }

    /** Whether a topic that comes up inside another resource (an offset, a partition) may be shown. */
    boolean mayDescribeTopic(String name) {
        Boolean known = topics.get(name);
        if (known != null) {
            return known;
        }
        return decideTopics(List.of(name)).topics.get(name);
    }

    private static Action listed(ResourceType type, String name) {
        return new Action(AclOperation.DESCRIBE, type, name, true, false);
    }
}
