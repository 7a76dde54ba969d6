package dev.pgkafka.application.service.quota;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.pgkafka.application.port.in.ThrottlingUseCase;
import dev.pgkafka.domain.quota.AppliedQuota;
import dev.pgkafka.domain.quota.ClientQuotas;
import dev.pgkafka.domain.quota.QuotaBucket;
import dev.pgkafka.domain.quota.QuotaClient;
import dev.pgkafka.domain.quota.QuotaKey;
import dev.pgkafka.domain.quota.SampledRate;
import dev.pgkafka.domain.quota.TokenBucket;

/**
 * Kafka's client quota managers on this broker: per bucket of the quota that applies (KIP-55), one
 * windowed rate per key (or a token bucket for controller mutations), shared by every connection of
 * that bucket. The quotas in force are read at each request, so a change is applied to the next
 * request of every connection; the use counted so far is kept. Only clients with a quota are counted.
 * A bucket unused for an hour is forgotten, as Kafka expires its quota sensors.
 */
public final class ThrottlingService implements ThrottlingUseCase {
    /** Kafka's {@code InactiveSensorExpirationTimeSeconds}. */
    static final long IDLE_EXPIRY_MS = 3_600_000;
    private static final long PURGE_INTERVAL_MS = 60_000;
    private static final double NANOS_TO_PERCENT = 100.0 / 1_000_000_000.0;

    private final Supplier<ClientQuotas> quotas;
    private final QuotaSettings settings;
    private final Clock clock;
    private final ConcurrentHashMap<MeterKey, Meter> meters = new ConcurrentHashMap<>();
    private volatile long lastPurgeMs;

    /** @param address the IP address of a connection rate, else null */
    private record MeterKey(QuotaKey key, QuotaBucket bucket, String address) {
    }

    /** The use of one bucket for one key; guarded by its own lock. */
    private static final class Meter {
        final SampledRate rate;
        final TokenBucket tokens;
        long lastUsedMs;

        Meter(QuotaKey key, QuotaSettings settings, long nowMs) {
            boolean mutations = key == QuotaKey.CONTROLLER_MUTATION_RATE;
            this.rate = mutations ? null : new SampledRate(settings.clients());
            this.tokens = mutations ? new TokenBucket(settings.controllerMutations()) : null;
            this.lastUsedMs = nowMs;
        }
    }

    /** Over a cache that follows the stored quotas. */
    public ThrottlingService(ClientQuotaCache cache, QuotaSettings settings, Clock clock) {
        this(cache::quotas, settings, clock);
    }

    /** @param quotas the quotas in force, read at every request */
    public ThrottlingService(Supplier<ClientQuotas> quotas, QuotaSettings settings, Clock clock) {
        this.quotas = Objects.requireNonNull(quotas, "quotas");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastPurgeMs = clock.millis();
    }

    @Override
    public int recordProduce(QuotaClient client, long requestBytes) {
        return recordRate(QuotaKey.PRODUCER_BYTE_RATE, client, requestBytes, Long.MAX_VALUE);
    }

