package dev.pgkafka.domain.group;

/**
 * What the group asks to persist ({@link ClassicGroup#snapshot()}) before its operation is complete.
 * After the write the caller reports the outcome with {@link ClassicGroup#written}; only then are
 * the answers that depend on it (the assignment, a static member's rejoin) handed out.
 */
public enum GroupWrite {
    /** A group was created by a JoinGroup: it exists, with no generation yet. */
    CREATED,
    /** A generation ended without members: the group is empty now. */
    EMPTIED,
    /** The leader's assignment for the current generation; the group becomes stable once it is stored. */
    ASSIGNMENT,
    /** A static member rejoined a stable group under a new member id, keeping its assignment. */
    STATIC_MEMBER_REPLACED
}
