package dev.pgkafka.application.service;

import java.time.Clock;

import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.StorageStatus;

/**
 * Liveness is answering at all; readiness is a storage that answers and takes writes, on a broker
 * that is not shutting down. An outage the storage adapter already knows of (the server does not
 * answer, or writes fail for lack of disk space) answers DOWN at once with its reason, without
 * another round trip that could hang as long as the outage; otherwise a round trip decides.
 */
public final class HealthService implements HealthUseCase {
    private final StorageHealthPort storage;
    private final Clock clock;
    private volatile boolean shuttingDown;

    public HealthService(StorageHealthPort storage) {
        this(storage, Clock.systemUTC());
    }

    public HealthService(StorageHealthPort storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /**
     * From now on readiness is DOWN: the broker is about to stop, so load balancers and orchestrators
     * should send no new work while requests in progress are answered.
     */
    public void shuttingDown() {
        shuttingDown = true;
    }

    @Override
    public Health check() {
        if (shuttingDown) {
            return new Health(false, storage.describe(), -1L, "the broker is shutting down");
        }
        StorageStatus status = storage.status();
        if (status.problem().isPresent()) {
            StorageStatus.Problem p = status.problem().get();
            String since = status.sinceMillis() < 0 ? ""
                    : " for " + Math.max(0, (clock.millis() - status.sinceMillis()) / 1000) + " s";
            String what = p.reason().readsWork() ? "writes fail" : "the storage does not answer";
            return new Health(false, storage.describe(), -1L,
                    "storage " + p.reason().text() + since + " (" + what + "): " + p.detail());
        }
        long start = System.nanoTime();
        try {
            storage.ping();
            return new Health(true, storage.describe(), (System.nanoTime() - start) / 1_000_000, null);
        } catch (RuntimeException e) {
            return new Health(false, storage.describe(), -1L, String.valueOf(e.getMessage()));
        }
    }
}
