package dev.pgkafka.domain.config;

/** A place that sets a config: the config's name there (a broker synonym's, perhaps), its value, the source. */
public record ConfigSynonym(String name, String value, ConfigSource source) {
}
