package dev.pgkafka.application.service.quota;

import java.util.Objects;

import dev.pgkafka.domain.quota.QuotaWindow;

/**
 * How client quotas measure use, under Kafka's broker config names: {@code quota.window.num} (11) and
 * {@code quota.window.size.seconds} (1) for byte rates and request time,
 * {@code controller.quota.window.num} (11) and {@code controller.quota.window.size.seconds} (1) for
 * controller mutations.
 */
public record QuotaSettings(QuotaWindow clients, QuotaWindow controllerMutations) {
    public static final String QUOTA_WINDOW_NUM = "quota.window.num";
    public static final String QUOTA_WINDOW_SIZE_SECONDS = "quota.window.size.seconds";
    public static final String CONTROLLER_QUOTA_WINDOW_NUM = "controller.quota.window.num";
    public static final String CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS = "controller.quota.window.size.seconds";

    /** Kafka's defaults. */
    public static final QuotaSettings DEFAULTS = new QuotaSettings(QuotaWindow.KAFKA_DEFAULT, QuotaWindow.KAFKA_DEFAULT);

    public QuotaSettings {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(controllerMutations, "controllerMutations");
    }

    /**
     * From the four Kafka configs' values (null for Kafka's default).
     *
     * @throws IllegalArgumentException naming the key of a value that is not an integer of at least 1
     */
    public static QuotaSettings fromKafkaConfig(String windowNum, String windowSizeSeconds, String controllerWindowNum,
                                                String controllerWindowSizeSeconds) {
        return new QuotaSettings(
                new QuotaWindow(atLeastOne(QUOTA_WINDOW_NUM, windowNum, 11),
                        1000L * atLeastOne(QUOTA_WINDOW_SIZE_SECONDS, windowSizeSeconds, 1)),
                new QuotaWindow(atLeastOne(CONTROLLER_QUOTA_WINDOW_NUM, controllerWindowNum, 11),
                        1000L * atLeastOne(CONTROLLER_QUOTA_WINDOW_SIZE_SECONDS, controllerWindowSizeSeconds, 1)));
    }

    private static int atLeastOne(String key, String value, int dflt) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not an integer");
        }
        if (n < 1) {
            throw new IllegalArgumentException(key + ": " + n + " must be at least 1");
        }
        return n;
    }
}
