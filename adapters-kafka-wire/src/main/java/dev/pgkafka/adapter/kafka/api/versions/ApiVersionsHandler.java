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
 * ApiVersions: the APIs this broker answers with Kafka's version ranges. Too-new ApiVersions
 * requests are answered by the dispatcher (a v0 body with UNSUPPORTED_VERSION).
 */
public final class ApiVersionsHandler implements ApiHandler {
    /** Kafka's feature name for the transaction protocol version (KIP-890). */
    public static final String TRANSACTION_VERSION = "transaction.version";
    private static final short MAX_TRANSACTION_VERSION = 2;

    private final ApiVersionsResponseData.ApiVersionCollection apiVersions;
    private final short transactionVersion;

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
        if (transactionVersion >= 2) {
            // features travel in tagged fields of v3+; clients read transaction.version from the finalized ones
            response.supportedFeatures().add(new ApiVersionsResponseData.SupportedFeatureKey()
                    .setName(TRANSACTION_VERSION).setMinVersion((short) 0).setMaxVersion(MAX_TRANSACTION_VERSION));
            response.finalizedFeatures().add(new ApiVersionsResponseData.FinalizedFeatureKey()
                    .setName(TRANSACTION_VERSION).setMinVersionLevel(transactionVersion).setMaxVersionLevel(transactionVersion));
            response.setFinalizedFeaturesEpoch(1L);
        }
        return Response.of(response);
    }
}
