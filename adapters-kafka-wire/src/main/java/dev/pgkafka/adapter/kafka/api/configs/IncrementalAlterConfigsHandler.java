package dev.pgkafka.adapter.kafka.api.configs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
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
import dev.pgkafka.application.port.in.ConfigsUseCase.IncrementalAlter;
import dev.pgkafka.domain.config.AlterOp;

/**
 * IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topic and broker configs. After the
 * checks of the request itself, each resource needs ALTER_CONFIGS (on the cluster for brokers and
 * broker loggers), else it answers Kafka's authorization error, in the request's order as Kafka.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {
    private final ConfigsUseCase configs;
    private final AuthHelper auth;

    public IncrementalAlterConfigsHandler(ConfigsUseCase configs, AuthHelper auth) {
        this.configs = configs;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        IncrementalAlterConfigsRequestData request = (IncrementalAlterConfigsRequestData) message;
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData().setThrottleTimeMs(0);
        List<IncrementalAlter> valid = new ArrayList<>();
        List<IncrementalAlterConfigsRequestData.AlterConfigsResource> order = new ArrayList<>();
        Map<Integer, String> refused = new HashMap<>();
        Map<Integer, Errors> denied = new HashMap<>();
        Set<String> seen = new HashSet<>();
        int index = 0;
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource r : request.resources()) {
            order.add(r);
            List<AlterOp> ops = new ArrayList<>();
            String problem = seen.add(r.resourceType() + "/" + r.resourceName()) ? null : "Duplicate resource in the request";
            for (IncrementalAlterConfigsRequestData.AlterableConfig c : r.configs()) {
                byte op = c.configOperation();
                if (op < 0 || op >= AlterOp.Kind.values().length) {
                    problem = "Unknown config operation " + op + " for " + c.name();
                    break;
                }
                ops.add(new AlterOp(c.name(), AlterOp.Kind.values()[op], c.value()));
            }
            Errors denial = problem != null ? Errors.NONE
                    : ConfigAuthorization.check(auth, context, AclOperation.ALTER_CONFIGS, r.resourceType(), r.resourceName());
            if (problem != null) {
                refused.put(index, problem);
            } else if (denial != Errors.NONE) {
                denied.put(index, denial);
            } else {
                valid.add(new IncrementalAlter(ConfigTranslation.resource(r.resourceType(), r.resourceName()), ops));
            }
            index++;
        }
        List<AlterResult> results = configs.incrementalAlter(valid, request.validateOnly());
        int next = 0;
        for (int i = 0; i < order.size(); i++) {
            IncrementalAlterConfigsRequestData.AlterConfigsResource r = order.get(i);
            IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse out =
                    new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                            .setResourceType(r.resourceType())
                            .setResourceName(r.resourceName());
            if (refused.containsKey(i)) {
                out.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(refused.get(i));
            } else if (denied.containsKey(i)) {
                // Kafka's broker refuses broker loggers itself, without a message; its controller the rest, with one
                out.setErrorCode(denied.get(i).code()).setErrorMessage(r.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()
                        ? null : denied.get(i).message());
            } else {
                AlterResult result = results.get(next++);
                out.setErrorCode(ErrorCodes.code(result.error())).setErrorMessage(result.errorMessage());
            }
            response.responses().add(out);
        }
        return Response.of(response);
    }
}
