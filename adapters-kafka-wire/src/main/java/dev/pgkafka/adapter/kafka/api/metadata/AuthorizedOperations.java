package dev.pgkafka.adapter.kafka.api.metadata;

import org.apache.kafka.common.acl.AclOperation;

/**
 * The operations a client may perform, as Kafka's bit fields. pgkafka has no ACLs yet, so every
 * operation a resource type supports is allowed.
 */
public final class AuthorizedOperations {
    /** Kafka's value for "the client did not ask". */
    public static final int NOT_REQUESTED = Integer.MIN_VALUE;

    public static final int TOPIC = bits(AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE,
            AclOperation.DELETE, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS,
            AclOperation.ALTER_CONFIGS);

    public static final int CLUSTER = bits(AclOperation.CREATE, AclOperation.ALTER, AclOperation.DESCRIBE,
            AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE, AclOperation.CREATE_TOKENS, AclOperation.DESCRIBE_TOKENS);

    /** What Kafka 4.3 answers for a group without ACLs (groups have configs since KIP-848). */
    public static final int GROUP = bits(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE,
            AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    private AuthorizedOperations() {
    }

    private static int bits(AclOperation... operations) {
        int field = 0;
        for (AclOperation op : operations) {
            field |= 1 << op.code();
        }
        return field;
    }
}
