package dev.pgkafka.adapter.kafka.api.fetch;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The broker's fetch sessions, bounded like Kafka's {@code max.incremental.fetch.session.cache.slots}:
 * when full, the least recently used session is evicted (its consumer gets FETCH_SESSION_ID_NOT_FOUND
 * and simply opens a new one). Sessions idle for longer than the idle limit are dropped as well.
 */
final class FetchSessionCache {
    private final int maxSessions;
    private final long idleLimitNanos;
    private final LinkedHashMap<Integer, FetchSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    FetchSessionCache(int maxSessions, long idleLimitMillis) {
        this.maxSessions = maxSessions;
        this.idleLimitNanos = TimeUnit.MILLISECONDS.toNanos(idleLimitMillis);
    }

    synchronized FetchSession create(boolean byTopicId, LinkedHashMap<PartitionKey, SessionPartition> partitions) {
        expireIdle();
        while (sessions.size() >= maxSessions) {
            Iterator<Map.Entry<Integer, FetchSession>> eldest = sessions.entrySet().iterator();
            eldest.next();
            eldest.remove();
        }
        int id;
        do {
            id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (sessions.containsKey(id));
        FetchSession session = new FetchSession(id, byTopicId, partitions);
        sessions.put(id, session);
        return session;
    }

    synchronized FetchSession get(int id) {
        return sessions.get(id);
    }

    synchronized void remove(int id) {
        sessions.remove(id);
    }

    synchronized int size() {
        return sessions.size();
    }

    private void expireIdle() {
        long now = System.nanoTime();
        sessions.values().removeIf(s -> now - s.lastUsedNanos > idleLimitNanos && !s.lock.isLocked());
    }
}
