package dev.pgkafka.adapter.kafka.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Account;
import dev.pgkafka.adapter.kafka.server.RequestMemoryBudget.Reservation;

/**
 * The broker-wide request budget: frames take bytes as they grow and give them back once; readers
 * wait when it is spent and are served first come, first served; half-read frames cannot wait for
 * each other forever, because one of them at a time may overdraw.
 */
class RequestMemoryBudgetTest {

    /** Grows a reservation on a virtual thread; the future completes when the budget served it. */
    private static CompletableFuture<Boolean> growLater(Reservation r, long total) {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(r.growTo(total));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Waits until {@code n} readers wait in the budget, so the order of arrival is known. */
    private static void awaitWaiting(RequestMemoryBudget budget, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (budget.waiting() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " waiting, got " + budget.waiting());
            }
            Thread.sleep(1);
        }
    }

    private static void assertStillWaiting(CompletableFuture<Boolean> f) {
        assertThrows(TimeoutException.class, () -> f.get(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void aFrameTakesBytesInStepsAndGivesThemAllBackOnce() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Account account = budget.open();
        Reservation r = account.reserve();
        assertTrue(r.growTo(100));
        assertTrue(r.growTo(300)); // a doubled buffer while the old one is copied
        r.shrinkTo(200);
        assertEquals(200, budget.used());
        assertEquals(200, account.held());
        r.release();
        r.release();
        assertEquals(0, budget.used());
        assertEquals(0, account.held());
    }

    @Test
    void closingTheConnectionGivesBackEveryFrameItHolds() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Account account = budget.open();
        Reservation queued = account.reserve();
        Reservation reading = account.reserve();
        queued.growTo(400);
        reading.growTo(300);
        account.close();
        assertEquals(0, budget.used());
        // a reader that reserves after the close gets nothing and learns it
        Reservation late = account.reserve();
        assertFalse(late.growTo(10));
        assertEquals(0, budget.used());
        queued.release(); // the processor's own release after the close changes nothing
        assertEquals(0, budget.used());
    }

    @Test
    void aSpentBudgetMakesReadersWaitUntilAnAnswerFreesBytes() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation answered = budget.open().reserve();
        answered.growTo(900);
        CompletableFuture<Boolean> next = growLater(budget.open().reserve(), 200);
        awaitWaiting(budget, 1);
        assertStillWaiting(next);
        answered.release();
        assertTrue(next.get(5, TimeUnit.SECONDS));
        assertEquals(200, budget.used());
    }

    @Test
    void readersAreServedInTheOrderTheyCame() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation hog = budget.open().reserve();
        hog.growTo(1_000);
        List<Integer> served = new CopyOnWriteArrayList<>();
        List<CompletableFuture<Boolean>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            Reservation r = budget.open().reserve();
            waiting.add(growLater(r, 300).thenApply(ok -> {
                served.add(n);
                return ok;
            }));
            awaitWaiting(budget, i + 1);
        }
        // a small newcomer does not pass the ones waiting before it, though it would fit
        hog.shrinkTo(750);
        CompletableFuture<Boolean> small = growLater(budget.open().reserve(), 10);
        awaitWaiting(budget, 6);
        assertStillWaiting(small);
        hog.release();
        for (CompletableFuture<Boolean> f : waiting.subList(0, 3)) {
            assertTrue(f.get(5, TimeUnit.SECONDS));
        }
        // room for three: the first three to come, whatever order their threads then run in
        assertEquals(List.of(0, 1, 2), served.stream().sorted().toList());
        assertStillWaiting(waiting.get(3));
        assertStillWaiting(small);
    }

    @Test
    void halfReadFramesThatWaitForEachOtherAreResolvedByOneOverdraft() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation a = budget.open().reserve();
        Reservation b = budget.open().reserve();
        a.growTo(500);
        b.growTo(400);
        // both need more than is left: without an overdraft neither could ever finish
        CompletableFuture<Boolean> aGrows = growLater(a, 1_000);
        assertTrue(aGrows.get(5, TimeUnit.SECONDS), "the first waiting frame that holds bytes goes ahead");
        assertEquals(1_400, budget.used());
        CompletableFuture<Boolean> bGrows = growLater(b, 800);
        awaitWaiting(budget, 1);
        assertStillWaiting(bGrows); // one overdraft at a time
        assertTrue(a.growTo(1_500), "the overdrawing frame keeps its right until it is released");
        a.release();
        assertTrue(bGrows.get(5, TimeUnit.SECONDS));
        assertEquals(800, budget.used());
    }

    @Test
    void aFrameLargerThanTheWholeBudgetIsServedAlone() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation big = budget.open().reserve();
        big.growTo(800);
        assertTrue(big.growTo(5_000));
        assertEquals(5_000, budget.used());
        CompletableFuture<Boolean> other = growLater(budget.open().reserve(), 1);
        awaitWaiting(budget, 1);
        assertStillWaiting(other);
        big.release();
        assertTrue(other.get(5, TimeUnit.SECONDS));
    }

    @Test
    void growingFramesLeaveAnEighthOfTheBudgetToSmallRequests() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation bulk = budget.open().reserve();
        bulk.growTo(8);
        assertTrue(bulk.growTo(875));
        Reservation overdrawing = budget.open().reserve();
        overdrawing.growTo(8);
        assertTrue(overdrawing.growTo(16), "the first growing frame that has to wait overdraws");
        Reservation growing = budget.open().reserve();
        growing.growTo(8);
        CompletableFuture<Boolean> waitsForRoom = growLater(growing, 16);
        awaitWaiting(budget, 1);
        assertStillWaiting(waitsForRoom);
        // a whole small request still gets its first buffer from the eighth kept for them
        assertTrue(growLater(budget.open().reserve(), 100).get(5, TimeUnit.SECONDS));
        assertEquals(1_000 - 1, budget.used());
        bulk.release();
        assertTrue(waitsForRoom.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aFrameThatHoldsNothingNeverOverdraws() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation held = budget.open().reserve();
        held.growTo(1_000);
        CompletableFuture<Boolean> fresh = growLater(budget.open().reserve(), 8);
        awaitWaiting(budget, 1);
        assertStillWaiting(fresh); // it blocks no one, so it waits for answers like everyone
        held.release();
        assertTrue(fresh.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aWaitingReaderWhoseConnectionClosesStopsWaitingAndTakesNothing() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        budget.open().reserve().growTo(1_000);
        Account closing = budget.open();
        CompletableFuture<Boolean> waiting = growLater(closing.reserve(), 100);
        awaitWaiting(budget, 1);
        closing.close();
        assertFalse(waiting.get(5, TimeUnit.SECONDS));
        assertEquals(0, budget.waiting());
        assertEquals(1_000, budget.used());
    }

    @Test
    void anInterruptedReaderLeavesTheQueueAndTheNextOneIsServed() throws Exception {
        RequestMemoryBudget budget = new RequestMemoryBudget(1_000);
        Reservation hog = budget.open().reserve();
        hog.growTo(900);
        Reservation first = budget.open().reserve();
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                interrupted.complete(first.growTo(500));
            } catch (Throwable e) {
                interrupted.completeExceptionally(e);
            }
        });
        awaitWaiting(budget, 1);
        CompletableFuture<Boolean> second = growLater(budget.open().reserve(), 100);
        awaitWaiting(budget, 2);
        assertStillWaiting(second); // behind the first
        t.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, () -> interrupted.get(5, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof InterruptedException);
        assertTrue(second.get(5, TimeUnit.SECONDS));
        assertEquals(1_000, budget.used());
    }

    @Test
    void minusOneMeansNoBound() throws Exception {
        RequestMemoryBudget budget = RequestMemoryBudget.of(-1);
        Reservation r = budget.open().reserve();
        assertTrue(r.growTo(Integer.MAX_VALUE));
        assertTrue(budget.open().reserve().growTo(Integer.MAX_VALUE));
        r.release();
        assertEquals(Integer.MAX_VALUE, budget.used());
    }
}
