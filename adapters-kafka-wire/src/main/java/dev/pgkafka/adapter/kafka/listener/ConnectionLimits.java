package dev.pgkafka.adapter.kafka.listener;

import java.net.InetAddress;
import java.util.Map;

/**
 * What bounds the broker's client connections, across all its listeners: the memory their requests
 * may hold, how many there may be, and how long they may stay silent or half-way through a frame.
 * docs/adr/0015-bounded-connections.md explains the choices.
 *
 * @param queuedMaxRequestBytes        Kafka's {@code queued.max.request.bytes}: bytes of requests read but not
 *                                     yet answered, over all connections; readers wait when it is spent;
 *                                     {@link #UNBOUNDED} for no bound
 * @param maxConnections               Kafka's {@code max.connections}: at this many open connections the listeners
 *                                     stop accepting until one closes
 * @param maxConnectionsPerListener    {@code listener.name.<listener>.max.connections}, by listener name (upper
 *                                     case): the same, for one listener
 * @param maxConnectionsPerIp          Kafka's {@code max.connections.per.ip}: a connection from an address that
 *                                     already has this many is closed at once
 * @param maxConnectionsPerIpOverrides Kafka's {@code max.connections.per.ip.overrides}: other limits for some
 *                                     addresses
 * @param idleMs                       Kafka's {@code connections.max.idle.ms}: a connection with no request this
 *                                     long is closed; negative for never
 * @param requestReadTimeoutMs         {@code pgkafka.request.read.timeout.ms}: a frame must arrive completely
 *                                     within this time of its first byte (time spent waiting for the budget does
 *                                     not count)
 * @param responseWriteTimeoutMs       {@code pgkafka.response.write.timeout.ms}: an answer the client does not
 *                                     take within this time closes the connection
 * @param authenticationTimeoutMs      {@code pgkafka.authentication.timeout.ms}: a connection on a SASL listener
 *                                     that has not logged in this long after it was accepted is closed
 */
public record ConnectionLimits(long queuedMaxRequestBytes, int maxConnections,
                               Map<String, Integer> maxConnectionsPerListener, int maxConnectionsPerIp,
                               Map<InetAddress, Integer> maxConnectionsPerIpOverrides, long idleMs,
                               long requestReadTimeoutMs, long responseWriteTimeoutMs, long authenticationTimeoutMs) {
    public static final long UNBOUNDED = -1;
    /** Kafka's {@code connections.max.idle.ms}. */
    public static final long DEFAULT_IDLE_MS = 600_000;
    /** The Java clients' {@code request.timeout.ms}: after it a client has given up on the request anyway. */
    public static final long DEFAULT_REQUEST_READ_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_RESPONSE_WRITE_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_AUTHENTICATION_TIMEOUT_MS = 30_000;
    /** The default budget never exceeds this, however large the heap. */
    static final long MAX_DEFAULT_REQUEST_BYTES = 1L << 30;

    public ConnectionLimits {
        maxConnectionsPerListener = Map.copyOf(maxConnectionsPerListener);
        maxConnectionsPerIpOverrides = Map.copyOf(maxConnectionsPerIpOverrides);
        if (queuedMaxRequestBytes <= 0 && queuedMaxRequestBytes != UNBOUNDED) {
            throw new IllegalArgumentException("queued.max.request.bytes must be positive or -1, not "
                    + queuedMaxRequestBytes);
        }
        if (requestReadTimeoutMs <= 0 || responseWriteTimeoutMs <= 0 || authenticationTimeoutMs <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** pgkafka's defaults: Kafka's, except for the request budget, which Kafka leaves unbounded. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(defaultRequestBytes(Runtime.getRuntime().maxMemory()), Integer.MAX_VALUE, Map.of(),
                Integer.MAX_VALUE, Map.of(), DEFAULT_IDLE_MS, DEFAULT_REQUEST_READ_TIMEOUT_MS,
                DEFAULT_RESPONSE_WRITE_TIMEOUT_MS, DEFAULT_AUTHENTICATION_TIMEOUT_MS);
    }

    /**
     * The request budget when none is configured: a quarter of the heap, at most 1 GiB. Requests
     * then leave three quarters of the heap to answers, caches and everything else, even when one
     * frame overdraws the budget (ADR 15).
     */
    public static long defaultRequestBytes(long maxHeapBytes) {
        return Math.max(1, Math.min(maxHeapBytes / 4, MAX_DEFAULT_REQUEST_BYTES));
    }

    /** These limits with another request budget. */
    public ConnectionLimits withQueuedMaxRequestBytes(long bytes) {
        return new ConnectionLimits(bytes, maxConnections, maxConnectionsPerListener, maxConnectionsPerIp,
                maxConnectionsPerIpOverrides, idleMs, requestReadTimeoutMs, responseWriteTimeoutMs,
                authenticationTimeoutMs);
    }

    /** A listener's own connection limit (the broker-wide one applies as well). */
    public int maxConnections(String listener) {
        return maxConnectionsPerListener.getOrDefault(listener, Integer.MAX_VALUE);
    }

    /** The connection limit of one client address. */
    public int maxConnectionsPerIp(InetAddress address) {
        return maxConnectionsPerIpOverrides.getOrDefault(address, maxConnectionsPerIp);
    }
}
