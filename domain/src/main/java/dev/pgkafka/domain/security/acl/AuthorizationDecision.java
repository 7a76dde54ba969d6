package dev.pgkafka.domain.security.acl;

/**
 * What the authorizer decided and why, as Kafka's {@code StandardAuthorizerData} names its rules in
 * the audit log ({@code SuperUser}, {@code DefaultAllow}/{@code DefaultDeny}, {@code MatchingAcl(...)}).
 */
public sealed interface AuthorizationDecision {

    boolean allowed();

    /** The rule as Kafka's audit log prints it after "based on rule". */
    String rule();

    /** The principal is in {@code super.users}: allowed whatever the ACLs say. */
    record SuperUser() implements AuthorizationDecision {
        @Override
        public boolean allowed() {
            return true;
        }

        @Override
        public String rule() {
            return "SuperUser";
        }
    }

    /** This ACL decided: the first DENY that applies, else an ALLOW that applies. */
    record MatchingAcl(AclBinding acl) implements AuthorizationDecision {
        @Override
        public boolean allowed() {
            return acl.entry().permission() == AclPermissionType.ALLOW;
        }

        @Override
        public String rule() {
            ResourcePattern p = acl.pattern();
            AccessControlEntry e = acl.entry();
            return "MatchingAcl(acl=StandardAcl(resourceType=" + p.resourceType() + ", resourceName=" + p.name()
                    + ", patternType=" + p.patternType() + ", principal=" + e.principal() + ", host=" + e.host()
                    + ", operation=" + e.operation() + ", permissionType=" + e.permission() + "))";
        }
    }

    /**
     * No ACL of any principal applies to the resource: {@code allow.everyone.if.no.acl.found} decides.
     */
    record NoAclFound(boolean allowed) implements AuthorizationDecision {
        @Override
        public String rule() {
            return allowed ? "DefaultAllow" : "DefaultDeny";
        }
    }

    /** The resource has ACLs, but none for this principal, host and operation: denied. */
    record NoMatchingAcl() implements AuthorizationDecision {
        @Override
        public boolean allowed() {
            return false;
        }

        @Override
        public String rule() {
            return "DefaultDeny";
        }
    }
}
