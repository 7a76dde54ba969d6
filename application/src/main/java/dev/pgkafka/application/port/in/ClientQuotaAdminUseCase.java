package dev.pgkafka.application.port.in;

import java.util.List;
import java.util.Map;

import dev.pgkafka.domain.quota.QuotaAlterations;
import dev.pgkafka.domain.quota.QuotaEntity;
import dev.pgkafka.domain.quota.QuotaFilter;
import dev.pgkafka.domain.quota.QuotaKey;
import dev.pgkafka.domain.quota.QuotaProblem;

/** DescribeClientQuotas and AlterClientQuotas: the client quotas kept in storage, as Kafka manages them. */
public interface ClientQuotaAdminUseCase {

    /** The entities the filter selects with their values, or Kafka's refusal of the filter. */
    DescribeResult describe(List<QuotaFilter.Component> components, boolean strict);

    /**
     * Checks every alteration and stores the valid ones together (unless {@code validateOnly});
     * one outcome per distinct entity of the request, in the order they first appear.
     */
    List<QuotaAlterations.Outcome> alter(List<QuotaAlterations.Alteration> alterations, boolean validateOnly);

    /** @param problem null when the filter is valid; then {@code entries} holds the selected entities */
    record DescribeResult(QuotaProblem problem, List<Map.Entry<QuotaEntity, Map<QuotaKey, Double>>> entries) {
    }
}
