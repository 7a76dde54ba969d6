package dev.pgkafka.adapter.kafka.api.configs;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.ConfigsUseCase.DescribeRequest;
import dev.pgkafka.application.port.in.ConfigsUseCase.DescribeResult;
import dev.pgkafka.domain.config.ConfigEntry;
import dev.pgkafka.domain.config.ConfigSynonym;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * DescribeConfigs: topics and brokers, with sources, synonyms (v1+) and types and documentation (v3+).
 * Each resource needs DESCRIBE_CONFIGS (on the cluster for brokers, broker loggers and client metrics,
 * on the topic or group otherwise); refused ones answer Kafka's authorization error with its message,
 * after the others, as Kafka.
 */
public final class DescribeConfigsHandler implements ApiHandler {
    private final ConfigsUseCase configs;
    private final AuthHelper auth;

    public DescribeConfigsHandler(ConfigsUseCase configs, AuthHelper auth) {
        this.configs = configs;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeConfigsRequestData request = (DescribeConfigsRequestData) message;
        short version = context.apiVersion();
        List<DescribeRequest> asked = new ArrayList<>();
        List<DescribeConfigsRequestData.DescribeConfigsResource> allowed = new ArrayList<>();
        List<DescribeConfigsResponseData.DescribeConfigsResult> refused = new ArrayList<>();
        for (DescribeConfigsRequestData.DescribeConfigsResource r : request.resources()) {
            Errors denied = ConfigAuthorization.check(auth, context, AclOperation.DESCRIBE_CONFIGS, r.resourceType(),
                    r.resourceName());
            if (denied != Errors.NONE) {
                refused.add(new DescribeConfigsResponseData.DescribeConfigsResult()
                        .setErrorCode(denied.code())
                        .setErrorMessage(denied.message())
                        .setResourceType(r.resourceType())
                        .setResourceName(r.resourceName()));
                continue;
            }
            allowed.add(r);
            asked.add(new DescribeRequest(ConfigTranslation.resource(r.resourceType(), r.resourceName()),
                    r.configurationKeys() == null ? null : List.copyOf(r.configurationKeys())));
        }
        boolean synonyms = request.includeSynonyms();
        boolean docs = version >= 3 && request.includeDocumentation();
        List<DescribeResult> results = configs.describe(asked, synonyms, docs);

        DescribeConfigsResponseData response = new DescribeConfigsResponseData().setThrottleTimeMs(0);
        for (int i = 0; i < results.size(); i++) {
            DescribeResult result = results.get(i);
            DescribeConfigsRequestData.DescribeConfigsResource r = allowed.get(i);
            DescribeConfigsResponseData.DescribeConfigsResult out = new DescribeConfigsResponseData.DescribeConfigsResult()
                    .setErrorCode(ErrorCodes.code(result.error()))
                    .setErrorMessage(result.errorMessage())
                    .setResourceType(r.resourceType())
                    .setResourceName(r.resourceName());
            for (ConfigEntry entry : result.configs()) {
                DescribeConfigsResponseData.DescribeConfigsResourceResult c =
                        new DescribeConfigsResponseData.DescribeConfigsResourceResult()
                                .setName(entry.name())
                                .setValue(entry.value())
                                .setReadOnly(entry.readOnly())
                                .setConfigSource(ConfigTranslation.source(entry.source()))
                                .setIsSensitive(entry.sensitive())
                                .setConfigType(ConfigTranslation.type(entry.type()))
                                .setDocumentation(entry.documentation());
                for (ConfigSynonym s : entry.synonyms()) {
                    c.synonyms().add(new DescribeConfigsResponseData.DescribeConfigsSynonym()
                            .setName(s.name())
                            .setValue(s.value())
                            .setSource(ConfigTranslation.source(s.source())));
                }
                out.configs().add(c);
            }
            if (result.error() != ErrorCode.NONE && out.errorMessage() == null) {
                out.setErrorMessage(Errors.forCode(out.errorCode()).message());
            }
            response.results().add(out);
        }
        response.results().addAll(refused);
        return Response.of(response);
    }
}
