package dev.pgkafka.adapter.kafka.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;

/** Connection limits for tests: pgkafka's defaults, with what a test sets on top. */
final class ConnectionLimitsBuilder {
    private long queuedMaxRequestBytes = 64L * 1024 * 1024;
    private int maxConnections = Integer.MAX_VALUE;
    private final Map<String, Integer> perListener = new HashMap<>();
    private int perIp = Integer.MAX_VALUE;
    private final Map<InetAddress, Integer> perIpOverrides = new HashMap<>();
    private long idleMs = ConnectionLimits.DEFAULT_IDLE_MS;
    private long readTimeoutMs = ConnectionLimits.DEFAULT_REQUEST_READ_TIMEOUT_MS;
    private long writeTimeoutMs = ConnectionLimits.DEFAULT_RESPONSE_WRITE_TIMEOUT_MS;
    private long authenticationTimeoutMs = ConnectionLimits.DEFAULT_AUTHENTICATION_TIMEOUT_MS;

    ConnectionLimitsBuilder maxConnections(int max) {
        maxConnections = max;
        return this;
    }

    ConnectionLimitsBuilder maxConnections(String listener, int max) {
        perListener.put(listener, max);
        return this;
    }

    ConnectionLimitsBuilder maxConnectionsPerIp(int max) {
        perIp = max;
        return this;
    }

    ConnectionLimitsBuilder maxConnectionsPerIp(InetAddress address, int max) {
        perIpOverrides.put(address, max);
        return this;
    }

    ConnectionLimitsBuilder idleMs(long ms) {
        idleMs = ms;
        return this;
    }

    ConnectionLimitsBuilder readTimeoutMs(long ms) {
        readTimeoutMs = ms;
        return this;
    }

    ConnectionLimitsBuilder writeTimeoutMs(long ms) {
        writeTimeoutMs = ms;
        return this;
    }

    ConnectionLimitsBuilder authenticationTimeoutMs(long ms) {
        authenticationTimeoutMs = ms;
        return this;
    }

    ConnectionLimits build() {
        return new ConnectionLimits(queuedMaxRequestBytes, maxConnections, perListener, perIp, perIpOverrides, idleMs,
                readTimeoutMs, writeTimeoutMs, authenticationTimeoutMs);
    }
}
