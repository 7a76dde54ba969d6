package dev.pgkafka.domain.config;

import java.util.List;

/** A rule a parsed config value must satisfy, with Kafka's wording when it does not. */
public sealed interface ConfigValidator {

    /** Why the parsed value breaks the rule, or null when it satisfies it. */
    String problem(Object value);

    /** A number of at least {@code min}. */
    record AtLeast(Number min) implements ConfigValidator {
        @Override
        public String problem(Object value) {
            return ((Number) value).doubleValue() < min.doubleValue() ? "Value must be at least " + min : null;
        }
    }

    /** A number in {@code [min, max]}. */
    record Between(Number min, Number max) implements ConfigValidator {
        @Override
        public String problem(Object value) {
            double v = ((Number) value).doubleValue();
            if (v < min.doubleValue()) {
                return "Value must be at least " + min;
            }
            return v > max.doubleValue() ? "Value must be no more than " + max : null;
        }
    }

    /** A compression level: in {@code [min, max]}, or the codec's "default level" marker. */
    record Level(int min, int max, int defaultMarker) implements ConfigValidator {
        @Override
        public String problem(Object value) {
            int v = (Integer) value;
            return v == defaultMarker || (v >= min && v <= max) ? null
                    : "Value must be between " + min + " and " + max + ", or " + defaultMarker + " for the codec's default";
        }
    }

    /** One of the listed strings (case matters, as in Kafka). */
    record OneOf(List<String> values) implements ConfigValidator {
        public OneOf {
            values = List.copyOf(values);
        }

        @Override
        public String problem(Object value) {
            return values.contains(value) ? null : "String must be one of: " + String.join(", ", values);
        }
    }

    /** A list whose every element is one of the listed strings; the empty list is allowed. */
    record ListOf(List<String> values) implements ConfigValidator {
        public ListOf {
            values = List.copyOf(values);
        }

        @Override
        public String problem(Object value) {
            for (Object item : (List<?>) value) {
                if (!values.contains(item)) {
                    return "String must be one of: " + String.join(", ", values);
                }
            }
            return null;
        }
    }

    /** Kafka's throttled replica lists: empty, {@code *}, or {@code partition:broker} pairs. */
    record ThrottledReplicas() implements ConfigValidator {
        @Override
        public String problem(Object value) {
            List<?> items = (List<?>) value;
            if (items.size() == 1 && "*".equals(items.getFirst())) {
                return null;
            }
            for (Object item : items) {
                if (!String.valueOf(item).matches("\\d+:\\d+")) {
                    return "must be the literal '*' or a list of replicas in the following format: "
                            + "[partitionId]:[brokerId],[partitionId]:[brokerId],...";
                }
            }
            return null;
        }
    }
}
