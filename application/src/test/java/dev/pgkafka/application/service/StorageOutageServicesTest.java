package dev.pgkafka.application.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.pgkafka.application.port.in.FetchUseCase.FetchCommand;
import dev.pgkafka.application.port.in.FetchUseCase.FetchResult;
import dev.pgkafka.application.port.in.FetchUseCase.PartitionFetch;
import dev.pgkafka.application.port.in.HealthUseCase.Health;
import dev.pgkafka.application.port.out.PartitionLogPort;
import dev.pgkafka.application.port.out.StorageHealthPort;
import dev.pgkafka.application.port.out.StorageStatus;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;
import dev.pgkafka.domain.error.ErrorCode;
import dev.pgkafka.domain.log.IsolationLevel;
import dev.pgkafka.domain.log.PartitionHead;
import dev.pgkafka.domain.topic.Topic;

/** While the storage is unavailable, a fetch waits before it fails, and readiness says why without asking again. */
class StorageOutageServicesTest {
    private final Topic topic = new Topic(UUID.randomUUID(), "t", 1, Map.of());
    private final AtomicInteger reads = new AtomicInteger();
    private volatile int failFirst;

    /** A log whose first {@link #failFirst} head reads fail as an outage would, then answers an empty partition. */
    private final PartitionLogPort log = (PartitionLogPort) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {PartitionLogPort.class}, (p, m, args) -> switch (m.getName()) {
                case "heads" -> {
                    if (reads.incrementAndGet() <= failFirst) {
                        throw new StorageUnavailableException(Reason.UNREACHABLE, "read heads failed", null);
                    }
                    yield Map.of(topic.partition(0), PartitionHead.of(0, 0));
                }
                case "read" -> List.of();
                default -> throw new UnsupportedOperationException(m.getName());
            });

    private final FetchService fetch = new FetchService(log, new PartitionActivity(), Clock.systemUTC());

    private FetchCommand command(long maxWaitMs) {
        return new FetchCommand(List.of(new PartitionFetch(topic, 0, 0, 1024)), 1 << 20, 1, Duration.ofMillis(maxWaitMs),
                IsolationLevel.READ_UNCOMMITTED);
    }

    @Test
    void aFetchDuringAnOutageFailsOnlyAfterItsMaxWait() {
        failFirst = Integer.MAX_VALUE;
        long start = System.nanoTime();
        assertThrows(StorageUnavailableException.class, () -> fetch.fetch(command(800)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 780 && ms < 3_000, "waited out max_wait, took " + ms + " ms");
        assertEquals(2, reads.get(), "one read, and one more after the wait");
    }

    @Test
    void aFetchWithoutMaxWaitStillBacksOff() {
        failFirst = Integer.MAX_VALUE;
        long start = System.nanoTime();
        assertThrows(StorageUnavailableException.class, () -> fetch.fetch(command(0)));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= FetchService.UNAVAILABLE_BACKOFF_MILLIS - 20, "a consumer with max_wait 0 would spin, took "
                + ms + " ms");
    }

    @Test
    void aFetchThatFindsTheStorageBackAfterItsWaitServes() {
        failFirst = 1;
        FetchResult result = fetch.fetch(command(300));
        assertEquals(ErrorCode.NONE, result.partitions().getFirst().error());
    }

    @Test
    void readinessAnswersAKnownOutageAtOnceWithItsReasonAndDownAtShutdown() {
        AtomicInteger pings = new AtomicInteger();
        StorageStatus[] status = {StorageStatus.HEALTHY};
        StorageHealthPort storage = new StorageHealthPort() {
            @Override
            public void ping() {
                pings.incrementAndGet();
            }

            @Override
            public String describe() {
                return "test storage";
            }

            @Override
            public StorageStatus status() {
                return status[0];
            }
        };
        HealthService health = new HealthService(storage);
        assertTrue(health.check().storageReady());
        assertEquals(1, pings.get());

        status[0] = StorageStatus.failing(Reason.DISK_FULL, "could not extend file [SQLState 53100]",
                System.currentTimeMillis());
        Health full = health.check();
        assertFalse(full.storageReady());
        assertTrue(full.problem().contains("out of disk space") && full.problem().contains("writes fail")
                && full.problem().contains("53100"), full.problem());
        assertEquals(1, pings.get(), "a known outage is not asked about again");

        status[0] = StorageStatus.HEALTHY;
        health.shuttingDown();
        Health stopping = health.check();
        assertFalse(stopping.storageReady());
        assertEquals("the broker is shutting down", stopping.problem());
    }
}
