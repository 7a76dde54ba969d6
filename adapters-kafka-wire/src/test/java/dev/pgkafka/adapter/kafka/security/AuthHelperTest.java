package dev.pgkafka.adapter.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;

import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import dev.pgkafka.adapter.kafka.protocol.RequestContext;
import dev.pgkafka.domain.security.acl.ResourceType;

/** KIP-430 bit fields as Apache Kafka 4.3.1 answers them with every operation allowed. */
class AuthHelperTest {
    private final RequestContext context = new RequestContext(1, new InetSocketAddress(0), "c", ApiKeys.METADATA,
            (short) 12, 1);

    @Test
    void everyOperationOfAResourceTypeIsKafkasSet() {
        AuthHelper open = AuthHelper.allowAll();
        // measured against Kafka 4.3.1 (no authorizer, and a super user): no token operations on the cluster
        assertEquals(8096, open.authorizedOperations(context, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME));
        // groups have configs since KIP-848
        assertEquals(3400, open.authorizedOperations(context, ResourceType.GROUP, "g"));
        assertEquals(3576, open.authorizedOperations(context, ResourceType.TOPIC, "t"));
        assertEquals(1 << 8 | 1 << 4 | 1 << 15,
                open.authorizedOperations(context, ResourceType.TRANSACTIONAL_ID, "tx"));
    }
}
