package dev.pgkafka.adapter.postgres.jdbc;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import dev.pgkafka.application.port.out.StorageStatus;
import dev.pgkafka.application.port.out.StorageUnavailableException;
import dev.pgkafka.application.port.out.StorageUnavailableException.Reason;

/**
 * What the broker knows of its PostgreSQL from the calls it makes, and the one place that reports an
 * outage: a WARN line when it starts, a summary line a minute while it lasts (with the number of calls
 * it failed) and an INFO line when it ends, instead of a stack trace per failed request.
 *
 * <p><b>Unreachable.</b> PostgreSQL becomes a suspect when a call fails at the connection level
 * (refused, reset, a socket timeout, the server shutting down, no pooled connection free in time) or
 * when a call has waited for it longer than {@code hangAfter} (a server or network that went silent
 * answers nothing, not even an error). Idle pooled connections are then validated before their next
 * use, and a probe (a fresh connection and {@code SELECT 1}, bounded by the connect timeout) decides.
 * When the probe succeeds, a connection had died (a terminated backend) or a statement was slow, and
 * nothing is reported. When it fails, the outage starts: every call fails at once with
 * {@link StorageUnavailableException} (no call waits for connect or socket timeouts, no pool fills with
 * hanging connections), and the probe runs every {@code checkInterval} until PostgreSQL answers; the
 * first call to succeed ends it too.
 *
 * <p><b>Writes fail.</b> Out of disk space ({@code 53100}) or read-only ({@code 25006}, a standby after a
 * failover) fail writes only, so calls go on and reads succeed; the condition is kept per pool and ends
 * when read-write transactions of that pool commit and none has failed for {@code writeSettle} (a write
 * elsewhere, e.g. into a small table with free pages, says nothing about the records table; and on a
 * nearly full disk a write that fits in a page's last free bytes is no sign that space returned). No
 * write is attempted just to find out.
 */
