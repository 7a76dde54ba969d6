package dev.pgkafka.adapter.kafka.api.quotas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntityData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.EntryData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData.ValueData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaEntityType;
import dev.pgkafka.domain.quota.QuotaFilter;
import dev.pgkafka.domain.quota.QuotaKey;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * DescribeClientQuotas: the entities a filter selects with their values, as a Kafka 4 broker answers
 * from its metadata image. Needs DESCRIBE_CONFIGS on the cluster (else CLUSTER_AUTHORIZATION_FAILED for
 * the request); an invalid filter fails the whole request with Kafka's error and message.
 */
public final class DescribeClientQuotasHandler implements ApiHandler {
    private final ClientQuotaAdminUseCase quotas;
    private final AuthHelper auth;

    public DescribeClientQuotasHandler(ClientQuotaAdminUseCase quotas, AuthHelper auth) {
        this.quotas = quotas;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CLIENT_QUOTAS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        DescribeClientQuotasRequestData request = (DescribeClientQuotasRequestData) message;
        if (!auth.authorizeCluster(context, AclOperation.DESCRIBE_CONFIGS)) {
            return Response.of(error(Errors.CLUSTER_AUTHORIZATION_FAILED, Errors.CLUSTER_AUTHORIZATION_FAILED.message()));
        }
        List<QuotaFilter.Component> components = new ArrayList<>(request.components().size());
        for (DescribeClientQuotasRequestData.ComponentData c : request.components()) {
            components.add(new QuotaFilter.Component(c.entityType(), c.matchType(), c.match()));
        }
        ClientQuotaAdminUseCase.DescribeResult result = quotas.describe(components, request.strict());
        if (result.problem() != null) {
            return Response.of(error(ErrorCodes.toKafka(result.problem().error()), result.problem().message()));
        }
        DescribeClientQuotasResponseData response = new DescribeClientQuotasResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setErrorMessage(null);
        List<EntryData> entries = new ArrayList<>(result.entries().size());
        for (Map.Entry<QuotaEntity, Map<QuotaKey, Double>> e : result.entries()) {
            EntryData entry = new EntryData();
            for (QuotaEntityType type : e.getKey().types()) {
                entry.entity().add(new EntityData().setEntityType(type.kafkaName()).setEntityName(e.getKey().name(type)));
            }
            e.getValue().forEach((key, value) -> entry.values().add(new ValueData().setKey(key.kafkaName()).setValue(value)));
            entries.add(entry);
        }
        return Response.of(response.setEntries(entries));
    }

    /** Kafka's error answer: the error for the request, no entries. */
    private static DescribeClientQuotasResponseData error(Errors error, String message) {
        return new DescribeClientQuotasResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setEntries(null);
    }
}
