package dev.pgkafka.adapter.kafka.protocol;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.apache.kafka.common.protocol.ApiKeys;

import dev.pgkafka.domain.quota.QuotaClient;
import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;

/** Who asked and how: the request header fields and the connection's session a handler may need. */
public record RequestContext(long connectionId, SocketAddress clientAddress, String clientId, ApiKeys apiKey,
                             short apiVersion, int correlationId, ClientSession session) {

    /** An anonymous PLAINTEXT client (unit tests). */
    public RequestContext(long connectionId, SocketAddress clientAddress, String clientId, ApiKeys apiKey,
                          short apiVersion, int correlationId) {
        this(connectionId, clientAddress, clientId, apiKey, apiVersion, correlationId,
                ClientSession.anonymous(clientAddress instanceof InetSocketAddress inet ? inet : new InetSocketAddress(0)));
    }

    public KafkaPrincipal principal() {
        return session.principal();
    }

    public Requester requester() {
        return session.requester();
    }

    /** Whose quotas the request counts against: the principal's name and the client id (KIP-55). */
    public QuotaClient quotaClient() {
        return new QuotaClient(session.principal().name(), clientId);
    }

    /** The endpoint of the listener this request came in on, or {@code fallback} (requests built by hand). */
    public BrokerEndpoint advertised(BrokerEndpoint fallback) {
        return session.endpoint() != null ? session.endpoint() : fallback;
    }

    @Override
    public String toString() {
        return apiKey.name + " v" + apiVersion + " #" + correlationId + " from " + clientId + "@" + clientAddress
                + " as " + session.principal() + " on " + session.listenerName() + " (connection " + connectionId + ")";
    }
}
