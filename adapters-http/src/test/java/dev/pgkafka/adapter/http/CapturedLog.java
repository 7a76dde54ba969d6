package dev.pgkafka.adapter.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The lines the admin adapter logs while open (System.Logger goes to java.util.logging in tests). */
final class CapturedLog extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger("dev.pgkafka.adapter.http");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    CapturedLog() {
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null) {
            message = java.text.MessageFormat.format(message, record.getParameters());
        }
        lines.add(record.getLevel() + " " + message + (record.getThrown() != null ? " " + record.getThrown() : ""));
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
