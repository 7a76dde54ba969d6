package dev.pgkafka.adapter.kafka.authz;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import dev.pgkafka.adapter.kafka.protocol.ApiHandler;
import dev.pgkafka.adapter.kafka.protocol.ClientSession;
import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.adapter.kafka.listener.SecurityProtocol;
import dev.pgkafka.domain.security.KafkaPrincipal;

/** Requests as an authenticated user sends them. */
final class Contexts {
    private Contexts() {
    }

    static RequestContext as(String user, ApiKeys api, int version) {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ClientSession session = new ClientSession("SASL_PLAINTEXT", SecurityProtocol.SASL_PLAINTEXT,
                KafkaPrincipal.user(user), loopback, null);
        return new RequestContext(1, new InetSocketAddress(loopback, 50000), "test-client", api, (short) version, 7,
                session);
    }

    /** The handler's answer to {@code request} sent by {@code user} at {@code version}. */
    @SuppressWarnings("unchecked")
    static <T extends ApiMessage> T call(ApiHandler handler, String user, int version, ApiMessage request) {
        return (T) handler.handle(as(user, handler.apiKey(), version), request).body();
    }
}
