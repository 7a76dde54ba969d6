package dev.pgkafka.domain.group.consumer;

/** Where a member is in reconciling towards its target assignment (Kafka's {@code MemberState}). */
public enum MemberState {
    /** The member has its target assignment at the group's assignment epoch (or waits for a newer one). */
    STABLE,
    /** The member must revoke partitions (acknowledge by no longer reporting them) before its epoch advances. */
    UNREVOKED_PARTITIONS,
    /** The member is at the target epoch but waits for partitions that others still own. */
    UNRELEASED_PARTITIONS
}
