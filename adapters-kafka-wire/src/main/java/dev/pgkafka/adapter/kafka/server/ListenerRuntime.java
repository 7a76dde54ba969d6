package dev.pgkafka.adapter.kafka.server;

import dev.pgkafka.adapter.kafka.listener.KafkaListenerConfig;
import dev.pgkafka.adapter.kafka.protocol.BrokerEndpoint;
import dev.pgkafka.adapter.kafka.protocol.RequestDispatcher;
import dev.pgkafka.application.port.in.AuthenticationUseCase;

/**
 * What every connection of one listener shares: its config, advertised endpoint, dispatcher and
 * logins, and the limits, memory budget and watchdog of all the broker's connections.
 */
record ListenerRuntime(KafkaListenerConfig config, BrokerEndpoint endpoint, RequestDispatcher dispatcher,
                       AuthenticationUseCase authentication, BrokerConnections connections) {
}
