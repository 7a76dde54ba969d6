package dev.pgkafka.application.service.security;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pgkafka.application.port.in.AclAdminUseCase;
import dev.pgkafka.application.port.out.AclStorePort;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclBinding;
import dev.pgkafka.domain.security.acl.AclBindingFilter;
import dev.pgkafka.domain.security.acl.AclProblem;
import dev.pgkafka.domain.security.acl.AclValidation;

/**
 * CreateAcls, DescribeAcls and DeleteAcls over the ACL store, as Kafka's controller applies them:
 * each binding is checked on its own, the valid ones of a request are stored together (an existing
 * one again is a success that changes nothing), and a delete removes what its filters matched in
 * one change. This broker's cache is reloaded before the answer, so the change is in force here at
 * once; other brokers follow within a second ({@link AclCache}).
 */
public final class AclService implements AclAdminUseCase {
    private static final System.Logger LOG = System.getLogger(AclService.class.getName());
    /** How many bindings a log line about a change names before it only counts. */
    private static final int LOGGED_BINDINGS = 10;

    private final AclStorePort store;
    private final AclCache cache;

    public AclService(AclStorePort store, AclCache cache) {
        this.store = store;
        this.cache = cache;
    }

    @Override
    public List<Result> createAcls(List<AclBinding> bindings) {
        List<Result> results = new ArrayList<>(bindings.size());
        List<AclBinding> valid = new ArrayList<>();
        for (AclBinding binding : bindings) {
            Optional<AclProblem> problem = AclValidation.checkNewBinding(binding);
            if (problem.isPresent()) {
                results.add(new Result(problem.get().error(), problem.get().message()));
            } else {
                results.add(Result.OK);
                valid.add(binding);
            }
        }
        if (!valid.isEmpty()) {
            store.add(valid);
            cache.reload();
            LOG.log(Level.INFO, "ACLs created: {0}", describe(valid));
        }
        return results;
    }

    @Override
    public DescribeResult describeAcls(AclBindingFilter filter) {
        cache.refresh(); // one cheap read: answers include what other brokers changed a moment ago
        return new DescribeResult(ErrorCode.NONE, null, cache.acls().select(filter));
    }

    @Override
    public List<DeleteResult> deleteAcls(List<AclBindingFilter> filters) {
        // match against the stored ACLs, not the cache: another broker's change may not be here yet
        List<AclBinding> stored = store.load().bindings();
        List<Optional<AclProblem>> problems = new ArrayList<>(filters.size());
        List<List<AclBinding>> matched = new ArrayList<>(filters.size());
        Set<AclBinding> all = new LinkedHashSet<>();
        for (AclBindingFilter filter : filters) {
            Optional<AclProblem> problem = AclValidation.checkDeleteFilter(filter);
            problems.add(problem);
            List<AclBinding> m = problem.isPresent() ? List.of() : stored.stream().filter(filter::matches).toList();
            matched.add(m);
            all.addAll(m);
        }
        Set<AclBinding> removed = all.isEmpty() ? Set.of() : store.remove(all);
        if (!removed.isEmpty()) {
            cache.reload();
            LOG.log(Level.INFO, "ACLs deleted: {0}", describe(removed));
        }
        List<DeleteResult> results = new ArrayList<>(filters.size());
        for (int i = 0; i < filters.size(); i++) {
            Optional<AclProblem> problem = problems.get(i);
            if (problem.isPresent()) {
                results.add(new DeleteResult(problem.get().error(), problem.get().message(), List.of()));
            } else {
                // a binding another broker removed meanwhile is not reported as deleted by this request
                results.add(new DeleteResult(ErrorCode.NONE, null,
                        matched.get(i).stream().filter(removed::contains).toList()));
            }
        }
        return results;
    }

    private static String describe(Collection<AclBinding> bindings) {
        List<String> shown = bindings.stream().limit(LOGGED_BINDINGS).map(AclService::describe).toList();
        String text = String.join(", ", shown);
        return bindings.size() > LOGGED_BINDINGS ? text + " and " + (bindings.size() - LOGGED_BINDINGS) + " more" : text;
    }

    private static String describe(AclBinding b) {
        return b.entry().permission() + " " + b.entry().principal() + " from " + b.entry().host() + " "
                + b.entry().operation() + " on " + b.pattern().resourceType() + ":" + b.pattern().patternType() + ":"
                + b.pattern().name();
    }
}
