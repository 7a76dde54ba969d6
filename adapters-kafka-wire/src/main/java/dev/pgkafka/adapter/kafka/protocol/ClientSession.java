package dev.pgkafka.adapter.kafka.protocol;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Objects;

import dev.pgkafka.adapter.kafka.listener.SecurityProtocol;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;

/**
 * What a connection knows of its client once it is allowed to send requests: the listener it came
 * in on, who it authenticated as (ANONYMOUS on PLAINTEXT, the certificate's mapped name on mutual
 * TLS, the SASL user), and the endpoint of that listener that Metadata advertises.
 */
public record ClientSession(String listenerName, SecurityProtocol protocol, KafkaPrincipal principal,
                            InetAddress clientAddress, BrokerEndpoint endpoint) {

    public ClientSession {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(clientAddress, "clientAddress");
    }

    /** An anonymous PLAINTEXT client (unit tests that build requests by hand). */
    public static ClientSession anonymous(InetSocketAddress client) {
        InetAddress address = client.getAddress() != null ? client.getAddress() : InetAddress.getLoopbackAddress();
        return new ClientSession("PLAINTEXT", SecurityProtocol.PLAINTEXT, KafkaPrincipal.ANONYMOUS, address, null);
    }

    /** Who asks, for authorization. */
    public Requester requester() {
        return new Requester(principal, clientAddress.getHostAddress());
    }

    public ClientSession withPrincipal(KafkaPrincipal newPrincipal) {
        return new ClientSession(listenerName, protocol, newPrincipal, clientAddress, endpoint);
    }
}
