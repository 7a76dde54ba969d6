package dev.pgkafka.bootstrap.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The broker's configuration under Kafka's property names, after the layers were merged
 * ({@code --config} file, {@code PGKAFKA_*} variables, flags and {@code --override}s) and config
 * provider references resolved. Typed getters fail with a {@link ConfigException} naming the key.
 * Listener-specific keys are looked up as Kafka does: {@code listener.name.<listener>.<key>} first,
 * then {@code <key>}.
 */
public final class ServerProperties {
    private static final ServerProperties EMPTY = new ServerProperties(Map.of());

    private final Map<String, String> values;

    public ServerProperties(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    public static ServerProperties empty() {
        return EMPTY;
    }

    /** These properties with {@code more} on top. */
    public ServerProperties with(Map<String, String> more) {
        Map<String, String> merged = new TreeMap<>(values);
        merged.putAll(more);
        return new ServerProperties(merged);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String get(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** {@code listener.name.<listener>.<key>}, else {@code <key>}. */
    public Optional<String> forListener(String listener, String key) {
        String prefixed = values.get(listenerPrefix(listener) + key);
        return prefixed != null ? Optional.of(prefixed) : get(key);
    }

    /** The key actually holding a listener's value, for error messages. */
    public String keyForListener(String listener, String key) {
        String prefixed = listenerPrefix(listener) + key;
        return values.containsKey(prefixed) ? prefixed : key;
    }

    /**
     * {@code listener.name.<listener>.<mechanism>.<key>} (Kafka's per-mechanism JAAS and callback
     * settings), else {@code listener.name.<listener>.<key>}, else {@code <key>}.
     */
    public Optional<String> forMechanism(String listener, String mechanism, String key) {
        String prefixed = values.get(listenerPrefix(listener) + mechanism.toLowerCase(Locale.ROOT) + "." + key);
        return prefixed != null ? Optional.of(prefixed) : forListener(listener, key);
    }

    public String keyForMechanism(String listener, String mechanism, String key) {
        String prefixed = listenerPrefix(listener) + mechanism.toLowerCase(Locale.ROOT) + "." + key;
        return values.containsKey(prefixed) ? prefixed : keyForListener(listener, key);
    }

    /** Kafka's prefix for a listener's own settings: the name in lower case. */
    public static String listenerPrefix(String listener) {
        return "listener.name." + listener.toLowerCase(Locale.ROOT) + ".";
    }

    public int integer(String key, String defaultValue) {
        String raw = get(key, defaultValue);
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ConfigException.invalid(key, raw, "Not a number of type INT");
        }
    }

    public int integer(String key, String defaultValue, int min) {
        int value = integer(key, defaultValue);
        if (value < min) {
            throw ConfigException.invalid(key, String.valueOf(value), "Value must be at least " + min);
        }
        return value;
    }

    public long longValue(String key, String defaultValue, long min) {
        String raw = get(key, defaultValue);
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw ConfigException.invalid(key, raw, "Not a number of type LONG");
        }
        if (value < min) {
            throw ConfigException.invalid(key, raw, "Value must be at least " + min);
        }
        return value;
    }

    public boolean bool(String key, String defaultValue) {
        return parseBool(key, get(key, defaultValue));
    }

    static boolean parseBool(String key, String raw) {
        String v = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigException.invalid(key, raw, "Expected value to be either true or false");
        };
    }

    /** A comma-separated list, trimmed, without empty entries (Kafka's LIST type). */
    public static List<String> list(String raw) {
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (String part : raw.split(",")) {
            String t = part.trim();
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** The merged configuration as lines {@code key=value}, secrets hidden, for the start-up log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        values.forEach((k, v) -> lines.add(k + "=" + Secrets.shown(k, v)));
        return lines;
    }

    @Override
    public String toString() {
        return String.join(", ", describe());
    }
}
