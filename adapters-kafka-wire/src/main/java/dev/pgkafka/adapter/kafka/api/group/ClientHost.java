package dev.pgkafka.adapter.kafka.api.group;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** The member's host as Kafka shows it in DescribeGroups: the address with a leading slash. */
final class ClientHost {
    private ClientHost() {
    }

    static String of(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return "/" + inet.getAddress().getHostAddress();
        }
        return address == null ? "" : address.toString();
    }
}
