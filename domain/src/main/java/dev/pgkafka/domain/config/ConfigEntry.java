package dev.pgkafka.domain.config;

import java.util.List;

/**
 * One described config: its effective value and where it comes from; {@code synonyms} (when asked)
 * lists every place that sets it, the effective one first.
 *
 * @param documentation null unless asked for
 */
public record ConfigEntry(String name, String value, ConfigSource source, boolean readOnly, boolean sensitive,
                          ConfigType type, String documentation, List<ConfigSynonym> synonyms) {
    public ConfigEntry {
        synonyms = List.copyOf(synonyms);
    }
}
