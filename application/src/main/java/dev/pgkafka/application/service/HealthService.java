package dev.pgkafka.application.service;

import dev.pgkafka.application.port.in.HealthUseCase;
import dev.pgkafka.application.port.out.StorageHealthPort;

/** Liveness is answering at all; readiness is a storage round trip that succeeds. */
public final class HealthService implements HealthUseCase {
    private final StorageHealthPort storage;

    public HealthService(StorageHealthPort storage) {
        this.storage = storage;
    }

    @Override
    public Health check() {
        long start = System.nanoTime();
        try {
            storage.ping();
            return new Health(true, storage.describe(), (System.nanoTime() - start) / 1_000_000, null);
        } catch (RuntimeException e) {
            return new Health(false, storage.describe(), -1L, String.valueOf(e.getMessage()));
        }
    }
}
