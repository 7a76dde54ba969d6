package dev.pgkafka.adapter.kafka.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.adapter.kafka.server.ConnectionActivity.Expiry;

/**
 * A connection's timeouts with a clock the test moves: idleness, the read timeout of a half-sent
 * frame (paused while the broker's budget makes the reader wait), the write timeout of an answer
 * the client does not take, the login timeout; and the watchdog that closes what has expired.
 */
class ConnectionTimeoutsTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final ConnectionLimits limits = new ConnectionLimitsBuilder().idleMs(10_000).readTimeoutMs(3_000)
            .writeTimeoutMs(4_000).authenticationTimeoutMs(5_000).build();

    private void advanceMs(long ms) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    private ConnectionActivity authenticatedConnection() {
        ConnectionActivity a = new ConnectionActivity(clock::get);
        a.authenticated();
        return a;
    }

    private Expiry expiry(ConnectionActivity a) {
        return a.expiry(clock.get(), limits);
    }

    @Test
    void aConnectionWithNoRequestForTheIdleTimeIsClosed() {
        ConnectionActivity a = authenticatedConnection();
        advanceMs(10_000);
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1);
        assertEquals(Expiry.IDLE, expiry(a));
    }

    @Test
    void eachAnswerStartsTheIdleTimeAgain() {
        ConnectionActivity a = authenticatedConnection();
        advanceMs(9_000);
        a.frameStarted();
        a.frameRead();
        advanceMs(2_000);
        a.answered(1);
        advanceMs(9_000);
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1_001);
        assertEquals(Expiry.IDLE, expiry(a));
    }

    @Test
    void aRequestInProgressIsNeverIdleHoweverLongItTakes() {
        ConnectionActivity a = authenticatedConnection();
        a.frameStarted();
        a.frameRead(); // e.g. a JoinGroup parked until the rebalance completes
        advanceMs(60_000);
        assertEquals(Expiry.NONE, expiry(a));
        a.answered(1);
        advanceMs(10_001);
        assertEquals(Expiry.IDLE, expiry(a));
    }

    @Test
    void negativeIdleTimeMeansNever() {
        ConnectionActivity a = authenticatedConnection();
        advanceMs(1_000_000_000L);
        assertEquals(Expiry.NONE, a.expiry(clock.get(), new ConnectionLimitsBuilder().idleMs(-1).build()));
    }

    @Test
    void aFrameThatStopsHalfWayIsClosedAfterTheReadTimeout() {
        ConnectionActivity a = authenticatedConnection();
        a.frameStarted();
        advanceMs(3_000);
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1);
        assertEquals(Expiry.READ, expiry(a));
    }

    @Test
    void theReadTimeoutCountsTheWholeFrameNotTheGapsBetweenItsBytes() {
        // a client that trickles a byte now and then must not keep its memory forever
        ConnectionActivity a = authenticatedConnection();
        a.frameStarted();
        for (int i = 0; i < 30; i++) {
            advanceMs(100); // a read returns every 100 ms, nothing is recorded for it
        }
        advanceMs(1);
        assertEquals(Expiry.READ, expiry(a));
    }

    @Test
    void timeSpentWaitingForTheBudgetDoesNotCountAgainstTheClient() {
        ConnectionActivity a = authenticatedConnection();
        a.frameStarted();
        advanceMs(2_000);
        a.awaitingMemory();
        advanceMs(60_000);
        assertEquals(Expiry.NONE, expiry(a), "the broker made it wait");
        a.gotMemory();
        advanceMs(1_000);
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1);
        assertEquals(Expiry.READ, expiry(a));
    }

    @Test
    void anAnswerTheClientDoesNotTakeIsClosedAfterTheWriteTimeout() {
        ConnectionActivity a = authenticatedConnection();
        a.frameStarted();
        a.frameRead();
        a.writeStarted();
        advanceMs(4_000);
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1);
        assertEquals(Expiry.WRITE, expiry(a));
        a.writeFinished();
        assertEquals(Expiry.NONE, expiry(a));
    }

    @Test
    void aSaslClientThatDoesNotLogInInTimeIsClosedEvenWhileItSendsRequests() {
        ConnectionActivity a = new ConnectionActivity(clock::get);
        for (int i = 0; i < 5; i++) {
            a.frameStarted();
            a.frameRead();
            a.answered(1);
            advanceMs(1_000);
        }
        assertEquals(Expiry.NONE, expiry(a));
        advanceMs(1);
        assertEquals(Expiry.AUTHENTICATION, expiry(a));
        a.authenticated();
        assertEquals(Expiry.NONE, expiry(a));
    }

    @Test
    void theWatchdogClosesExactlyTheExpiredConnections() {
        ConnectionWatchdog watchdog = new ConnectionWatchdog(limits, clock::get);
        List<String> aborted = new ArrayList<>();
        ConnectionActivity idle = authenticatedConnection();
        ConnectionActivity busy = authenticatedConnection();
        busy.frameStarted();
        busy.frameRead();
        watchdog.watch(watched("idle", idle, aborted));
        watchdog.watch(watched("busy", busy, aborted));
        advanceMs(9_000);
        assertEquals(0, watchdog.checkNow());
        advanceMs(2_000);
        assertEquals(1, watchdog.checkNow());
        assertEquals(List.of("idle"), aborted);
        assertEquals(0, watchdog.checkNow(), "a closed connection is not closed again");
    }

    @Test
    void theWatchdogLooksOftenEnoughForTheShortestTimeout() {
        assertEquals(600, ConnectionWatchdog.interval(limits));
        assertEquals(1_000, ConnectionWatchdog.interval(ConnectionLimits.defaults()));
        assertEquals(10, ConnectionWatchdog.interval(new ConnectionLimitsBuilder().idleMs(20).build()));
        assertTrue(ConnectionWatchdog.interval(new ConnectionLimitsBuilder().idleMs(-1).readTimeoutMs(500).build()) <= 100);
        assertFalse(ConnectionWatchdog.interval(new ConnectionLimitsBuilder().idleMs(-1).build()) < 10);
    }

    private static ConnectionWatchdog.Watched watched(String name, ConnectionActivity activity, List<String> aborted) {
        return new ConnectionWatchdog.Watched() {
            @Override
            public ConnectionActivity activity() {
                return activity;
            }

            @Override
            public void abort() {
                aborted.add(name);
            }

            @Override
            public String description() {
                return name;
            }
        };
    }
}
