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
    private final ApiVersionsResponseData.ApiVersionCollection apiVersions;

    /** @param apis every API with a handler, this one included */
    public ApiVersionsHandler(Set<ApiKeys> apis) {
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
        return Response.of(new ApiVersionsResponseData()
                .setErrorCode((short) 0)
                .setApiKeys(copy)
                .setThrottleTimeMs(0)
                .setFinalizedFeaturesEpoch(-1L));
    }
}
