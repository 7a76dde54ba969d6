package dev.pgkafka.adapter.kafka.protocol;

import java.util.EnumMap;
import java.util.Map;

import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The version ranges Apache Kafka 4.3.1 advertises (shared/PROTOCOL.md), capped by what the pinned
 * kafka-clients jar can parse. An API is advertised only when a handler for it is registered.
 */
public final class SupportedVersions {
    private static final Map<ApiKeys, short[]> KAFKA_RANGES = new EnumMap<>(ApiKeys.class);

    static {
        range(ApiKeys.PRODUCE, 0, 13);
        range(ApiKeys.FETCH, 4, 18);
        range(ApiKeys.LIST_OFFSETS, 1, 11);
        range(ApiKeys.METADATA, 0, 13);
        range(ApiKeys.OFFSET_COMMIT, 2, 10);
        range(ApiKeys.OFFSET_FETCH, 1, 10);
        range(ApiKeys.FIND_COORDINATOR, 0, 6);
        range(ApiKeys.JOIN_GROUP, 0, 9);
        range(ApiKeys.HEARTBEAT, 0, 4);
        range(ApiKeys.LEAVE_GROUP, 0, 5);
        range(ApiKeys.SYNC_GROUP, 0, 5);
        range(ApiKeys.DESCRIBE_GROUPS, 0, 6);
        range(ApiKeys.LIST_GROUPS, 0, 5);
        range(ApiKeys.SASL_HANDSHAKE, 0, 1);
        range(ApiKeys.SASL_AUTHENTICATE, 0, 2);
        range(ApiKeys.API_VERSIONS, 0, 4);
        range(ApiKeys.CREATE_TOPICS, 2, 7);
        range(ApiKeys.DELETE_TOPICS, 1, 6);
        range(ApiKeys.DELETE_RECORDS, 0, 2);
        range(ApiKeys.DESCRIBE_ACLS, 1, 3);
        range(ApiKeys.CREATE_ACLS, 1, 3);
        range(ApiKeys.DELETE_ACLS, 1, 3);
        range(ApiKeys.INIT_PRODUCER_ID, 0, 5);
        range(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4);
        range(ApiKeys.ADD_PARTITIONS_TO_TXN, 0, 5);
        range(ApiKeys.ADD_OFFSETS_TO_TXN, 0, 4);
        range(ApiKeys.END_TXN, 0, 5);
        range(ApiKeys.TXN_OFFSET_COMMIT, 0, 5);
        range(ApiKeys.DESCRIBE_CONFIGS, 1, 4);
        range(ApiKeys.ALTER_CONFIGS, 0, 2);
        range(ApiKeys.CREATE_PARTITIONS, 0, 3);
        range(ApiKeys.DELETE_GROUPS, 0, 2);
        range(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1);
        range(ApiKeys.OFFSET_DELETE, 0, 0);
        range(ApiKeys.DESCRIBE_CLIENT_QUOTAS, 0, 1);
        range(ApiKeys.ALTER_CLIENT_QUOTAS, 0, 1);
        range(ApiKeys.DESCRIBE_CLUSTER, 0, 2);
        range(ApiKeys.DESCRIBE_PRODUCERS, 0, 0);
        range(ApiKeys.DESCRIBE_TRANSACTIONS, 0, 0);
        range(ApiKeys.LIST_TRANSACTIONS, 0, 2);
        range(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1);
        range(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1);
        range(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, 0, 0);
        range(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, 0, 0);
        range(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, 0, 0);
    }

    private SupportedVersions() {
    }

    private static void range(ApiKeys key, int min, int max) {
        KAFKA_RANGES.put(key, new short[] {(short) min, (short) Math.min(max, key.latestVersion())});
    }

    /** The lowest version advertised (Kafka advertises Produce from 0 for old librdkafka, but parses v3+). */
    public static short advertisedMin(ApiKeys key) {
        return range(key)[0];
    }

    public static short advertisedMax(ApiKeys key) {
        return range(key)[1];
    }

    /** Whether a request of this version can be parsed and answered. */
    public static boolean isSupported(ApiKeys key, short version) {
        short[] r = KAFKA_RANGES.get(key);
        return r != null && version >= Math.max(r[0], key.oldestVersion()) && version <= r[1];
    }

    public static boolean isKnown(ApiKeys key) {
        return KAFKA_RANGES.containsKey(key);
    }

    private static short[] range(ApiKeys key) {
        short[] r = KAFKA_RANGES.get(key);
        if (r == null) {
            throw new IllegalArgumentException("no version range known for " + key);
        }
        return r;
    }
}
