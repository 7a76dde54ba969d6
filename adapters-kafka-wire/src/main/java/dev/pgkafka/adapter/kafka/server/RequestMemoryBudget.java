package dev.pgkafka.adapter.kafka.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The broker-wide memory budget for requests read but not yet answered (Kafka's
 * {@code queued.max.request.bytes}), shared by every connection of every listener.
 *
 * <p>A frame's buffer takes bytes from the budget as it grows with the bytes that arrive
 * ({@link FrameReader}), and gives them back when its request has been answered or its connection
 * closed. When the budget is spent, readers wait here, first come first served, while the
 * connections' processors answer requests and so free bytes: backpressure, not an
 * OutOfMemoryError.
 *
 * <p>Frames that grew past their first buffer (large Produce requests, or a client that announced a
 * large frame and sends it slowly) may use only seven eighths of the budget. The last eighth is kept
 * for first buffers, which hold whole small requests (Metadata, Fetch, heartbeats, commits), so bulk
 * writers cannot starve the requests that keep consumers, groups and admin clients alive. Each kind
 * of reservation waits in its own order.
 *
 * <p>A frame in progress keeps what it holds while it waits for more, so half-read frames could wait
 * for each other forever. To rule that out one frame at a time may overdraw the budget: when the
 * first waiting frame that already holds bytes cannot be served, it gets what it asks for anyway,
 * and keeps that right until it is released. Requests thus hold at most the budget plus one
 * frame, the bound of Kafka's pool (which lets an allocation through whenever it is not exhausted),
 * and a single request larger than the whole budget is still served, one at a time.
 */
final class RequestMemoryBudget {
    private final long capacity;
    /** Bytes that only frames taking their first buffer may use. */
    private final long keptForFirstBuffers;
    private final ReentrantLock lock = new ReentrantLock();
    /** Frames waiting for bytes, in arrival order. Guarded by {@link #lock}, as everything below. */
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private long available;
    /** The one frame that may take bytes the budget does not have, or null. */
    private Reservation overdrawing;

