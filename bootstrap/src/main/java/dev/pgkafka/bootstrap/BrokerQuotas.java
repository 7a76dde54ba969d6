package dev.pgkafka.bootstrap;

import java.time.Clock;

import dev.pgkafka.adapter.kafka.QuotaUseCases;
import dev.pgkafka.adapter.postgres.PostgresStorage;
import dev.pgkafka.application.service.quota.ClientQuotaCache;
import dev.pgkafka.application.service.quota.ClientQuotaService;
import dev.pgkafka.application.service.quota.QuotaSettings;
import dev.pgkafka.application.service.quota.ThrottlingService;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ServerProperties;

/**
 * Client quotas as the configuration asks: the windows they are measured over
 * ({@code quota.window.num}, {@code quota.window.size.seconds}, {@code controller.quota.window.*}), the
 * quotas themselves from PostgreSQL, followed within a second of any change on any broker.
 */
final class BrokerQuotas implements AutoCloseable {
    private final ClientQuotaCache cache;
    private final QuotaUseCases useCases;

    private BrokerQuotas(ClientQuotaCache cache, QuotaUseCases useCases) {
        this.cache = cache;
        this.useCases = useCases;
    }

    /** @throws ConfigException naming the key of a window setting that is not a whole number of at least 1 */
    static QuotaSettings settings(BrokerOptions options) {
        ServerProperties p = options.properties();
        try {
            return QuotaSettings.fromKafkaConfig(p.get(QuotaSettings.QUOTA_WINDOW_NUM).orElse(null),
                    p.get(QuotaSettings.QUOTA_WINDOW_SIZE_SECONDS).orElse(null),
                    p.get(QuotaSettings.CONTROLLER_QUOTA_WINDOW_NUM).orElse(null),
                    p.get(QuotaSettings.CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS).orElse(null));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid value for configuration " + e.getMessage());
        }
    }

    /** Loads the stored quotas and follows their changes until {@link #close()}. */
    static BrokerQuotas start(QuotaSettings settings, PostgresStorage storage, Clock clock) {
        ClientQuotaCache cache = ClientQuotaCache.load(storage.clientQuotas());
        cache.startPolling(ClientQuotaCache.DEFAULT_POLL_INTERVAL);
        return new BrokerQuotas(cache, new QuotaUseCases(new ClientQuotaService(storage.clientQuotas(), cache),
                new ThrottlingService(cache, settings, clock)));
    }

    QuotaUseCases useCases() {
        return useCases;
    }

    @Override
    public void close() {
        cache.close();
    }
}
