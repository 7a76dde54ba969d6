package dev.pgkafka.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The broker's log lines under a logger name (the broker logs through java.util.logging), for tests to read. */
final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(String loggerName) {
        logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    static CapturedLog of(String loggerName) {
        return new CapturedLog(loggerName);
    }

    /** Lines containing {@code text}. */
    List<String> linesWith(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    /** Waits up to {@code timeout} for a line containing {@code text}; the lines with it. */
    List<String> await(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (linesWith(text).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return linesWith(text);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
