package dev.pgkafka.domain.security.acl;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;

/**
 * Kafka's standard authorizer as a pure decision over one ACL set ({@code StandardAuthorizerData},
 * and the {@code Authorizer.authorizeByResourceType} default):
 * <ul>
 * <li>a principal in {@code super.users} may do everything;</li>
 * <li>the ACLs that apply to a resource are its LITERAL name, the LITERAL {@code *}, and every
 *     PREFIXED pattern the name starts with; among those, an entry applies to the requester when its
 *     principal is the requester's or {@code User:*} and its host is the client's address or {@code *};</li>
 * <li>a DENY that applies wins over any ALLOW; else an ALLOW that applies allows;</li>
 * <li>an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE, and ALTER_CONFIGS allows
 *     DESCRIBE_CONFIGS; a DENY denies only its own operation (a DENY of READ leaves DESCRIBE alone);
 *     ALL, allowed or denied, covers every operation;</li>
 * <li>when no ACL of any principal applies to the resource, {@code allow.everyone.if.no.acl.found}
 *     decides; when some do but none for this requester, the answer is DENIED.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class StandardAuthorizer {
    /** The entry principal that matches every principal. */
    public static final KafkaPrincipal WILDCARD_PRINCIPAL = KafkaPrincipal.user("*");
    /** The name Kafka's {@code authorizeByResourceType} first asks about, so super users pass whatever the DENYs. */
    static final String PROBE_NAME = "hardcode";

    private static final Set<AclOperation> IMPLIES_DESCRIBE = EnumSet.of(AclOperation.DESCRIBE, AclOperation.READ,
            AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLIES_DESCRIBE_CONFIGS = EnumSet.of(AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);
    private static final AuthorizationDecision SUPER_USER = new AuthorizationDecision.SuperUser();
    private static final AuthorizationDecision NO_MATCHING_ACL = new AuthorizationDecision.NoMatchingAcl();

    private final AclIndex acls;
    private final Set<String> superUsers;
    private final AuthorizationDecision noAclFound;

    /**
     * @param superUsers principals as text ({@code User:admin}), compared with the requester's
     *                   {@code Type:name} exactly, as Kafka does
     */
    public StandardAuthorizer(AclIndex acls, Set<String> superUsers, boolean allowEveryoneIfNoAclFound) {
        this.acls = Objects.requireNonNull(acls, "acls");
        this.superUsers = Set.copyOf(superUsers);
        this.noAclFound = new AuthorizationDecision.NoAclFound(allowEveryoneIfNoAclFound);
    }

    public AclIndex acls() {
        return acls;
    }

    /** The same configuration over another ACL set. */
    public StandardAuthorizer withAcls(AclIndex newAcls) {
        return new StandardAuthorizer(newAcls, superUsers, noAclFound.allowed());
    }

    public AuthorizationDecision authorize(Requester requester, Action action) {
        KafkaPrincipal principal = requester.principal();
        if (superUsers.contains(principal.toString())) {
            return SUPER_USER;
        }
        Scan scan = new Scan(principal, requester.host(), action.operation());
        AclIndex.TypeIndex type = acls.ofType(action.resourceType());
        if (type != null) {
            String name = action.resourceName();
            scan.visit(type.literal.get(name));
            for (int length : type.prefixLengths) {
                if (scan.deny != null || length > name.length()) {
                    break;
                }
                scan.visit(type.prefixed.get(name.substring(0, length)));
            }
            if (scan.deny == null && !name.equals(ResourcePattern.WILDCARD)) {
                scan.visit(type.literal.get(ResourcePattern.WILDCARD));
            }
        }
        if (scan.deny != null) {
            return new AuthorizationDecision.MatchingAcl(scan.deny);
        }
        if (scan.allow != null) {
            return new AuthorizationDecision.MatchingAcl(scan.allow);
        }
        return scan.resourceHasAcls ? NO_MATCHING_ACL : noAclFound;
    }

    /**
     * Kafka's {@code authorizeByResourceType}: whether the requester may perform {@code operation} on
     * at least one resource of the type. First the {@link #resourceTypeProbe probe} (super users,
     * {@code allow.everyone.if.no.acl.found}, wildcard and matching prefix ACLs), then
     * {@link #anyResourceAllowed}.
     */
    public boolean authorizeByResourceType(Requester requester, AclOperation operation, ResourceType type) {
        checkResourceTypeArguments(operation, type);
        return authorize(requester, resourceTypeProbe(operation, type)).allowed()
                || anyResourceAllowed(requester, operation, type);
    }

    /** The action Kafka's {@code authorizeByResourceType} decides first (logged if allowed, not if denied). */
    public static Action resourceTypeProbe(AclOperation operation, ResourceType type) {
        checkResourceTypeArguments(operation, type);
        return new Action(operation, type, PROBE_NAME, true, false);
    }

    /**
     * The second half of {@code authorizeByResourceType}: an ALLOW of exactly this operation (or ALL)
     * for the requester on some pattern of the type that no DENY dominates: a DENY on the LITERAL
     * {@code *} denies everything, a LITERAL DENY cancels the same LITERAL ALLOW, and a PREFIXED DENY
     * cancels every ALLOW whose name starts with it. Implied operations do not count here, as in Kafka.
     */
    public boolean anyResourceAllowed(Requester requester, AclOperation operation, ResourceType type) {
        checkResourceTypeArguments(operation, type);
        AclIndex.TypeIndex index = acls.ofType(type);
        if (index == null) {
            return false;
        }
        Set<String> denyLiteral = new HashSet<>();
        Set<String> denyPrefixed = new HashSet<>();
        Set<String> allowLiteral = new HashSet<>();
        Set<String> allowPrefixed = new HashSet<>();
        boolean wildcardAllow = false;
        for (List<AclIndex.Entry> entries : principalsOf(index, requester.principal())) {
            for (AclIndex.Entry e : entries) {
                if (!hostMatches(e, requester.host())) {
                    continue;
                }
                if (e.operation() != operation && e.operation() != AclOperation.ALL) {
                    continue;
                }
                ResourcePattern pattern = e.binding().pattern();
                boolean literal = pattern.patternType() == PatternType.LITERAL;
                if (e.permission() == AclPermissionType.DENY) {
                    if (literal && pattern.name().equals(ResourcePattern.WILDCARD)) {
                        return false;
                    }
                    (literal ? denyLiteral : denyPrefixed).add(pattern.name());
                } else if (e.permission() == AclPermissionType.ALLOW) {
                    if (literal && pattern.name().equals(ResourcePattern.WILDCARD)) {
                        wildcardAllow = true;
                    } else {
                        (literal ? allowLiteral : allowPrefixed).add(pattern.name());
                    }
                }
            }
        }
        if (wildcardAllow) {
            return true;
        }
        for (String name : allowLiteral) {
            if (!denyLiteral.contains(name) && !dominatedByPrefix(name, denyPrefixed)) {
                return true;
            }
        }
        for (String name : allowPrefixed) {
            if (!dominatedByPrefix(name, denyPrefixed)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dominatedByPrefix(String name, Set<String> denyPrefixed) {
        for (int length = 1; length <= name.length(); length++) {
            if (denyPrefixed.contains(name.substring(0, length))) {
                return true;
            }
        }
        return false;
    }

    private static List<List<AclIndex.Entry>> principalsOf(AclIndex.TypeIndex index, KafkaPrincipal principal) {
        List<AclIndex.Entry> own = index.byPrincipal.getOrDefault(principal, List.of());
        if (principal.equals(WILDCARD_PRINCIPAL)) {
            return List.of(own);
        }
        return List.of(own, index.byPrincipal.getOrDefault(WILDCARD_PRINCIPAL, List.of()));
    }

    private static void checkResourceTypeArguments(AclOperation operation, ResourceType type) {
        if (type == ResourceType.ANY) {
            throw new IllegalArgumentException("Must specify a non-filter resource type for authorizeByResourceType");
        }
        if (type == ResourceType.UNKNOWN) {
            throw new IllegalArgumentException("Unknown resource type");
        }
        if (operation == AclOperation.ANY) {
            throw new IllegalArgumentException("Must specify a non-filter operation type for authorizeByResourceType");
        }
        if (operation == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("Unknown operation type");
        }
    }

    private static boolean hostMatches(AclIndex.Entry e, String host) {
        return e.host().equals(AccessControlEntry.WILDCARD_HOST) || e.host().equals(host);
    }

    /** Kafka's {@code findResult}: whether one entry (whose resource applies) allows, denies, or says nothing. */
    static AclPermissionType result(AclIndex.Entry e, String host, AclOperation operation) {
        if (!hostMatches(e, host)) {
            return null;
        }
        if (e.operation() != AclOperation.ALL) {
            if (e.permission() == AclPermissionType.ALLOW) {
                boolean applies = switch (operation) {
                    case DESCRIBE -> IMPLIES_DESCRIBE.contains(e.operation());
                    case DESCRIBE_CONFIGS -> IMPLIES_DESCRIBE_CONFIGS.contains(e.operation());
                    default -> operation == e.operation();
                };
                if (!applies) {
                    return null;
                }
            } else if (operation != e.operation()) {
                return null;
            }
        }
        return e.permission() == AclPermissionType.ALLOW ? AclPermissionType.ALLOW : AclPermissionType.DENY;
    }

    /** The ACLs of one resource, bucket by bucket: the first DENY that applies, the first ALLOW. */
    private static final class Scan {
        private final KafkaPrincipal principal;
        private final String host;
        private final AclOperation operation;
        private boolean resourceHasAcls;
        private AclBinding allow;
        private AclBinding deny;

        Scan(KafkaPrincipal principal, String host, AclOperation operation) {
            this.principal = principal;
            this.host = host;
            this.operation = operation;
        }

        void visit(AclIndex.Bucket bucket) {
            if (bucket == null) {
                return;
            }
            resourceHasAcls = true;
            if (bucket.byPrincipal == null) {
                for (AclIndex.Entry e : bucket.entries) {
                    if ((principal.equals(e.principal()) || WILDCARD_PRINCIPAL.equals(e.principal())) && check(e)) {
                        return;
                    }
                }
                return;
            }
            if (check(bucket.byPrincipal.get(principal)) || principal.equals(WILDCARD_PRINCIPAL)) {
                return;
            }
            check(bucket.byPrincipal.get(WILDCARD_PRINCIPAL));
        }

        /** True when a DENY was found. */
        private boolean check(AclIndex.Entry[] entries) {
            if (entries != null) {
                for (AclIndex.Entry e : entries) {
                    if (check(e)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** True when the entry denies. */
        private boolean check(AclIndex.Entry e) {
            AclPermissionType r = result(e, host, operation);
            if (r == AclPermissionType.DENY) {
                deny = e.binding();
                return true;
            }
            if (r == AclPermissionType.ALLOW && allow == null) {
                allow = e.binding();
            }
            return false;
        }
    }
}
