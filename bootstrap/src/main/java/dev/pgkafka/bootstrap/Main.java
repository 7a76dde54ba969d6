package dev.pgkafka.bootstrap;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code java -jar pgkafka.jar [options]}: starts the broker and stops it cleanly on SIGTERM. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        BrokerOptions options;
        try {
            options = BrokerOptions.parse(args, System.getenv());
        } catch (BrokerOptions.HelpRequested help) {
            System.out.print(BrokerOptions.usage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("pgkafka: " + e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        Logging.configure();
        Broker broker;
        try {
            broker = Broker.start(options);
        } catch (Exception e) {
            Logger.getLogger(Main.class.getName()).log(Level.SEVERE, "pgkafka failed to start: " + e.getMessage(), e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            Logging.shutdownFinished();
        }, "pgkafka-shutdown"));
        broker.awaitStopped();
    }
}
