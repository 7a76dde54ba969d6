package dev.pgkafka.domain.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One config Kafka defines: name, type, default (null when Kafka has none), the rule its values
 * follow, documentation, and for topic configs the broker configs that provide its default
 * ({@link #synonyms}, in precedence order). Broker configs that cannot change while the broker
 * runs are {@link #readOnly}.
 */
public record ConfigDef(String name, ConfigType type, String defaultValue, ConfigValidator validator, String documentation,
                        List<Synonym> synonyms, boolean readOnly) {

    public ConfigDef {
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(documentation);
        synonyms = List.copyOf(synonyms);
    }

    /**
     * Why {@code value} is not valid for this config, in Kafka's words ("Invalid value x for
     * configuration y: reason"), or empty when it is.
     */
    public Optional<String> problem(String value) {
        if (value == null) {
            return Optional.of("Null value not supported for : " + name);
        }
        try {
            Object parsed = type.parse(value);
            String reason = validator == null ? null : validator.problem(parsed);
            return reason == null ? Optional.empty() : Optional.of(invalid(value, reason));
        } catch (ConfigType.InvalidConfigValueException e) {
            return Optional.of(invalid(value, e.getMessage()));
        }
    }

    /** The parsed value of a text that passed {@link #problem}; the default's for null. */
    public Object parse(String value) {
        return type.parse(value == null ? defaultValue : value);
    }

    private String invalid(String value, String reason) {
        return "Invalid value " + value + " for configuration " + name + ": " + reason;
    }
}
