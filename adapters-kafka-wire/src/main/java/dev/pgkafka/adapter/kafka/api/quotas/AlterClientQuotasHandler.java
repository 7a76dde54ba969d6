package dev.pgkafka.adapter.kafka.api.quotas;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ErrorCodes;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.protocol.Response;
import dev.pgkafka.adapter.kafka.security.AuthHelper;
import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.domain.quota.QuotaAlterations;
import dev.pgkafka.domain.security.acl.AclOperation;

/**
 * AlterClientQuotas: set and remove quota values per entity, each entity checked and answered on its
 * own (validate only changes nothing), as Kafka's controller answers. Needs ALTER_CONFIGS on the
 * cluster: refused, every entry answers CLUSTER_AUTHORIZATION_FAILED, as Kafka's error response does.
 */
public final class AlterClientQuotasHandler implements ApiHandler {
    private final ClientQuotaAdminUseCase quotas;
    private final AuthHelper auth;

    public AlterClientQuotasHandler(ClientQuotaAdminUseCase quotas, AuthHelper auth) {
        this.quotas = quotas;
        this.auth = auth;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CLIENT_QUOTAS;
    }

    @Override
    public Response handle(RequestContext context, ApiMessage message) {
        AlterClientQuotasRequestData request = (AlterClientQuotasRequestData) message;
        AlterClientQuotasResponseData response = new AlterClientQuotasResponseData().setThrottleTimeMs(0);
        if (!auth.authorizeCluster(context, AclOperation.ALTER_CONFIGS)) {
            for (AlterClientQuotasRequestData.EntryData entry : request.entries()) {
                response.entries().add(new AlterClientQuotasResponseData.EntryData()
                        .setErrorCode(Errors.CLUSTER_AUTHORIZATION_FAILED.code())
                        .setErrorMessage(Errors.CLUSTER_AUTHORIZATION_FAILED.message())
                        .setEntity(echo(entry)));
            }
            return Response.of(response);
        }
        List<QuotaAlterations.Alteration> alterations = new ArrayList<>(request.entries().size());
        for (AlterClientQuotasRequestData.EntryData entry : request.entries()) {
            // as Kafka's request parsing: the entity is a map, a type given twice keeps its last name
            Map<String, String> entity = new LinkedHashMap<>();
            entry.entity().forEach(e -> entity.put(e.entityType(), e.entityName()));
            List<QuotaAlterations.Op> ops = new ArrayList<>(entry.ops().size());
            entry.ops().forEach(op -> ops.add(new QuotaAlterations.Op(op.key(), op.value(), op.remove())));
            alterations.add(new QuotaAlterations.Alteration(entity, ops));
        }
        for (QuotaAlterations.Outcome outcome : quotas.alter(alterations, request.validateOnly())) {
            AlterClientQuotasResponseData.EntryData entry = new AlterClientQuotasResponseData.EntryData()
                    .setErrorCode(outcome.isSuccess() ? Errors.NONE.code() : ErrorCodes.code(outcome.problem().error()))
                    .setErrorMessage(outcome.isSuccess() ? null : outcome.problem().message());
            outcome.entity().forEach((type, name) -> entry.entity().add(
                    new AlterClientQuotasResponseData.EntityData().setEntityType(type).setEntityName(name)));
            response.entries().add(entry);
        }
        return Response.of(response);
    }

    private static List<AlterClientQuotasResponseData.EntityData> echo(AlterClientQuotasRequestData.EntryData entry) {
        List<AlterClientQuotasResponseData.EntityData> entity = new ArrayList<>(entry.entity().size());
        for (AlterClientQuotasRequestData.EntityData e : entry.entity()) {
            entity.add(new AlterClientQuotasResponseData.EntityData()
                    .setEntityType(e.entityType())
                    .setEntityName(e.entityName()));
        }
        return entity;
    }
}
