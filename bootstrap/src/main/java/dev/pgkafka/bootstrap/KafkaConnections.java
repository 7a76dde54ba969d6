package dev.pgkafka.bootstrap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.pgkafka.adapter.kafka.listener.ConnectionLimits;
import dev.pgkafka.bootstrap.config.ConfigException;
import dev.pgkafka.bootstrap.config.ConfigKeys;
import dev.pgkafka.bootstrap.config.ListenerSpec;
import dev.pgkafka.bootstrap.config.ServerProperties;

/**
 * Reads the limits of the Kafka client connections under Kafka's names ({@code queued.max.request.bytes},
 * {@code max.connections}, {@code listener.name.<l>.max.connections}, {@code max.connections.per.ip},
 * its overrides, {@code connections.max.idle.ms}) and ours (the read, write and login timeouts),
 * with Kafka's validation and wording.
 */
final class KafkaConnections {

    private KafkaConnections() {
    }

    /**
     * @param maxHeapBytes the heap the default request budget is a quarter of
     * @throws ConfigException naming the key of a value that cannot be used
     */
    static ConnectionLimits limits(ServerProperties p, List<ListenerSpec> listeners, long maxHeapBytes) {
        long queued = p.longValue(ConfigKeys.QUEUED_MAX_REQUEST_BYTES,
                String.valueOf(ConnectionLimits.defaultRequestBytes(maxHeapBytes)), -1);
        if (queued == 0) {
            throw ConfigException.invalid(ConfigKeys.QUEUED_MAX_REQUEST_BYTES, "0",
                    "must be positive, or -1 for no bound");
        }
        int maxConnections = p.integer(ConfigKeys.MAX_CONNECTIONS, String.valueOf(Integer.MAX_VALUE), 0);
        Map<String, Integer> perListener = new HashMap<>();
        for (ListenerSpec listener : listeners) {
            String key = ServerProperties.listenerPrefix(listener.name()) + ConfigKeys.MAX_CONNECTIONS;
            if (p.contains(key)) {
                perListener.put(listener.name(), p.integer(key, null, 0));
            }
        }
        int perIp = p.integer(ConfigKeys.MAX_CONNECTIONS_PER_IP, String.valueOf(Integer.MAX_VALUE), 0);
        Map<InetAddress, Integer> overrides = perIpOverrides(p.get(ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES, ""));
        if (perIp == 0 && overrides.isEmpty()) {
            throw new ConfigException(ConfigKeys.MAX_CONNECTIONS_PER_IP + " can be set to zero only if "
                    + ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES + " property is set.");
        }
        long idle = p.longValue(ConfigKeys.CONNECTIONS_MAX_IDLE_MS, String.valueOf(ConnectionLimits.DEFAULT_IDLE_MS),
                Long.MIN_VALUE);
        return new ConnectionLimits(queued, maxConnections, perListener, perIp, overrides, idle,
                p.longValue(ConfigKeys.REQUEST_READ_TIMEOUT_MS,
                        String.valueOf(ConnectionLimits.DEFAULT_REQUEST_READ_TIMEOUT_MS), 1),
                p.longValue(ConfigKeys.RESPONSE_WRITE_TIMEOUT_MS,
                        String.valueOf(ConnectionLimits.DEFAULT_RESPONSE_WRITE_TIMEOUT_MS), 1),
                p.longValue(ConfigKeys.AUTHENTICATION_TIMEOUT_MS,
                        String.valueOf(ConnectionLimits.DEFAULT_AUTHENTICATION_TIMEOUT_MS), 1));
    }

    /** Kafka's {@code host:count,ip:count}; names are resolved once, at start, as Kafka does. */
    static Map<InetAddress, Integer> perIpOverrides(String raw) {
        Map<InetAddress, Integer> out = new HashMap<>();
        for (String entry : ServerProperties.list(raw)) {
            int colon = entry.lastIndexOf(':');
            if (colon <= 0 || colon == entry.length() - 1) {
                throw ConfigException.invalid(ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw,
                        "'" + entry + "' is not host:count");
            }
            String host = entry.substring(0, colon).trim();
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int count;
            try {
                count = Integer.parseInt(entry.substring(colon + 1).trim());
            } catch (NumberFormatException e) {
                throw ConfigException.invalid(ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw,
                        "'" + entry + "' does not end with a number of connections");
            }
            if (count < 0) {
                throw ConfigException.invalid(ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw,
                        "'" + entry + "': the number of connections must be at least 0");
            }
            try {
                out.put(InetAddress.getByName(host), count);
            } catch (UnknownHostException e) {
                throw ConfigException.invalid(ConfigKeys.MAX_CONNECTIONS_PER_IP_OVERRIDES, raw,
                        "unknown host '" + host + "'");
            }
        }
        return out;
    }
}
