package dev.pgkafka.adapter.postgres.jdbc;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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
 * <p><b>Unreachable.</b> A call that fails at the connection level (refused, reset, timed out, the
 * server shutting down) makes PostgreSQL a suspect: idle pooled connections are validated before their
 * next use, and a probe (a fresh connection and {@code SELECT 1}) decides at once. When the probe
 * succeeds, one connection had died (a terminated backend) and nothing is reported. When it fails, the
 * outage starts: every call fails at once with {@link StorageUnavailableException} (no call waits for a
 * connect or socket timeout, no pool fills with hanging connections), and the probe runs every
 * {@code probeInterval} until PostgreSQL answers; the first call to succeed ends it too.
 *
 * <p><b>Writes fail.</b> Out of disk space ({@code 53100}) or read-only ({@code 25006}, a standby after a
 * failover) fail writes only, so calls go on and reads succeed; the condition is kept per pool and ends
 * when a read-write transaction of that pool commits (a write elsewhere, e.g. into a small table with free
 * pages, says nothing about the records table). No write is attempted just to find out.
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
    private final Duration probeInterval;
    private final Duration summaryInterval;
    private final List<ConnectionPool> pools = new CopyOnWriteArrayList<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // written under the lock; volatile so that every call can look without it
    private volatile Episode unreachable;
    private volatile boolean suspect;
    private int suspectFailures;
    private String lastSuspectDetail;
    private final Map<String, Episode> failingWrites = new LinkedHashMap<>();
    private volatile boolean writesFailing;
    private Thread watcher;
    private volatile boolean closed;

    /**
     * @param where           host, port and database (never the password), for log lines
     * @param probe           the round trip that decides whether PostgreSQL answers
     * @param probeInterval   how often the probe runs during an outage
     * @param summaryInterval how often an ongoing outage is summarised in the log
     */
    public Availability(String where, Probe probe, Clock clock, Duration probeInterval, Duration summaryInterval) {
        this.where = where;
        this.probe = probe;
        this.clock = clock;
        this.probeInterval = probeInterval;
        this.summaryInterval = summaryInterval;
    }

    /** With a probe every 500 ms and a summary every minute. */
    public Availability(String where, Probe probe) {
        this(where, probe, Clock.systemUTC(), Duration.ofMillis(500), Duration.ofMinutes(1));
    }

    /** A tracker whose probe always answers, so it never declares an outage (a pool used on its own, in tests). */
    public static Availability untracked() {
        return new Availability("PostgreSQL", () -> { });
    }

    /** Pools whose idle connections are validated when a connection failed. */
    public void watch(ConnectionPool pool) {
        pools.add(pool);
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
            throw new StorageUnavailableException(Reason.UNREACHABLE, what + " failed: PostgreSQL does not answer (since "
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
                    // the server may have restarted or killed its backends: the idle ones are dead too
                    pools.forEach(ConnectionPool::validateIdleConnections);
                }
                suspectFailures++;
                lastSuspectDetail = detail;
                startWatcher();
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
                            + "follows every {3} s", where, reason.text(), detail, summaryInterval.toSeconds());
                }
                startWatcher();
            }
            e.detail = detail;
            e.failed();
        } finally {
            lock.unlock();
        }
        return new StorageUnavailableException(reason, what + " failed: " + detail, cause);
    }

    /** A call succeeded: PostgreSQL answers (ends an outage at once rather than at the next probe). */
    public void succeeded() {
        if (unreachable != null || suspect) {
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

    /** A read-write transaction of the pool committed: its writes work again. */
    public void writeSucceeded(String pool) {
        if (!writesFailing) {
            return;
        }
        lock.lock();
        try {
            Episode e = failingWrites.remove(pool);
            if (e == null) {
                return;
            }
            writesFailing = !failingWrites.isEmpty();
            if (!writesFailing) {
                LOG.log(Level.INFO, "PostgreSQL {0} takes writes again after {1} s; {2} write(s) failed meanwhile", where,
                        e.seconds(clock), e.total());
            }
        } finally {
            lock.unlock();
        }
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

    // ------------------------------------------------------------------ the watcher

    private void startWatcher() {
        if (watcher == null && !closed) {
            watcher = Thread.ofVirtual().name("postgres-availability").start(this::watch);
        } else {
            wake.signalAll();
        }
    }

    private void watch() {
        while (!closed) {
            boolean probing = suspect || unreachable != null;
            if (probing) {
                String failure = runProbe();
                lock.lock();
                try {
                    afterProbe(failure);
                } finally {
                    lock.unlock();
                }
            }
            lock.lock();
            try {
                summarise();
                if (!suspect && unreachable == null && failingWrites.isEmpty()) {
                    watcher = null;
                    return;
                }
                // while suspect only: probe again at once if the last probe answered but calls still fail
                wake.await(probeInterval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                watcher = null;
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    /** @return null when PostgreSQL answered, else why not */
    private String runProbe() {
        try {
            probe.run();
            return null;
        } catch (SQLException e) {
            if (!ConnectionPool.isConnectionFailure(e)) {
                // it answered, with an error of its own (too many connections, a login problem): not an outage
                return null;
            }
            return Database.describe(e);
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private void afterProbe(String failure) {
        Episode e = unreachable;
        if (failure == null) {
            if (e != null) {
                recovered();
            } else if (suspect) {
                LOG.log(Level.DEBUG, "{0} call(s) failed at the connection level ({1}), but PostgreSQL answers",
                        suspectFailures, lastSuspectDetail);
            }
            suspect = false;
            return;
        }
        if (e == null) {
            unreachable = new Episode(Reason.UNREACHABLE, failure, clock.millis(), suspectFailures);
            suspect = false;
            LOG.log(Level.WARNING, "PostgreSQL {0} does not answer: {1}. Requests that need it are answered with "
                    + "retriable errors (Kafka clients retry them) until it is back; a summary follows every {2} s",
                    where, failure, summaryInterval.toSeconds());
        } else {
            e.detail = failure;
        }
    }

    private void recovered() {
        Episode e = unreachable;
        unreachable = null;
        suspect = false;
        pools.forEach(ConnectionPool::validateIdleConnections);
        LOG.log(Level.INFO, "PostgreSQL {0} answers again after {1} s; {2} call(s) failed during the outage", where,
                e.seconds(clock), e.total());
    }

    private void summarise() {
        long now = clock.millis();
        Episode e = unreachable;
        if (e != null && now - e.lastSummary >= summaryInterval.toMillis()) {
            LOG.log(Level.WARNING, "PostgreSQL {0} still does not answer after {1} s: {2} call(s) failed in the last "
                    + "{3} s; last error: {4}", where, e.seconds(clock), e.takeSinceSummary(now), summaryInterval.toSeconds(),
                    e.detail);
        }
        for (Map.Entry<String, Episode> w : failingWrites.entrySet()) {
            Episode f = w.getValue();
            if (now - f.lastSummary >= summaryInterval.toMillis()) {
                LOG.log(Level.WARNING, "PostgreSQL {0} still refuses writes ({1}) after {2} s: {3} write(s) of the {4} pool "
                        + "failed in the last {5} s; last error: {6}", where, f.reason.text(), f.seconds(clock),
                        f.takeSinceSummary(now), w.getKey(), summaryInterval.toSeconds(), f.detail);
            }
        }
    }

    /** Stops the watcher; nothing is logged after. */
    @Override
    public void close() {
        Thread t;
        lock.lock();
        try {
            closed = true;
            t = watcher;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** One outage: since when, why, and how many calls it failed. */
    private static final class Episode {
        final Reason reason;
        final long since;
        volatile String detail;
        long lastSummary;
        // counted from any thread without the lock
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong sinceSummary = new AtomicLong();

        Episode(Reason reason, String detail, long since, long failedBefore) {
            this.reason = reason;
            this.detail = detail;
            this.since = since;
            this.lastSummary = since;
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

        long seconds(Clock clock) {
            return Math.max(0, (clock.millis() - since) / 1000);
        }
    }
}
