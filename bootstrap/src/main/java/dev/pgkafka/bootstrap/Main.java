package dev.pgkafka.bootstrap;

import java.util.logging.Level;
import java.util.logging.Logger;

import dev.pgkafka.bootstrap.config.ConfigLoader;
import dev.pgkafka.bootstrap.config.Secrets;

/**
 * {@code java -jar pgkafka.jar [server.properties] [options]}: starts the broker and stops it
 * cleanly on SIGTERM. A start that cannot happen exits non-zero with the reason on its last line.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        ConfigLoader.Loaded loaded;
        BrokerOptions options;
        try {
            loaded = ConfigLoader.load(args, System.getenv());
            options = BrokerOptions.from(loaded);
        } catch (ConfigLoader.HelpRequested help) {
            System.out.print(ConfigLoader.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("Try --help.");
            System.err.println("pgkafka: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logging.configure();
        Logger log = Logger.getLogger(Main.class.getName());
        for (String key : loaded.unknownKeys()) {
            log.warning("The configuration '" + key + "' was supplied but isn't a known config; ignoring it");
        }
        if (!loaded.ignoredKeys().isEmpty()) {
            log.info("Ignoring Kafka configs that only matter between Kafka brokers and controllers: "
                    + String.join(", ", loaded.ignoredKeys()));
        }
        Broker broker;
        try {
            broker = Broker.start(options);
        } catch (Exception e) {
            // the reason is the last line, for scripts and process supervisors that show only that
            log.log(Level.FINE, "start-up failure", e);
            System.err.println("pgkafka failed to start: " + Secrets.redactUrl(reason(e)));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            Logging.shutdownFinished();
        }, "pgkafka-shutdown"));
        broker.awaitStopped();
    }

    /** The exception's message with its causes' messages, as far as they add something. */
    private static String reason(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage() != null ? e.getMessage() : e.toString()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
                b.append(": ").append(c.getMessage());
            }
        }
        return b.toString().replace('\n', ' ');
    }
}
