package dev.pgkafka.adapter.kafka;

import java.util.Objects;

import dev.pgkafka.application.port.in.ClientQuotaAdminUseCase;
import dev.pgkafka.application.port.in.ThrottlingUseCase;

/**
 * The use cases behind client quotas: DescribeClientQuotas and AlterClientQuotas ({@code admin}), and
 * what every request counts against ({@code throttling}).
 *
 * @param admin null when the broker keeps no client quotas: the two APIs are then not offered
 */
public record QuotaUseCases(ClientQuotaAdminUseCase admin, ThrottlingUseCase throttling) {
    /** No client quotas (tests of other features): nothing is throttled, the quota APIs are not offered. */
    public static final QuotaUseCases NONE = new QuotaUseCases(null, ThrottlingUseCase.UNLIMITED);

    public QuotaUseCases {
        Objects.requireNonNull(throttling, "throttling");
    }
}
