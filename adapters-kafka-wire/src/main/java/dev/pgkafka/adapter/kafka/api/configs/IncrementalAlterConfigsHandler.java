package dev.pgkafka.adapter.kafka.api.configs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.application.port.in.ConfigsUseCase;
import dev.pgkafka.application.port.in.ConfigsUseCase.AlterResult;
import dev.pgkafka.application.port.in.ConfigsUseCase.IncrementalAlter;
import dev.pgkafka.domain.config.AlterOp;

/** IncrementalAlterConfigs: SET, DELETE, APPEND and SUBTRACT on topic and broker configs. */
public final class IncrementalAlterConfigsHandler implements ApiHandler {
    private final ConfigsUseCase configs;

    public IncrementalAlterConfigsHandler(ConfigsUseCase configs) {
        this.configs = configs;
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
            if (problem != null) {
                refused.put(index, problem);
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
            } else {
                AlterResult result = results.get(next++);
                out.setErrorCode(ErrorCodes.code(result.error())).setErrorMessage(result.errorMessage());
            }
            response.responses().add(out);
        }
        return Response.of(response);
    }
}
