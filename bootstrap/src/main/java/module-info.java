/** Options, wiring, start-up and shutdown: the only module that knows every other. */
module dev.pgkafka.bootstrap {
    // Broker hands out the log cleaner and topic administration (tests, other features)
    requires transitive dev.pgkafka.application;
    requires dev.pgkafka.adapter.kafka;
    requires dev.pgkafka.adapter.postgres;
    requires dev.pgkafka.adapter.http;
    requires java.logging;

    exports dev.pgkafka.bootstrap;
    // BrokerOptions hands out the parsed properties and listeners
    exports dev.pgkafka.bootstrap.config;
}