public final class Availability implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.pgkafka.adapter.postgres.PostgresStorage");

    /** A round trip on a fresh connection: returns when PostgreSQL answers, throws when it does not. */
    @FunctionalInterface
    public interface Probe {
        void run() throws SQLException;
    }

    private final String where;
    private final Probe probe;
    private final Clock clock;
    private final Duration checkInterval;
    private final Duration hangAfter;
    private final Duration probeTimeout;
    private final Duration writeSettle;
    private final Duration summaryInterval;
    private final List<ConnectionPool> pools = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // written under the lock; volatile so that every call can look without taking it
    private volatile Episode unreachable;
    private volatile boolean suspect;
    private int suspectFailures;
    private String suspectDetail;
    private final Map<String, Episode> failingWrites = new LinkedHashMap<>();
    private volatile boolean writesFailing;
    /** The call a hang probe looked at already: one probe per hanging call, not one per check. */
    private ConnectionPool.Call hangProbed;
    private Thread monitor;
    private volatile boolean closed;
    /** When the last probe started (System.nanoTime); written by the monitor only. */
    private long lastProbe;
    private volatile boolean probeRunning;
    private volatile boolean answeredDuringProbe;

    /**
     * @param where           host, port and database (never the password), for log lines
     * @param probe           the round trip that decides whether PostgreSQL answers
     * @param checkInterval   how often the monitor looks for hanging calls, and probes during an outage
     * @param hangAfter       how long a call may wait before PostgreSQL is suspected of having gone silent
     * @param probeTimeout    how long the probe may take before PostgreSQL counts as not answering
     * @param writeSettle     how long writes must not fail, with one succeeding, before failing writes are over
     * @param summaryInterval how often an ongoing outage is summarised in the log
     */
    public Availability(String where, Probe probe, Clock clock, Duration checkInterval, Duration hangAfter,
                        Duration probeTimeout, Duration writeSettle, Duration summaryInterval) {
        this.where = where;
        this.probe = probe;
        this.clock = clock;
        this.checkInterval = checkInterval;
        this.hangAfter = hangAfter;
        this.probeTimeout = probeTimeout;
        this.writeSettle = writeSettle;
        this.summaryInterval = summaryInterval;
        this.lastProbe = System.nanoTime() - checkInterval.toNanos();
    }

    /**
     * Checks every 500 ms, suspects a call waiting 3 s, gives the probe {@code probeTimeout}, ends failing
     * writes after 5 s without a failure, summarises every minute.
     */
    public Availability(String where, Probe probe, Duration probeTimeout) {
        this(where, probe, Clock.systemUTC(), Duration.ofMillis(500), Duration.ofSeconds(3), probeTimeout,
                Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    /** A tracker that is never started, so it never declares an outage (a pool used on its own, in tests). */
    public static Availability untracked() {
        return new Availability("PostgreSQL", () -> { }, Duration.ofSeconds(5));
    }

    /** Pools whose loans are watched for hangs and whose idle connections are validated when one failed. */
    public void watch(ConnectionPool pool) {
        pools.add(pool);
    }

    /** Starts the monitor (a virtual thread) that probes and summarises. */
    public void start() {
        lock.lock();
        try {
            if (monitor == null && !closed) {
                monitor = Thread.ofVirtual().name("postgres-availability").start(this::monitor);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether calls fail at once because PostgreSQL does not answer. */
    public boolean isDown() {
        return unreachable != null;
    }

    /**
     * Fails the call at once while PostgreSQL does not answer.
     *
     * @throws StorageUnavailableException during an outage
     */
    public void checkReachable(String what) {
        Episode e = unreachable;
        if (e != null) {
            e.failed();
            throw new StorageUnavailableException(Reason.UNREACHABLE, what + " failed: PostgreSQL does not answer (for "
                    + e.seconds(clock) + " s): " + e.detail, null);
        }
    }

    /** A call failed at the connection level: counts it, suspects an outage, and says so to the caller. */
    public StorageUnavailableException connectionFailed(String what, String detail, Exception cause) {
        lock.lock();
        try {
            Episode e = unreachable;
            if (e != null) {
                e.failed();
            } else {
                if (!suspect) {
                    suspect = true;
                    suspectFailures = 0;
                    // the server may have restarted or killed its backends: the idle connections are dead too
                    pools.forEach(ConnectionPool::validateIdleConnections);
                }
                suspectFailures++;
                suspectDetail = detail;
                wake.signalAll();
            }
        } finally {
            lock.unlock();
        }
        return new StorageUnavailableException(Reason.UNREACHABLE, what + " failed: " + detail, cause);
    }

    /** A write failed for lack of disk space or because the server is read-only. */
    public StorageUnavailableException writeFailed(String pool, Reason reason, String what, String detail, Exception cause) {
        lock.lock();
        try {
            Episode e = failingWrites.get(pool);
            if (e == null) {
                boolean first = failingWrites.isEmpty();
                e = new Episode(reason, detail, clock.millis(), 0);
                failingWrites.put(pool, e);
                writesFailing = true;
                if (first) {
                    LOG.log(Level.WARNING, "PostgreSQL {0} refuses writes ({1}): {2}. Produce requests and offset commits "
                            + "are answered with retriable errors and fetches go on until it takes writes again; a summary "
                            + "follows every {3}", where, reason.text(), detail, human(summaryInterval));
                }
            }
            e.detail = detail;
            e.lastFailure = clock.millis();
            e.succeededSinceFailure = false;
            e.failed();
        } finally {
            lock.unlock();
        }
        return new StorageUnavailableException(reason, what + " failed: " + detail, cause);
    }

    /** A call succeeded: PostgreSQL answers (ends an outage at once rather than at the next probe). */
    public void succeeded() {
        if (probeRunning) {
            answeredDuringProbe = true;
        }
        if (unreachable != null) {
            lock.lock();
            try {
                if (unreachable != null) {
                    recovered();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** A read-write transaction of the pool committed: its writes may work again. */
    public void writeSucceeded(String pool) {
        if (!writesFailing) {
            return;
        }
        lock.lock();
        try {
            Episode e = failingWrites.get(pool);
            if (e != null) {
                e.succeededSinceFailure = true;
                endFailingWritesIfSettled();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Ends the failing writes of pools where a write succeeded and none failed for {@code writeSettle}. */
    private void endFailingWritesIfSettled() {
        if (failingWrites.isEmpty()) {
            return;
        }
        long now = clock.millis();
        Episode ended = null;
        for (Iterator<Episode> it = failingWrites.values().iterator(); it.hasNext();) {
            Episode w = it.next();
            if (w.succeededSinceFailure && now - w.lastFailure >= writeSettle.toMillis()) {
                it.remove();
                ended = w;
            }
        }
        if (ended != null && failingWrites.isEmpty()) {
            LOG.log(Level.INFO, "PostgreSQL {0} takes writes again after {1} s; {2} write(s) failed meanwhile", where,
                    ended.seconds(clock), String.valueOf(ended.total()));
        }
        // after the line: whoever sees readiness UP finds the line in the log
        writesFailing = !failingWrites.isEmpty();
    }

    /** The outage going on, if any, for the readiness probe. */
    public StorageStatus status() {
        Episode e = unreachable;
        if (e != null) {
            return StorageStatus.failing(Reason.UNREACHABLE, e.detail, e.since);
        }
        if (writesFailing) {
            lock.lock();
            try {
                if (!failingWrites.isEmpty()) {
                    Episode w = failingWrites.values().iterator().next();
                    return StorageStatus.failing(w.reason, w.detail, w.since);
                }
            } finally {
                lock.unlock();
            }
        }
        return StorageStatus.HEALTHY;
    }

    // ------------------------------------------------------------------ the monitor

    private void monitor() {
        while (!closed) {
            String hang = null;
            boolean probing;
            lock.lock();
            try {
                if (!suspect && unreachable == null) {
                    hang = hangingCall();
                }
                probing = suspect || unreachable != null || hang != null;
            } finally {
                lock.unlock();
            }
            if (probing) {
                lastProbe = System.nanoTime();
                answeredDuringProbe = false;
                probeRunning = true;
                String failure = runProbe();
                lock.lock();
                try {
                    probeRunning = false;
                    // a call got its answer meanwhile (the probe waited on a connection made before the network
                    // came back): PostgreSQL answers, whatever the probe says
                    afterProbe(answeredDuringProbe ? null : failure, hang);
                } finally {
                    lock.unlock();
                }
            }
            lock.lock();
            try {
                endFailingWritesIfSettled();
                summarise();
                // a suspicion ends the wait early, but probes stay an interval apart: failing calls must not
                // turn into a stream of connection attempts
                long deadline = System.nanoTime() + checkInterval.toNanos();
                while (!closed) {
                    long left = (suspect ? lastProbe + checkInterval.toNanos() : deadline) - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wake.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A call that has waited longer than {@code hangAfter} and was not probed for yet, described; or null. */
    private String hangingCall() {
        long now = System.nanoTime();
        for (ConnectionPool pool : pools) {
            ConnectionPool.Call call = pool.oldestCall();
            if (call != null && call != hangProbed && now - call.since() > hangAfter.toNanos()) {
                hangProbed = call;
                return "a call of the " + pool.name() + " pool has waited " + TimeUnit.NANOSECONDS.toMillis(now - call.since())
                        + " ms for PostgreSQL";
            }
        }
        return null;
    }

    /**
     * Runs the probe with a deadline of its own: a login on a silent server can wait for several of the
     * driver's timeouts in a row (TLS negotiation, then the startup), and the verdict must not.
     *
     * @return null when PostgreSQL answered, else why not
     */
    private String runProbe() {
        CompletableFuture<String> verdict = new CompletableFuture<>();
        Thread.ofVirtual().name("postgres-probe").start(() -> {
            try {
                probe.run();
                verdict.complete(null);
            } catch (SQLException e) {
                // an error of the server's own (too many connections, a login problem) is an answer: no outage
                verdict.complete(ConnectionPool.isConnectionFailure(e) ? Database.describe(e) : null);
            } catch (RuntimeException e) {
                verdict.complete(String.valueOf(e.getMessage()));
            }
        });
        try {
            return verdict.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the probe's thread ends with the driver's own timeouts
            return "no answer to a new connection within " + probeTimeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private void afterProbe(String failure, String hang) {
        Episode e = unreachable;
        if (failure == null) {
            if (e != null) {
                recovered();
            } else if (suspect) {
                LOG.log(Level.DEBUG, "{0} call(s) failed at the connection level ({1}), but PostgreSQL answers",
                        suspectFailures, suspectDetail);
            } else if (hang != null) {
                LOG.log(Level.DEBUG, "{0}, but PostgreSQL answers", hang);
            }
            suspect = false;
            return;
        }
        if (e == null) {
            String why = hang != null ? hang + ", and a new connection failed: " + failure : failure;
            LOG.log(Level.WARNING, "PostgreSQL {0} does not answer: {1}. Requests that need it are answered with "
                    + "retriable errors (Kafka clients retry them) until it is back; a summary follows every {2}",
                    where, why, human(summaryInterval));
            pools.forEach(ConnectionPool::validateIdleConnections);
            unreachable = new Episode(Reason.UNREACHABLE, why, clock.millis(), suspectFailures);
            suspect = false;
            suspectFailures = 0;
        } else {
            e.detail = failure;
        }
    }

    private void recovered() {
        Episode e = unreachable;
        LOG.log(Level.INFO, "PostgreSQL {0} answers again after {1} s; {2} call(s) failed during the outage", where,
                e.seconds(clock), String.valueOf(e.total()));
        pools.forEach(ConnectionPool::validateIdleConnections);
        // after the line: whoever sees readiness UP finds the line in the log
        unreachable = null;
        suspect = false;
    }

    private void summarise() {
        long now = clock.millis();
        Episode e = unreachable;
        if (e != null && now - e.lastSummary >= summaryInterval.toMillis()) {
            LOG.log(Level.WARNING, "PostgreSQL {0} still does not answer after {1} s: {2} call(s) failed in the last "
                    + "{3}; last error: {4}", where, e.seconds(clock), String.valueOf(e.takeSinceSummary(now)),
                    human(summaryInterval), e.detail);
        }
        for (Map.Entry<String, Episode> w : failingWrites.entrySet()) {
            Episode f = w.getValue();
            if (now - f.lastSummary >= summaryInterval.toMillis()) {
                LOG.log(Level.WARNING, "PostgreSQL {0} still refuses writes ({1}) after {2} s: {3} write(s) of the {4} pool "
                        + "failed in the last {5}; last error: {6}", where, f.reason.text(), f.seconds(clock),
                        String.valueOf(f.takeSinceSummary(now)), w.getKey(), human(summaryInterval), f.detail);
            }
        }
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** Stops the monitor; nothing is logged after. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = monitor;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One outage: since when, why, and how many calls it failed. */
    private static final class Episode {
        final Reason reason;
        final long since;
        volatile String detail;
        long lastSummary;
        /** For failing writes: when a write last failed (clock millis), and whether one succeeded since. */
        long lastFailure;
        boolean succeededSinceFailure;
        // counted from any thread without the lock
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong sinceSummary = new AtomicLong();

        Episode(Reason reason, String detail, long since, long failedBefore) {
            this.reason = reason;
            this.detail = detail;
            this.since = since;
            this.lastSummary = since;
            this.lastFailure = since;
            total.set(failedBefore);
            sinceSummary.set(failedBefore);
        }

        void failed() {
            total.incrementAndGet();
            sinceSummary.incrementAndGet();
        }

        long total() {
            return total.get();
        }

        long takeSinceSummary(long now) {
            lastSummary = now;
            return sinceSummary.getAndSet(0);
        }

        /** How long it has lasted, in seconds with one decimal. */
        String seconds(Clock clock) {
            return String.format(java.util.Locale.ROOT, "%.1f", Math.max(0, clock.millis() - since) / 1000.0);
        }
    }
}
