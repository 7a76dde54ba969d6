package dev.pgkafka.domain.group;

/**
 * A member named in a LeaveGroup: by member id, or (static members) by group instance id with
 * member id "" when an administrator removes it.
 */
public record MemberIdentity(String memberId, String groupInstanceId, String reason) {
    public MemberIdentity {
        memberId = memberId == null ? "" : memberId;
    }
}
