package dev.pgkafka.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.logging.LogManager;

/**
 * One line per event on stderr: time, level, logger, message. Our own code logs at INFO; libraries
 * that narrate their internals (embedded PostgreSQL, Helidon, jOOQ) are kept to warnings.
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
            org.jooq.level=WARNING
            org.jooq.impl.DefaultExecuteContext.logVersionSupport.level=SEVERE
            """;

    private Logging() {
    }

    /** Must run before anything logs: it chooses the LogManager. */
    static void configure() {
        // JUL resets itself in its own shutdown hook, which would swallow our shutdown's log lines
        System.setProperty("java.util.logging.manager", ShutdownAwareLogManager.class.getName());
        if (System.getProperty("java.util.logging.config.file") != null) {
            return; // the operator brought their own
        }
        try {
            LogManager.getLogManager().readConfiguration(new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new IllegalStateException("logging configuration", e);
        }
    }

    /** Flushes and closes the handlers after the broker stopped, not while it is stopping. */
    static void shutdownFinished() {
        if (LogManager.getLogManager() instanceof ShutdownAwareLogManager m) {
            m.resetNow();
        }
    }

    /** A LogManager whose reset from JUL's shutdown hook is deferred to {@link #shutdownFinished()}. */
    public static final class ShutdownAwareLogManager extends LogManager {
        private volatile boolean resetAllowed;

        @Override
        public void reset() {
            if (resetAllowed || !isShuttingDown()) {
                super.reset();
            }
        }

        void resetNow() {
            resetAllowed = true;
            super.reset();
        }

        private static boolean isShuttingDown() {
            try {
                Thread probe = new Thread(() -> { });
                Runtime.getRuntime().addShutdownHook(probe);
                Runtime.getRuntime().removeShutdownHook(probe);
                return false;
            } catch (IllegalStateException e) {
                return true;
            }
        }
    }
}
