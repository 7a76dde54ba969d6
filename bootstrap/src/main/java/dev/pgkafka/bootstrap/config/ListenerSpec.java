package dev.pgkafka.bootstrap.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Kafka listener as {@code listeners}, {@code advertised.listeners} and
 * {@code listener.security.protocol.map} describe it.
 *
 * @param name           the listener name, upper case as Kafka normalises it (PLAINTEXT, SASL_SSL, INTERNAL, ...)
 * @param protocol       PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
 * @param bindHost       address to bind; empty means every interface
 * @param port           port to bind; 0 picks a free one
 * @param advertisedHost what Metadata tells clients
 * @param advertisedPort what Metadata tells clients; 0 means the bound port
 */
public record ListenerSpec(String name, String protocol, String bindHost, int port, String advertisedHost,
                           int advertisedPort) {

    public static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final String DEFAULT_PROTOCOL_MAP =
            "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL";
    /** Kafka's listener syntax: NAME://host:port, the host optionally in brackets (IPv6). */
    private static final Pattern LISTENER = Pattern.compile("^([^:/]+)://\\[?([0-9a-zA-Z\\-%._:]*?)\\]?:(-?[0-9]+)$");

    public boolean usesTls() {
        return protocol.endsWith("SSL");
    }

    public boolean usesSasl() {
        return protocol.startsWith("SASL_");
    }

    /** Whether the bind address is reachable from other machines (not loopback). */
    public boolean bindsBeyondLoopback() {
        String h = bindHost.toLowerCase(Locale.ROOT);
        return !(h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1"));
    }

    /**
     * The listeners configured by {@code listeners} (and friends), or, when it is not set, one
     * PLAINTEXT listener on {@code defaultHost:defaultPort}.
     *
     * @param defaultAdvertisedHost the host to advertise when none is configured (null: the bind
     *                              host, or localhost for a wildcard)
     */
    public static List<ListenerSpec> parse(ServerProperties props, String defaultHost, int defaultPort,
                                           String defaultAdvertisedHost) {
        Set<String> controllerNames = new HashSet<>();
        for (String n : ServerProperties.list(props.get(ConfigKeys.CONTROLLER_LISTENER_NAMES).orElse(null))) {
            controllerNames.add(n.toUpperCase(Locale.ROOT));
        }
        Map<String, String[]> bound = new LinkedHashMap<>();
        String listenersValue = props.get(ConfigKeys.LISTENERS).orElse("PLAINTEXT://" + hostForUrl(defaultHost) + ":"
                + defaultPort);
        for (String entry : ServerProperties.list(listenersValue)) {
            String[] parsed = endpoint(ConfigKeys.LISTENERS, listenersValue, entry);
            if (controllerNames.contains(parsed[0])) {
                continue; // a KRaft controller's listener: pgkafka runs no controller
            }
            if (bound.put(parsed[0], parsed) != null) {
                throw ConfigException.invalid(ConfigKeys.LISTENERS, listenersValue,
                        "Each listener must have a different name, " + parsed[0] + " appears more than once");
            }
        }
        if (bound.isEmpty()) {
            throw ConfigException.invalid(ConfigKeys.LISTENERS, listenersValue, "no listener for clients is configured");
        }
        Set<Integer> ports = new HashSet<>();
        for (String[] l : bound.values()) {
            int port = Integer.parseInt(l[2]);
            if (port != 0 && !ports.add(port)) {
                throw ConfigException.invalid(ConfigKeys.LISTENERS, listenersValue,
                        "Each listener must have a different port, " + port + " appears more than once");
            }
        }

        Map<String, String> protocols = protocolMap(props);
        Map<String, String[]> advertised = new LinkedHashMap<>();
        Optional<String> advertisedValue = props.get(ConfigKeys.ADVERTISED_LISTENERS);
        if (advertisedValue.isPresent()) {
            for (String entry : ServerProperties.list(advertisedValue.get())) {
                String[] parsed = endpoint(ConfigKeys.ADVERTISED_LISTENERS, advertisedValue.get(), entry);
                if (controllerNames.contains(parsed[0])) {
                    continue;
                }
                if (!bound.containsKey(parsed[0])) {
                    throw ConfigException.invalid(ConfigKeys.ADVERTISED_LISTENERS, advertisedValue.get(),
                            "listener " + parsed[0] + " is advertised but not in listeners");
                }
                if (parsed[1].equals("0.0.0.0") || parsed[1].equals("::")) {
                    throw ConfigException.invalid(ConfigKeys.ADVERTISED_LISTENERS, advertisedValue.get(),
                            "advertised.listeners cannot use the nonroutable meta-address " + parsed[1]
                                    + ". Use a routable IP address.");
                }
                advertised.put(parsed[0], parsed);
            }
        }

        List<ListenerSpec> specs = new ArrayList<>();
        for (String[] l : bound.values()) {
            String name = l[0];
            String protocol = protocols.get(name);
            if (protocol == null) {
                throw ConfigException.invalid(ConfigKeys.LISTENER_SECURITY_PROTOCOL_MAP,
                        props.get(ConfigKeys.LISTENER_SECURITY_PROTOCOL_MAP).orElse(DEFAULT_PROTOCOL_MAP),
                        "No security protocol defined for listener " + name);
            }
            String host = l[1];
            int port = Integer.parseInt(l[2]);
            String[] adv = advertised.get(name);
            String advHost;
            int advPort;
            if (adv != null) {
                advHost = adv[1].isEmpty() ? fallbackAdvertisedHost(host, defaultAdvertisedHost) : adv[1];
                advPort = Integer.parseInt(adv[2]);
            } else {
                advHost = fallbackAdvertisedHost(host, defaultAdvertisedHost);
                advPort = 0;
            }
            specs.add(new ListenerSpec(name, protocol, host, port, advHost, advPort));
        }
        return specs;
    }

    private static String fallbackAdvertisedHost(String bindHost, String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        return isWildcard(bindHost) ? "localhost" : bindHost;
    }

    static boolean isWildcard(String host) {
        return host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    /** {name, host, port} of one NAME://host:port entry. */
    private static String[] endpoint(String key, String whole, String entry) {
        Matcher m = LISTENER.matcher(entry.trim());
        if (!m.matches()) {
            throw ConfigException.invalid(key, whole, "Unable to parse " + entry + " to a broker endpoint");
        }
        String name = m.group(1).toUpperCase(Locale.ROOT);
        int port;
        try {
            port = Integer.parseInt(m.group(3));
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(key, whole, "Unable to parse " + entry + " to a broker endpoint");
        }
        if (port < 0 || port > 65535) {
            throw ConfigException.invalid(key, whole, "port " + port + " of " + name + " is not between 0 and 65535");
        }
        return new String[] {name, m.group(2), String.valueOf(port)};
    }

    private static Map<String, String> protocolMap(ServerProperties props) {
        String raw = props.get(ConfigKeys.LISTENER_SECURITY_PROTOCOL_MAP).orElse(DEFAULT_PROTOCOL_MAP);
        Map<String, String> map = new LinkedHashMap<>();
        for (String entry : ServerProperties.list(raw)) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw ConfigException.invalid(ConfigKeys.LISTENER_SECURITY_PROTOCOL_MAP, raw,
                        "entry '" + entry + "' is not of the form NAME:PROTOCOL");
            }
            String name = entry.substring(0, colon).trim().toUpperCase(Locale.ROOT);
            String protocol = entry.substring(colon + 1).trim().toUpperCase(Locale.ROOT);
            if (!PROTOCOLS.contains(protocol)) {
                throw ConfigException.invalid(ConfigKeys.LISTENER_SECURITY_PROTOCOL_MAP, raw,
                        "unknown security protocol " + protocol + " (one of " + String.join(", ", PROTOCOLS) + ")");
            }
            map.put(name, protocol);
        }
        return map;
    }
}
