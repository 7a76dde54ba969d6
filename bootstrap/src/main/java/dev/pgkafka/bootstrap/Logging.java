package dev.pgkafka.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * One line per event on stderr: time, level, logger, message. Our own code logs at INFO; libraries
 * that narrate their internals (embedded PostgreSQL, Helidon) are kept to warnings.
 */
final class Logging {
    private static final String CONFIG = """
            handlers=java.util.logging.ConsoleHandler
            .level=INFO
            java.util.logging.ConsoleHandler.level=ALL
            java.util.logging.SimpleFormatter.format=%1$tF %1$tT.%1$tL %4$-7s [%3$s] %5$s%6$s%n
            io.zonky.level=WARNING
            io.helidon.level=WARNING
            org.flywaydb.level=INFO
            org.postgresql.level=WARNING
            """;

    private Logging() {
    }

    static void configure() {
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the operator brought their own
        }
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("logging configuration", e);
        }
    }
}
