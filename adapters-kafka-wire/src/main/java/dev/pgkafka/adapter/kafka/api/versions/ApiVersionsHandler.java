package dev.pgkafka.adapter.kafka.api.versions;

import java.util.Set;
import java.util.TreeSet;

import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.protocol.SupportedVersions;

/**
 * ApiVersions: the APIs this broker answers with Kafka's version ranges, and from v3 the features it
 * supports and has finalized ({@code group.version} 1 when the consumer group protocol is served,
 * {@code transaction.version} as configured), as Kafka 4.x. Too-new ApiVersions requests are answered by the dispatcher (a v0 body with
 * UNSUPPORTED_VERSION).
 */
public final class ApiVersionsHandler implements ApiHandler {
    /** Kafka's feature for the consumer group protocol (KIP-848); level 1 enables ConsumerGroupHeartbeat. */
    static final String GROUP_VERSION = "group.version";
    /** Kafka's feature name for the transaction protocol version (KIP-890). */
    public static final String TRANSACTION_VERSION = "transaction.version";
    private static final short MAX_TRANSACTION_VERSION = 2;
    /** The epoch of the finalized features; they never change while a broker runs. */
    private static final long FINALIZED_FEATURES_EPOCH = 1;

    private final ApiVersionsResponseData.ApiVersionCollection apiVersions;
    private final short transactionVersion;
    private final boolean consumerGroups;

    /** @param apis every API with a handler, this one included */
    public ApiVersionsHandler(Set<ApiKeys> apis) {
        this(apis, 0);
    }

    /**
     * @param apis               every API with a handler, this one included
     * @param transactionVersion the {@code transaction.version} finalized for clients; 0 or 1 finalize
     *                           none (clients then use version 1), 2 turns on KIP-890 in clients
     */
    public ApiVersionsHandler(Set<ApiKeys> apis, int transactionVersion) {
        this.transactionVersion = (short) transactionVersion;
        this.apiVersions = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiKeys key : new TreeSet<>(apis)) {
            apiVersions.add(new ApiVersionsResponseData.ApiVersion()
                    .setApiKey(key.id)
                    .setMinVersion(SupportedVersions.advertisedMin(key))
                    .setMaxVersion(SupportedVersions.advertisedMax(key)));
        }
        this.consumerGroups = apis.contains(ApiKeys.CONSUMER_GROUP_HEARTBEAT);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage request) {
        ApiVersionsResponseData.ApiVersionCollection copy = new ApiVersionsResponseData.ApiVersionCollection();
        for (ApiVersionsResponseData.ApiVersion v : apiVersions) {
            copy.add(v.duplicate());
        }
        ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setErrorCode((short) 0)
                .setApiKeys(copy)
                .setThrottleTimeMs(0)
                .setFinalizedFeaturesEpoch(-1L);
        if (consumerGroups) {
            // as Kafka 4.x: group.version supported 0-1 and finalized at 1 (the features exist from v3 on)
            response.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey()
                    .setName(GROUP_VERSION).setMinVersion((short) 0).setMaxVersion((short) 1));
            response.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey()
                    .setName(GROUP_VERSION).setMinVersionLevel((short) 1).setMaxVersionLevel((short) 1));
            response.setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
        }
        if (transactionVersion >= 2) {
            // features travel in tagged fields of v3+; clients read transaction.version from the finalized ones
            response.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey()
                    .setName(TRANSACTION_VERSION).setMinVersion((short) 0).setMaxVersion(MAX_TRANSACTION_VERSION));
            response.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey()
                    .setName(TRANSACTION_VERSION).setMinVersionLevel(transactionVersion).setMaxVersionLevel(transactionVersion));
            response.setFinalizedFeaturesEpoch(FINALIZED_FEATURES_EPOCH);
        }
        return Response.of(response);
    }
}