    @Override
    public long maxFetchBytes(QuotaClient client) {
        Optional<AppliedQuota> quota = resolve(QuotaKey.CONSUMER_BYTE_RATE, client);
        if (quota.isEmpty()) {
            return Long.MAX_VALUE;
        }
        double max = settings.clients().maxValueInWindow(quota.get().limit());
        return max >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) max;
    }

    @Override
    public int fetchThrottleMs(QuotaClient client) {
        Optional<AppliedQuota> quota = resolve(QuotaKey.CONSUMER_BYTE_RATE, client);
        if (quota.isEmpty()) {
            return 0;
        }
        Meter meter = meters.get(new MeterKey(QuotaKey.CONSUMER_BYTE_RATE, quota.get().bucket(), null));
        if (meter == null) {
            return 0;
        }
        long now = clock.millis();
        synchronized (meter) {
            return toInt(meter.rate.throttleMs(quota.get().limit(), now));
        }
    }

    @Override
    public int recordFetch(QuotaClient client, long responseBytes) {
        return recordRate(QuotaKey.CONSUMER_BYTE_RATE, client, responseBytes, Long.MAX_VALUE);
    }

    @Override
    public void unrecordFetch(QuotaClient client, long responseBytes) {
        recordRate(QuotaKey.CONSUMER_BYTE_RATE, client, -responseBytes, 0);
    }

    @Override
    public int recordRequestTime(QuotaClient client, long nanos) {
        // Kafka caps the request-time throttle at one window: a request's time is not worth a longer pause
        return recordRate(QuotaKey.REQUEST_PERCENTAGE, client, nanos * NANOS_TO_PERCENT, settings.clients().windowMs());
    }

    @Override
    public MutationQuota mutations(QuotaClient client, boolean strict) {
        Optional<AppliedQuota> quota = resolve(QuotaKey.CONTROLLER_MUTATION_RATE, client);
        if (quota.isEmpty()) {
            return MutationQuota.UNLIMITED;
        }
        return new BucketMutationQuota(meter(QuotaKey.CONTROLLER_MUTATION_RATE, quota.get().bucket(), clock.millis()),
                quota.get().limit(), strict);
    }

    @Override
    public int recordConnection(String address) {
        ClientQuotas current = quotas.get();
        OptionalDouble rate = current.connectionCreationRate(address);
        if (rate.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        purgeIdle(now);
        Meter meter = meters.computeIfAbsent(new MeterKey(QuotaKey.CONNECTION_CREATION_RATE, null, address),
                k -> new Meter(QuotaKey.CONNECTION_CREATION_RATE, settings, now));
        synchronized (meter) {
            meter.lastUsedMs = now;
            long throttle = meter.rate.recordAndThrottleMs(1, rate.getAsDouble(), now);
            if (throttle <= 0) {
                return 0;
            }
            meter.rate.record(-1, now); // a refused connection does not count, as in Kafka
            return toInt(Math.min(throttle, settings.clients().windowMs()));
        }
    }

    /** How many buckets are counted now (tests). */
    int meterCount() {
        return meters.size();
    }

    private Optional<AppliedQuota> resolve(QuotaKey key, QuotaClient client) {
        ClientQuotas current = quotas.get();
        if (!current.hasAny(key)) {
            return Optional.empty();
        }
        return current.resolve(key, client.user(), client.clientId());
    }

    private int recordRate(QuotaKey key, QuotaClient client, double value, long maxThrottleMs) {
        Optional<AppliedQuota> quota = resolve(key, client);
        if (quota.isEmpty()) {
            return 0;
        }
        long now = clock.millis();
        Meter meter = meter(key, quota.get().bucket(), now);
        synchronized (meter) {
            meter.lastUsedMs = now;
            return toInt(Math.min(maxThrottleMs, meter.rate.recordAndThrottleMs(value, quota.get().limit(), now)));
        }
    }

    private Meter meter(QuotaKey key, QuotaBucket bucket, long now) {
        purgeIdle(now);
        return meters.computeIfAbsent(new MeterKey(key, bucket, null), k -> new Meter(key, settings, now));
    }

    /** Forgets buckets unused for an hour; looks at most once a minute. */
    private void purgeIdle(long now) {
        if (now - lastPurgeMs < PURGE_INTERVAL_MS) {
            return;
        }
        lastPurgeMs = now;
        meters.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return now - e.getValue().lastUsedMs >= IDLE_EXPIRY_MS;
            }
        });
    }

    private static int toInt(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(0, ms));
    }

    /**
     * Kafka's {@code StrictControllerMutationQuota} and {@code PermissiveControllerMutationQuota}: strict
     * refuses mutations while the credits are below zero and does not throttle the request that took
     * them below; permissive takes every mutation and throttles once the credits are below zero.
     */
    private final class BucketMutationQuota implements MutationQuota {
        private final Meter meter;
        private final double limit;
        private final boolean strict;
        private long throttleMs;
        private long throttledAtMs;

        BucketMutationQuota(Meter meter, double limit, boolean strict) {
            this.meter = meter;
            this.limit = limit;
            this.strict = strict;
        }

        @Override
        public boolean admits() {
            if (!strict) {
                return true;
            }
            long now = clock.millis();
            synchronized (meter) {
                meter.lastUsedMs = now;
                long t = meter.tokens.throttleMs(limit, now);
                if (t > 0) {
                    throttleMs = t;
                    throttledAtMs = now;
                    return false;
                }
                return true;
            }
        }

        @Override
        public void record(int partitions) {
            long now = clock.millis();
            synchronized (meter) {
                meter.lastUsedMs = now;
                meter.tokens.record(partitions, limit, now);
                if (!strict) {
                    long t = meter.tokens.throttleMs(limit, now);
                    if (t > 0) {
                        throttleMs = t;
                        throttledAtMs = now;
                    }
                }
            }
        }

        @Override
        public int throttleMs() {
            // what is left of it: the request may have taken a while since
            return toInt(throttleMs - (clock.millis() - throttledAtMs));
        }
    }
}
