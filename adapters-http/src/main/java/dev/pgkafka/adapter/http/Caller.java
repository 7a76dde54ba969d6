package dev.pgkafka.adapter.http;

import java.util.Objects;

import dev.pgkafka.domain.security.KafkaPrincipal;
import dev.pgkafka.domain.security.Requester;
import io.helidon.webserver.http.ServerRequest;

/**
 * Who sent a request, as the authentication filter found out, kept in the request's context for the
 * resources.
 *
 * @param requester     the principal and client address ACLs are checked against
 * @param authenticated whether the request proved who it is (credentials checked); false for
 *                      {@code User:ANONYMOUS}
 */
record Caller(Requester requester, boolean authenticated) {
    Caller {
        Objects.requireNonNull(requester, "requester");
    }

    static Caller anonymous(String host) {
        return new Caller(new Requester(KafkaPrincipal.ANONYMOUS, host), false);
    }

    /** The caller the filter registered; anonymous if none was (a routing without the filter). */
    static Caller of(ServerRequest req) {
        return req.context().get(Caller.class).orElseGet(() -> anonymous(clientHost(req)));
    }

    /** The client's IP address as ACL host fields name it ({@code 10.0.0.7}, {@code 0:0:0:0:0:0:0:1}). */
    static String clientHost(ServerRequest req) {
        if (req.remotePeer().address() instanceof java.net.InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress().getHostAddress();
        }
        return req.remotePeer().host();
    }
}