    /** @param capacity bytes; {@link Long#MAX_VALUE} for no bound */
    RequestMemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.keptForFirstBuffers = capacity / 8;
        this.available = capacity;
    }

    /** A budget from {@code queued.max.request.bytes}: -1 means no bound, as in Kafka. */
    static RequestMemoryBudget of(long queuedMaxRequestBytes) {
        return new RequestMemoryBudget(queuedMaxRequestBytes < 0 ? Long.MAX_VALUE : queuedMaxRequestBytes);
    }

    /** The reservations of one connection, all given back when it closes. */
    Account open() {
        return new Account();
    }

    long capacity() {
        return capacity;
    }

    /** Bytes held by frames now (more than the capacity while a frame overdraws). */
    long used() {
        lock.lock();
        try {
            return capacity - available;
        } finally {
            lock.unlock();
        }
    }

    /** Frames waiting for bytes now. */
    int waiting() {
        lock.lock();
        try {
            return waiters.size();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes a reservation may take now: growing frames leave the first buffers' share alone. */
    private long room(Reservation r) {
        return r.held > 0 ? available - keptForFirstBuffers : available;
    }

    /**
     * Serves waiters in order while the budget has their bytes, each kind of reservation (first
     * buffers, growing frames) in its own order; then lets one growing frame overdraw if none does.
     */
    private void serveWaiters() {
        Waiter firstBlockedGrowth = null;
        boolean firstBuffersBlocked = false;
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            boolean growing = w.reservation.held > 0;
            if (growing ? firstBlockedGrowth != null : firstBuffersBlocked) {
                continue; // no one passes an earlier waiter of its kind
            }
            if (w.bytes <= room(w.reservation)) {
                it.remove();
                w.grant();
            } else if (growing) {
                firstBlockedGrowth = w;
            } else {
                firstBuffersBlocked = true;
            }
        }
        if (firstBlockedGrowth != null && overdrawing == null) {
            // frames that hold bytes while they wait might wait for each other forever: the first of
            // them goes ahead (a frame that holds nothing yet can block no one)
            waiters.remove(firstBlockedGrowth);
            overdrawing = firstBlockedGrowth.reservation;
            firstBlockedGrowth.grant();
        }
    }

    /** One connection's reservations; closing it releases them all and refuses new ones. */
    final class Account implements AutoCloseable {
        private final Set<Reservation> live = new HashSet<>();
        private boolean closed;

        /** An empty reservation for one frame; already released when the account is closed. */
        Reservation reserve() {
            lock.lock();
            try {
                Reservation r = new Reservation(this);
                if (closed) {
                    r.released = true;
                } else {
                    live.add(r);
                }
                return r;
            } finally {
                lock.unlock();
            }
        }

        /** Bytes this connection's frames hold now. */
        long held() {
            lock.lock();
            try {
                return live.stream().mapToLong(r -> r.held).sum();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void close() {
            lock.lock();
            try {
                closed = true;
                for (Reservation r : new ArrayList<>(live)) {
                    r.releaseLocked();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** The bytes of one frame: grown as its bytes arrive, released once when it is answered or dropped. */
    final class Reservation {
        private final Account account;
        private long held;
        private boolean released;
        private Waiter waiter;

        private Reservation(Account account) {
            this.account = account;
        }

        /**
         * Grows what this frame holds to {@code total} bytes, waiting (first come, first served)
         * while the budget lacks them.
         *
         * @return false when the reservation was released meanwhile (its connection closed)
         */
        boolean growTo(long total) throws InterruptedException {
            lock.lock();
            try {
                if (released) {
                    return false;
                }
                long more = total - held;
                if (more <= 0) {
                    return true;
                }
                if (this == overdrawing || waiters.isEmpty() && more <= room(this)) {
                    take(more);
                    return true;
                }
                Waiter w = new Waiter(this, more, lock.newCondition());
                waiter = w;
                waiters.addLast(w);
                try {
                    serveWaiters();
                    while (!w.granted && !released) {
                        w.wakeUp.await();
                    }
                } catch (InterruptedException e) {
                    if (!w.granted && waiters.remove(w)) {
                        serveWaiters(); // the next one may be servable now
                    }
                    throw e;
                } finally {
                    waiter = null;
                }
                return w.granted && !released;
            } finally {
                lock.unlock();
            }
        }

        /** Gives back what this frame holds beyond {@code total} bytes (its old buffer after a copy). */
        void shrinkTo(long total) {
            lock.lock();
            try {
                if (!released && total < held) {
                    available += held - total;
                    held = total;
                    serveWaiters();
                }
            } finally {
                lock.unlock();
            }
        }

        /** Gives everything back; a second call does nothing. */
        void release() {
            lock.lock();
            try {
                releaseLocked();
            } finally {
                lock.unlock();
            }
        }

        long held() {
            lock.lock();
            try {
                return held;
            } finally {
                lock.unlock();
            }
        }

        private void releaseLocked() {
            if (released) {
                return;
            }
            released = true;
            account.live.remove(this);
            available += held;
            held = 0;
            if (overdrawing == this) {
                overdrawing = null;
            }
            if (waiter != null) {
                waiters.remove(waiter);
                waiter.wakeUp.signal();
            }
            serveWaiters();
        }

        private void take(long bytes) {
            available -= bytes;
            held += bytes;
        }
    }

    private static final class Waiter {
        final Reservation reservation;
        final long bytes;
        final Condition wakeUp;
        boolean granted;

        Waiter(Reservation reservation, long bytes, Condition wakeUp) {
            this.reservation = reservation;
            this.bytes = bytes;
            this.wakeUp = wakeUp;
        }

        void grant() {
            reservation.take(bytes);
            granted = true;
            wakeUp.signal();
        }
    }
}
