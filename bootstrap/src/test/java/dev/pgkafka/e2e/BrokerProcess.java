package dev.pgkafka.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The broker as a separate JVM, so tests can kill it the hard way (SIGKILL) or the polite way (SIGTERM). */
final class BrokerProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    final int kafkaPort;
    final int httpPort;

    private BrokerProcess(Process process, Path log, int kafkaPort, int httpPort) {
        this.process = process;
        this.log = log;
        this.kafkaPort = kafkaPort;
        this.httpPort = httpPort;
    }

    static BrokerProcess start(String jdbcUrl, String... extraArgs) throws IOException, InterruptedException {
        return startOnPort(freePort(), jdbcUrl, extraArgs);
    }

    /** On a given Kafka port: a broker started again where running clients look for it. */
    static BrokerProcess startOnPort(int kafkaPort, String jdbcUrl, String... extraArgs)
            throws IOException, InterruptedException {
        int httpPort = freePort();
        Path log = Files.createTempFile("pgkafka-broker-", ".log");
        log.toFile().deleteOnExit(); // read by the test while it runs, not kept after
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "dev.pgkafka.bootstrap.Main",
                "--database-url", jdbcUrl,
                "--host", "127.0.0.1",
                "--kafka-port", String.valueOf(kafkaPort),
                "--http-port", String.valueOf(httpPort)));
        command.addAll(List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BrokerProcess broker = new BrokerProcess(process, log, kafkaPort, httpPort);
        broker.awaitListening();
        return broker;
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker's log so far, line by line. */
    List<String> lines() {
        return output().lines().toList();
    }

    /** SIGKILL: no shutdown hook, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, without waiting for the broker to stop. */
    void sigterm() {
        process.destroy();
    }

    /** Waits for the process to end; its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("broker did not stop within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * A line of the broker process's {@code /proc/<pid>/status} in KiB: {@code VmHWM} is the most memory it has
     * held at any moment (peak RSS), {@code VmRSS} what it holds now; -1 where /proc is not there.
     */
    long memoryKib(String field) throws IOException {
        Path status = Path.of("/proc", String.valueOf(process.pid()), "status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).trim().split("\\s+")[0])
                .mapToLong(Long::parseLong).findFirst().orElse(-1);
    }

    /** SIGTERM, and the exit code once it has stopped. */
    int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("broker did not stop within 60 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + ":\n" + output());
            }
            if (output().contains("pgkafka started")) {
                try {
                    new Socket("127.0.0.1", kafkaPort).close();
                    return;
                } catch (IOException notYet) {
                    // keep waiting
                }
            }
            Thread.sleep(100);
        }
        process.destroyForcibly();
        throw new AssertionError("broker did not start within 60 s:\n" + output());
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
