package dev.pgkafka.adapter.kafka.api.configs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.ConfigsUseCase.AlterResult;
import dev.pgkafka.domain.security.acl.AclOperation;
import dev.pgkafka.application.port.in.ConfigsUseCase.Replace;

/**
 * The legacy AlterConfigs: each resource's dynamic configs become exactly the ones given (configs
 * not named are removed), as in Kafka. Kafka's Java Admin no longer sends it; kafka-python and old
 * tools do. After the checks of the request itself, each resource needs ALTER_CONFIGS (on the cluster
 * for brokers), else it answers Kafka's authorization error with its message, as Kafka's controller.
 */
public final class AlterConfigsHandler implements ApiHandler {
    private final ConfigsUseCase configs;
    private final AuthHelper auth;

    public AlterConfigsHandler(ConfigsUseCase configs, AuthHelper auth) {
        this.configs = configs;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AlterConfigsRequestData request = (AlterConfigsRequestData) message;
        AlterConfigsResponseData response = new AlterConfigsResponseData().setThrottleTimeMs(0);
        List<Replace> valid = new ArrayList<>();
        List<AlterConfigsRequestData.AlterConfigsResource> order = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<Integer, String> refused = new HashMap<>();
        Map<Integer, Errors> denied = new HashMap<>();
        int index = 0;
        for (AlterConfigsRequestData.AlterConfigsResource r : request.resources()) {
            order.add(r);
            Map<String, String> values = new HashMap<>();
            boolean duplicateKeys = false;
            for (AlterConfigsRequestData.AlterableConfig c : r.configs()) {
                duplicateKeys |= values.containsKey(c.name());
                values.put(c.name(), c.value());
            }
            if (!seen.add(r.resourceType() + "/" + r.resourceName())) {
                refused.put(index, "Duplicate resource in the request");
            } else if (duplicateKeys) {
                refused.put(index, "Error due to duplicate config keys");
            } else {
                // broker loggers are no resource of the legacy API: refused below without a check, as Kafka
                Errors denial = r.resourceType() == ConfigResource.Type.BROKER_LOGGER.id() ? Errors.NONE
                        : ConfigAuthorization.check(auth, context, AclOperation.ALTER_CONFIGS, r.resourceType(),
                                r.resourceName());
                if (denial != Errors.NONE) {
                    denied.put(index, denial);
                } else {
                    valid.add(new Replace(ConfigTranslation.resource(r.resourceType(), r.resourceName()), values));
                }
            }
            index++;
        }
        List<AlterResult> results = configs.replace(valid, request.validateOnly());
        int next = 0;
        for (int i = 0; i < order.size(); i++) {
            AlterConfigsRequestData.AlterConfigsResource r = order.get(i);
            AlterConfigsResponseData.AlterConfigsResourceResponse out = new AlterConfigsResponseData.AlterConfigsResourceResponse()
                    .setResourceType(r.resourceType())
                    .setResourceName(r.resourceName());
            if (refused.containsKey(i)) {
                out.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(refused.get(i));
            } else if (denied.containsKey(i)) {
                out.setErrorCode(denied.get(i).code()).setErrorMessage(denied.get(i).message());
            } else {
                AlterResult result = results.get(next++);
                out.setErrorCode(ErrorCodes.code(result.error())).setErrorMessage(result.errorMessage());
            }
            response.responses().add(out);
        }
        return Response.of(response);
    }
}
