package dev.pgkafka.application.port.in;

import dev.pgkafka.domain.quota.QuotaClient;

/**
 * What clients use against their quotas on this broker, and how long each must then pause (Kafka's
 * quota managers: KIP-13 byte rates, KIP-124 request time, KIP-599 controller mutations). Use is
 * counted per bucket (KIP-55), shared by all of a bucket's connections to this broker. A throttle time
 * is what the answer carries in {@code throttle_time_ms} and how long the connection is muted (KIP-219).
 */
public interface ThrottlingUseCase {

    /** No quotas: nothing is counted, nobody waits. */
    ThrottlingUseCase UNLIMITED = new Unlimited();

    /** Counts nothing and throttles nobody; tests extend it to count only what they look at. */
    class Unlimited implements ThrottlingUseCase {
        @Override
        public int recordProduce(QuotaClient client, long requestBytes) {
            return 0;
        }

        @Override
        public long maxFetchBytes(QuotaClient client) {
            return Long.MAX_VALUE;
        }

        @Override
        public int fetchThrottleMs(QuotaClient client) {
            return 0;
        }

        @Override
        public int recordFetch(QuotaClient client, long responseBytes) {
            return 0;
        }

        @Override
        public void unrecordFetch(QuotaClient client, long responseBytes) {
            // nothing was counted
        }

        @Override
        public int recordRequestTime(QuotaClient client, long nanos) {
            return 0;
        }

        @Override
        public MutationQuota mutations(QuotaClient client, boolean strict) {
            return MutationQuota.UNLIMITED;
        }

        @Override
        public int recordConnection(String address) {
            return 0;
        }
    }

    /** Counts a produce request's bytes ({@code producer_byte_rate}); returns the throttle time in ms. */
    int recordProduce(QuotaClient client, long requestBytes);

    /**
     * The most bytes one fetch response may carry so that it alone never exceeds
     * {@code consumer_byte_rate} over the quota windows; {@code Long.MAX_VALUE} without a quota.
     */
    long maxFetchBytes(QuotaClient client);

    /** How long a consumer over its {@code consumer_byte_rate} must still wait; counts nothing. */
    int fetchThrottleMs(QuotaClient client);

    /** Counts a fetch response's bytes; returns the throttle time in ms. */
    int recordFetch(QuotaClient client, long responseBytes);

    /**
     * Takes back what {@link #recordFetch} counted, for an answer that is not sent after all (Kafka answers
     * a fetch that would take a consumer over its quota without its records, and does not count them).
     */
    void unrecordFetch(QuotaClient client, long responseBytes);

    /**
     * Counts the time a request was handled ({@code request_percentage}); returns the throttle time,
     * at most one quota window (Kafka caps it so).
     */
    int recordRequestTime(QuotaClient client, long nanos);

    /**
     * The {@code controller_mutation_rate} of one CreateTopics, DeleteTopics or CreatePartitions request.
     *
     * @param strict Kafka's strict mode for current request versions: over the quota, mutations are
     *               refused with THROTTLING_QUOTA_EXCEEDED; else (old versions) they are all done and the
     *               client is throttled after
     */
    MutationQuota mutations(QuotaClient client, boolean strict);

    /**
     * Counts a new connection from an IP address against its {@code connection_creation_rate} (KIP-612):
     * 0 to accept it; else the connection is refused (and not counted), and Kafka closes it after the
     * returned time, at most one quota window.
     *
     * @param address the client's IP address as text ({@code InetAddress.getHostAddress()})
     */
    int recordConnection(String address);

    /** The mutation quota of one request. */
    interface MutationQuota {
        MutationQuota UNLIMITED = new MutationQuota() {
            @Override
            public boolean admits() {
                return true;
            }

            @Override
            public void record(int partitions) {
                // nothing counted
            }

            @Override
            public int throttleMs() {
                return 0;
            }
        };

        /** Whether a mutation may go ahead: false only for a strict quota that is already exhausted. */
        boolean admits();

        /** Counts a done mutation of {@code partitions} partitions. */
        void record(int partitions);

        /** How long the client must pause after this request (0 when within the quota). */
        int throttleMs();
    }
}
