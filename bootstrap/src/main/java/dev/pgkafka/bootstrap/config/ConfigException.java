package dev.pgkafka.bootstrap.config;

/** A config that stops the start: the message names the key and never shows a secret value. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** Kafka's wording: "Invalid value v for configuration k: reason", with secrets hidden. */
    public static ConfigException invalid(String key, String value, String reason) {
        // key may be a label such as "pgkafka.database.url (--database-url)"
        String bareKey = key.contains(" ") ? key.substring(0, key.indexOf(' ')) : key;
        return new ConfigException("Invalid value " + Secrets.shown(bareKey, value) + " for configuration " + key + ": "
                + reason);
    }
}
