package dev.pgkafka.adapter.kafka.protocol;

import java.net.SocketAddress;

import org.apache.kafka.common.protocol.ApiKeys;

/** Who asked and how: the request header fields a handler may need. */
public record RequestContext(long connectionId, SocketAddress clientAddress, String clientId, ApiKeys apiKey,
                             short apiVersion, int correlationId) {

    @Override
    public String toString() {
        return apiKey.name + " v" + apiVersion + " #" + correlationId + " from " + clientId + "@" + clientAddress
                + " (connection " + connectionId + ")";
    }
}
