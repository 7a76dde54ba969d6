package dev.pgkafka.application.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.pgkafka.domain.topic.TopicIdPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How held fetches are woken: per partition, never lost between read and wait, released on close and shutdown. */
class PartitionActivityTest {
    private static final UUID TOPIC = UUID.fromString("3f0a2c4e-1b7d-4c55-9a3e-2d9f0c6b7a11");
    private static final TopicIdPartition P0 = new TopicIdPartition(TOPIC, 0);
    private static final TopicIdPartition P1 = new TopicIdPartition(TOPIC, 1);
    private static final TopicIdPartition OTHER = new TopicIdPartition(UUID.fromString(
            "8c1d6e2a-5f43-4b9e-b0a7-6e3c2f1d9b84"), 0);
    /** Long enough never to pass in a healthy run: a wake-up must come well before it. */
    private static final long LONG_WAIT_MS = 5_000;
    private static final long SHORT_WAIT_MS = 40;

    private final PartitionActivity activity = new PartitionActivity();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void aWaiterIsWokenByAChangeOfItsPartition() throws Exception {
        try (PartitionActivity.Waiter waiter = activity.watch(List.of(P0, P1))) {
            Future<Long> woken = threads.submit(() -> timed(waiter, LONG_WAIT_MS));
            Thread.sleep(20); // most likely parked by now; a change before the wait is kept anyway
            activity.changed(List.of(P1));
            long elapsedMs = woken.get(2, TimeUnit.SECONDS);
            assertTrue(elapsedMs >= 0 && elapsedMs < 2_000, "woken after " + elapsedMs + " ms");
        }
    }

    @Test
    void changesOfOtherPartitionsDoNotWakeIt() throws Exception {
        try (PartitionActivity.Waiter waiter = activity.watch(List.of(P0))) {
            activity.changed(List.of(P1, OTHER));
            long start = System.nanoTime();
            assertFalse(waiter.await(SHORT_WAIT_MS), "woken by another partition");
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMs >= SHORT_WAIT_MS - 5, "timed out after only " + elapsedMs + " ms");
        }
    }

    @Test
    void aChangeBetweenReadAndWaitIsNotLost() throws Exception {
        // the fetch's order: register, read (finds nothing), ... an append commits ..., wait
        try (PartitionActivity.Waiter waiter = activity.watch(List.of(P0))) {
            activity.changed(List.of(P0));
            long start = System.nanoTime();
            assertTrue(waiter.await(LONG_WAIT_MS), "the change before the wait was lost");
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1_000, "waited although changed");
        }
    }

    @Test
    void severalChangesWakeOnceAndAreThenConsumed() throws Exception {
        try (PartitionActivity.Waiter waiter = activity.watch(List.of(P0))) {
            activity.changed(List.of(P0));
            activity.changed(List.of(P0));
            activity.changed(List.of(P0));
            assertTrue(waiter.await(0));
            // the next wait is for changes after the last wake-up only
            assertFalse(waiter.await(SHORT_WAIT_MS));
        }
    }

    @Test
    void everyWaiterOfAPartitionIsWoken() throws Exception {
        try (PartitionActivity.Waiter a = activity.watch(List.of(P0));
             PartitionActivity.Waiter b = activity.watch(List.of(P0, OTHER))) {
            activity.changed(List.of(P0));
            assertTrue(a.await(LONG_WAIT_MS));
            assertTrue(b.await(LONG_WAIT_MS));
        }
    }

    @Test
    void closeUnregisters() throws Exception {
        PartitionActivity.Waiter waiter = activity.watch(List.of(P0));
        waiter.close();
        activity.changed(List.of(P0));
        activity.wakeAll();
        assertFalse(waiter.await(SHORT_WAIT_MS), "a closed waiter was still signalled");
    }

    @Test
    void wakeAllWakesEveryWaiterWhateverItWatches() throws Exception {
        try (PartitionActivity.Waiter a = activity.watch(List.of(P0));
             PartitionActivity.Waiter b = activity.watch(List.of(OTHER));
             PartitionActivity.Waiter none = activity.watch(List.of())) {
            CompletableFuture<Boolean> parked = CompletableFuture.supplyAsync(() -> awaitQuietly(a), threads);
            Thread.sleep(20);
            activity.wakeAll();
            assertTrue(parked.get(2, TimeUnit.SECONDS), "a parked waiter");
            assertTrue(b.await(0));
            assertTrue(none.await(0));
        }
    }

    @Test
    void closingOneWaiterWhileAnotherRegistersForTheSamePartitionLosesNoRegistration() throws Exception {
        // close() drops a partition's emptied set while watch() may be adding to it: the new waiter must stay
        CyclicBarrier start = new CyclicBarrier(2);
        for (int i = 0; i < 2_000; i++) {
            PartitionActivity.Waiter leaving = activity.watch(List.of(P0));
            Future<?> closing = threads.submit(() -> {
                start.await();
                leaving.close();
                return null;
            });
            start.await();
            try (PartitionActivity.Waiter arriving = activity.watch(List.of(P0))) {
                closing.get(2, TimeUnit.SECONDS);
                activity.changed(List.of(P0));
                assertTrue(arriving.await(0), "registration lost in round " + i);
            }
        }
    }

    private static long timed(PartitionActivity.Waiter waiter, long timeoutMs) throws InterruptedException {
        long start = System.nanoTime();
        boolean signalled = waiter.await(timeoutMs);
        return signalled ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) : -1;
    }

    private static boolean awaitQuietly(PartitionActivity.Waiter waiter) {
        try {
            return waiter.await(LONG_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
